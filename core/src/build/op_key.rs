//! How BuildKit spells a COPY/ADD's fields in the LLB file op it builds, which is what the op's
//! digest (its cache key) covers: the Dockerfile text itself is only the vertex's name, so two
//! spellings of the same op (`COPY ./a /a` and `COPY a /a`, `--chmod=755` and `--chmod=0755`,
//! `--chown=root` and `--chown=0`) share one cache entry.
//!
//! Sources: `frontend/dockerfile/dockerfile2llb/convert_copy.go` `dispatchCopy` (source paths
//! through `system.NormalizePath("/", src, os, false)`, the destination through
//! `pathRelativeToWorkingDir`, `--chmod` parsed with `strconv.ParseUint(s, 8, 32)` into a
//! mode, else kept as a symbolic `ModeStr`); `client/llb/fileop.go` `WithUser` (`--chown`
//! split at the first `:`, each side a number, `root` (= 0) or a name); `util/system/path.go`
//! `NormalizePath` (absolute paths are kept as written, relative ones joined and cleaned).

use super::glob::clean;

/// `system.NormalizePath(parent, new, "linux", keep_slash)`.
pub fn normalize_path(parent: &str, new: &str, keep_slash: bool) -> String {
    let parent = match parent {
        "" => "/".to_string(),
        p if p.starts_with('/') => p.to_string(),
        p => format!("/{}", clean(p)),
    };
    let mut out = if new.is_empty() {
        parent.clone()
    } else {
        new.to_string()
    };
    if !out.starts_with('/') {
        // path.Join(parent, new): joined, then cleaned.
        out = format!("/{}", clean(&format!("{parent}/{out}")));
    }
    if keep_slash {
        if new.ends_with('/') && !out.ends_with('/') {
            out.push('/');
        } else if new.ends_with("/.") {
            if out != "/" {
                out.push('/');
            }
            out.push('.');
        }
    }
    out
}

/// A local source as the copy action names it: the path, plus the include pattern under it
/// with `--parents` (the part after an optional `/./` pivot).
pub fn source_path(src: &str, parents: bool) -> String {
    if !parents {
        return normalize_path("/", src, false);
    }
    let (root, pattern) = match src.split_once("/./") {
        Some((root, pattern)) => (root, pattern),
        None => ("/", src),
    };
    let pattern = normalize_path("/", pattern, false);
    format!(
        "{}\n{}",
        normalize_path("/", root, false),
        pattern.trim_start_matches('/')
    )
}

/// The destination as `pathRelativeToWorkingDir` resolves it (a trailing `/` is kept; `.` and
/// the empty path mean the working directory, as a directory).
pub fn dest_path(workdir: &str, dest: &str) -> String {
    if dest.starts_with('/') {
        return normalize_path("/", dest, true);
    }
    let dest = if dest == "." || dest.is_empty() {
        "./"
    } else {
        dest
    };
    normalize_path(workdir, dest, true)
}

/// `--chmod`: an octal number is a mode (`755` = `0755`); anything else stays a string.
pub fn chmod_field(spec: &str) -> String {
    match u32::from_str_radix(spec, 8) {
        Ok(mode) if !spec.is_empty() && spec.bytes().all(|b| (b'0'..=b'7').contains(&b)) => {
            format!("mode {mode:o}")
        }
        _ => format!("text {spec}"),
    }
}

/// `--chown`: `user[:group]`, each side an id (`root` is 0) or a name; a missing group stays
/// missing (`--chown=0` is not `--chown=0:0`).
pub fn chown_field(spec: &str) -> String {
    let side = |v: &str| {
        if v == "root" {
            return "id 0".to_string();
        }
        match v.parse::<i32>() {
            Ok(id) => format!("id {id}"),
            Err(_) => format!("name {v}"),
        }
    };
    match spec.split_once(':') {
        Some((user, group)) => format!("{}\n{}", side(user), side(group)),
        None => side(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_joined_and_cleaned_absolute_ones_kept() {
        assert_eq!(normalize_path("/", "a.txt", false), "/a.txt");
        assert_eq!(normalize_path("/", "./a.txt", false), "/a.txt");
        assert_eq!(normalize_path("/", "src/", false), "/src");
        assert_eq!(normalize_path("/", ".", false), "/");
        assert_eq!(normalize_path("/", "/a//b", false), "/a//b");
        assert_eq!(source_path("./a.txt", false), source_path("a.txt", false));
        assert_eq!(source_path("a/./b/c", true), "/a\nb/c");
        assert_eq!(source_path("src/*/x", true), "/\nsrc/*/x");
    }

    #[test]
    fn destinations_keep_their_trailing_slash() {
        assert_eq!(dest_path("/app", "."), "/app/");
        assert_eq!(dest_path("/app", "./"), "/app/");
        assert_eq!(dest_path("/app", "x"), "/app/x");
        assert_eq!(dest_path("/app", "x/"), "/app/x/");
        assert_eq!(dest_path("/", "."), "/");
        assert_eq!(dest_path("/app", "/d/"), "/d/");
        assert_ne!(dest_path("/", "/d"), dest_path("/", "/d/"));
    }

    #[test]
    fn chmod_and_chown_compare_by_meaning() {
        assert_eq!(chmod_field("755"), chmod_field("0755"));
        assert_ne!(chmod_field("755"), chmod_field("u+x"));
        assert_ne!(chmod_field("644"), chmod_field("755"));
        assert_eq!(chown_field("root:root"), chown_field("0:0"));
        assert_eq!(chown_field("1000"), chown_field("01000"));
        assert_ne!(chown_field("0"), chown_field("0:0"));
        assert_ne!(chown_field("app"), chown_field("1000"));
    }
}
