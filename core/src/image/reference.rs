//! Image references as `FROM` takes them, normalised the way Docker's `reference.ParseNormalizedNamed`
//! does (distribution/reference `normalize.go`): `python` → `python:latest`,
//! `docker.io/library/python:3` and `library/python:3` → `python:3`. A digest (`@sha256:…`) is
//! accepted and ignored (the catalog has one build per tag), and so is a leading
//! `--platform=…` flag (the catalog is linux/amd64 only).

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// `python`, `lab/busybox`, `gcr.io/distroless/static-debian12` (Docker Hub prefixes removed).
    pub repository: String,
    pub tag: String,
    /// The `@sha256:…` part when given (ignored by the catalog).
    pub digest: Option<String>,
}

impl ImageRef {
    /// `repository:tag`, e.g. `python:latest`.
    pub fn normalized(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }

    /// The fully qualified name BuildKit prints (`docker.io/library/python:3.12`,
    /// `docker.io/lab/busybox:1`, `gcr.io/distroless/static-debian12:nonroot`).
    pub fn canonical(&self) -> String {
        canonical(&self.normalized())
    }

    /// The last path component of the repository (`distroless/static-debian12` → `static-debian12`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// `python:3.12` → `docker.io/library/python:3.12`; `lab/busybox:1` → `docker.io/lab/busybox:1`;
/// names with a registry host and `scratch` stay as they are.
pub fn canonical(normalized: &str) -> String {
    if normalized == "scratch" {
        return normalized.to_string();
    }
    match split_host(normalized) {
        (Some(_), _) => normalized.to_string(),
        (None, path) if path.contains('/') => format!("docker.io/{path}"),
        (None, path) => format!("docker.io/library/{path}"),
    }
}

/// Why a reference is not valid (the messages follow Docker's `invalid reference format`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    pub message: String,
    /// A corrected reference when the fix is obvious (e.g. lower-cased).
    pub suggestion: Option<String>,
}

const MAX_REFERENCE_LEN: usize = 512;

/// Parses `reference` (the text after `FROM`, flags such as `--platform=…` allowed in front).
pub fn parse(reference: &str) -> Result<ImageRef, RefError> {
    let text = reference
        .split_whitespace()
        .find(|w| !w.starts_with("--"))
        .unwrap_or("")
        .trim();
    if text.is_empty() {
        return Err(RefError {
            message: "invalid reference format: empty image name".into(),
            suggestion: None,
        });
    }
    if text.len() > MAX_REFERENCE_LEN {
        return Err(RefError {
            message: "invalid reference format: name too long".into(),
            suggestion: None,
        });
    }
    let (name_tag, digest) = match text.split_once('@') {
        Some((n, d)) => (n, Some(d.to_string())),
        None => (text, None),
    };
    if let Some(d) = &digest {
        let valid = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty() && !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !valid {
            return Err(RefError {
                message: format!("invalid reference format: bad digest \"{d}\""),
                suggestion: None,
            });
        }
    }
    // The tag is after the last ':' that follows the last '/' (a registry port is not a tag).
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    let tag = tag.unwrap_or("latest");
    let repository = strip_docker_hub(name);
    validate(&repository, tag, reference)?;
    Ok(ImageRef {
        repository,
        tag: tag.to_string(),
        digest,
    })
}

/// Removes `docker.io/`, `index.docker.io/`, `registry-1.docker.io/` and `library/`.
fn strip_docker_hub(name: &str) -> String {
    let mut n = name;
    for host in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] {
        if let Some(rest) = n.strip_prefix(host) {
            n = rest;
            break;
        }
    }
    if let Some(rest) = n.strip_prefix("library/") {
        if !rest.contains('/') {
            n = rest;
        }
    }
    n.to_string()
}

fn validate(repository: &str, tag: &str, original: &str) -> Result<(), RefError> {
    let (_host, path) = split_host(repository);
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
            && c.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && c.ends_with(|ch: char| ch.is_ascii_alphanumeric())
    };
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        let lowered = original
            .split_whitespace()
            .find(|w| !w.starts_with("--"))
            .unwrap_or("")
            .to_ascii_lowercase();
        return Err(RefError {
            message: "invalid reference format: repository name must be lowercase".into(),
            suggestion: Some(lowered),
        });
    }
    if !path.split('/').all(component_ok) {
        return Err(RefError {
            message: format!("invalid reference format: \"{original}\" is not a valid image name"),
            suggestion: None,
        });
    }
    let tag_ok = !tag.is_empty()
        && tag.len() <= 128
        && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !tag_ok {
        return Err(RefError {
            message: format!("invalid reference format: bad tag \"{tag}\""),
            suggestion: None,
        });
    }
    Ok(())
}

/// Splits a registry host (`gcr.io`, `localhost:5000`) from the path, as Docker decides: the
/// first component is a host when it has a `.` or `:` or is `localhost`.
fn split_host(repository: &str) -> (Option<&str>, &str) {
    match repository.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), rest)
        }
        _ => (None, repository),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        parse(s)
            .map(|r| r.normalized())
            .unwrap_or_else(|e| format!("ERR {}", e.message))
    }

    #[test]
    fn normalises_docker_hub_forms() {
        assert_eq!(norm("python"), "python:latest");
        assert_eq!(
            norm("docker.io/library/python:3.12-slim"),
            "python:3.12-slim"
        );
        assert_eq!(norm("library/node:22"), "node:22");
        assert_eq!(norm("index.docker.io/library/alpine"), "alpine:latest");
        assert_eq!(norm("docker.io/lab/busybox:1"), "lab/busybox:1");
        assert_eq!(norm("--platform=linux/amd64 golang:1.23"), "golang:1.23");
        assert_eq!(
            norm("gcr.io/distroless/static-debian12:nonroot"),
            "gcr.io/distroless/static-debian12:nonroot"
        );
        assert_eq!(norm("localhost:5000/app"), "localhost:5000/app:latest");
    }

    #[test]
    fn canonical_names_are_what_buildkit_prints() {
        assert_eq!(
            parse("python:3.12").unwrap().canonical(),
            "docker.io/library/python:3.12"
        );
        assert_eq!(
            parse("lab/busybox:1").unwrap().canonical(),
            "docker.io/lab/busybox:1"
        );
        assert_eq!(
            parse("gcr.io/distroless/static-debian12:nonroot")
                .unwrap()
                .canonical(),
            "gcr.io/distroless/static-debian12:nonroot"
        );
        assert_eq!(canonical("scratch"), "scratch");
    }

    #[test]
    fn digests_are_accepted_and_kept_apart() {
        let r = parse("alpine:3.22@sha256:abcdef0123").unwrap();
        assert_eq!(r.normalized(), "alpine:3.22");
        assert_eq!(r.digest.as_deref(), Some("sha256:abcdef0123"));
        assert_eq!(norm("alpine@sha256:00ff"), "alpine:latest");
        assert!(parse("alpine@sha256:zz").is_err());
    }

    #[test]
    fn invalid_references_are_errors_with_suggestions() {
        let e = parse("Python:3").unwrap_err();
        assert!(e.message.contains("lowercase"));
        assert_eq!(e.suggestion.as_deref(), Some("python:3"));
        assert!(parse("").is_err());
        assert!(parse("alpine:").is_err());
        assert!(parse("-alpine").is_err());
        assert!(parse("alpine:3.22!").is_err());
    }
}
