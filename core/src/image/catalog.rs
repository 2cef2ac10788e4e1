//! The base-image catalog: `scratch`, the lab images, and official images with published sizes
//! (see `official.rs` and `catalog.tsv`). [`lookup`] resolves a `FROM` reference strictly, as
//! the CLI's `replay` needs (a registry miss fails the build); [`placeholder`] gives the
//! playground something to build on for an image the catalog does not know.

use super::reference::{self, ImageRef};
use super::{lab_busybox, official, skeleton, BaseImage, BaseLayer, Distro, ImageConfig, Lookup};
use std::cell::RefCell;
use std::collections::HashMap;

/// Resolves a `FROM` reference (`python`, `docker.io/library/node:22-alpine`, `lab/busybox:1`,
/// `scratch`) to a base image.
///
/// Memoised per thread: generating an image's file skeleton costs milliseconds, and the
/// playground resolves every stage's base (build, then its checks) on each keystroke.
pub fn lookup(reference: &str) -> Lookup {
    /// Distinct references kept; a learner's file names a handful.
    const MEMO_CAP: usize = 64;
    thread_local! {
        static MEMO: RefCell<HashMap<String, Lookup>> = RefCell::new(HashMap::new());
    }
    if let Some(hit) = MEMO.with(|m| m.borrow().get(reference).cloned()) {
        return hit;
    }
    let result = lookup_uncached(reference);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_CAP {
            m.clear();
        }
        m.insert(reference.to_string(), result.clone());
    });
    result
}

fn lookup_uncached(reference: &str) -> Lookup {
    let parsed = match reference::parse(reference) {
        Ok(r) => r,
        Err(e) => {
            return Lookup::Unknown {
                reference: reference.trim().to_string(),
                message: e.message,
                suggestion: e.suggestion,
            }
        }
    };
    if let Some(image) = resolve(&parsed) {
        return Lookup::Found(image);
    }
    let normalized = parsed.normalized();
    let suggestion = suggest(&parsed);
    // What a registry answers: an unknown repository is "pull access denied", an unknown tag of
    // a known one is "not found" (BuildKit: "failed to resolve source metadata for …: …").
    let known_repo = known_references()
        .iter()
        .any(|k| k.split_once(':').map_or(k.as_str(), |(n, _)| n) == parsed.repository);
    let reason = if known_repo {
        format!("{}: not found", parsed.canonical())
    } else {
        "pull access denied, repository does not exist or may require authorization".to_string()
    };
    let message = match &suggestion {
        Some(s) => format!("{reason} (not in Layerlab's catalog; did you mean {s}?)"),
        None => format!("{reason} (not in Layerlab's catalog)"),
    };
    Lookup::Unknown {
        reference: normalized,
        message,
        suggestion,
    }
}

fn resolve(r: &ImageRef) -> Option<BaseImage> {
    // BuildKit treats exactly `scratch` as the empty image (dockerfile2llb `convert.go`,
    // `llb.Scratch()`); `scratch:latest` is also what `scratch` normalises to.
    if r.repository == "scratch" && r.tag == "latest" {
        return Some(scratch());
    }
    if r.repository == "lab/busybox" {
        return lab_busybox::image(&r.tag);
    }
    official::resolve(r)
}

/// The empty image: no layer, no history row, empty config.
pub fn scratch() -> BaseImage {
    BaseImage {
        reference: "scratch".to_string(),
        resolved: "scratch".to_string(),
        layers: Vec::new(),
        config: ImageConfig::new(),
        distro: Distro::Scratch,
        distro_version: String::new(),
        estimated: false,
        layer_sizes_estimated: false,
        note: "the empty image: no layer".to_string(),
        source: "BuildKit frontend/dockerfile/dockerfile2llb/convert.go (llb.Scratch)".to_string(),
    }
}

/// A clearly labelled stand-in for an image the catalog does not know (playground only): a
/// small Debian-like file tree so shell commands resolve, sized at its skeleton files only.
pub fn placeholder(reference: &str) -> BaseImage {
    let normalized = reference::parse(reference)
        .map(|r| r.normalized())
        .unwrap_or_else(|_| reference.trim().to_string());
    let files = skeleton::placeholder_files();
    let layer = BaseLayer::content(
        &format!("layerlab placeholder for unknown image {normalized}"),
        "unknown image: contents and size not known",
        files,
        None,
    );
    let mut config = ImageConfig::new();
    config.ensure_default_path();
    BaseImage {
        reference: normalized.clone(),
        resolved: normalized.clone(),
        layers: vec![layer],
        config,
        distro: Distro::Unknown,
        distro_version: String::new(),
        estimated: true,
        layer_sizes_estimated: true,
        note: format!(
            "{normalized} is not in the catalog: a placeholder with a minimal file tree; its size is NOT the real image's"
        ),
        source: "placeholder".to_string(),
    }
}

/// Every reference the catalog knows by name, for suggestions and listings.
pub fn known_references() -> Vec<String> {
    let mut v = vec![
        "scratch".to_string(),
        "lab/busybox:1".to_string(),
        "lab/busybox:2".to_string(),
    ];
    v.extend(official::known_references());
    v
}

/// The closest known reference to an unknown one ("did you mean"): the repository is matched
/// first (typos like `pyhton`, `ngnix`), then the tag within it.
fn suggest(r: &ImageRef) -> Option<String> {
    let known = known_references();
    let repos: Vec<&str> = {
        let mut v: Vec<&str> = known
            .iter()
            .map(|k| k.split_once(':').map_or(k.as_str(), |(n, _)| n))
            .collect();
        v.dedup();
        v
    };
    let repo = if repos.contains(&r.repository.as_str()) {
        r.repository.clone()
    } else {
        let (best, dist) = repos
            .iter()
            .map(|k| (*k, edit_distance(k, &r.repository)))
            .min_by_key(|(_, d)| *d)?;
        // Beyond a third of the name it is a different image, not a typo.
        if dist * 3 > r.repository.len().max(3) {
            return None;
        }
        best.to_string()
    };
    let tags: Vec<&str> = known
        .iter()
        .filter_map(|k| {
            k.split_once(':')
                .filter(|(n, _)| *n == repo)
                .map(|(_, t)| t)
        })
        .collect();
    if repo == "scratch" {
        return Some("scratch".to_string());
    }
    if tags.contains(&r.tag.as_str()) {
        return Some(format!("{repo}:{}", r.tag));
    }
    let tag = tags.iter().min_by_key(|t| edit_distance(t, &r.tag))?;
    Some(format!("{repo}:{tag}"))
}

/// Edit distance with adjacent transpositions (optimal string alignment), over bytes: names are
/// short ASCII, bounded by the reference length cap.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_and_lab_images_resolve_in_every_spelling() {
        let s = lookup("scratch").found().unwrap();
        assert!(s.is_scratch() && s.layers.is_empty() && s.size() == 0);
        for r in [
            "lab/busybox:1",
            "docker.io/lab/busybox:1",
            "lab/busybox:1@sha256:0123abcd",
            "--platform=linux/amd64 lab/busybox:1",
        ] {
            assert_eq!(lookup(r).found().map(|i| i.size()), Some(1_982_296), "{r}");
        }
        assert_eq!(
            lookup("lab/busybox:2").found().map(|i| i.size()),
            Some(1_982_310)
        );
    }

    #[test]
    fn unknown_images_suggest_the_closest_name() {
        match lookup("lab/busybox:3") {
            Lookup::Unknown { suggestion, .. } => {
                assert!(suggestion.unwrap().starts_with("lab/busybox:"))
            }
            other => panic!("{other:?}"),
        }
        match lookup("lab/does-not-exist:1") {
            Lookup::Unknown { reference, .. } => assert_eq!(reference, "lab/does-not-exist:1"),
            other => panic!("{other:?}"),
        }
        match lookup("Scratch") {
            Lookup::Unknown { suggestion, .. } => {
                assert_eq!(suggestion.as_deref(), Some("scratch"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn placeholder_is_labelled() {
        let p = placeholder("mycorp/app:1");
        assert_eq!(p.reference, "mycorp/app:1");
        assert!(p.estimated);
        assert!(p.note.contains("not in the catalog"));
        assert!(p.files().any(|f| f.path == "/bin/sh"));
    }

    #[test]
    fn edit_distance_counts_typos() {
        assert_eq!(edit_distance("python", "pyhton"), 1);
        assert_eq!(edit_distance("nginx", "ngnix"), 1);
        assert_eq!(edit_distance("alpine", "alpnie"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}

#[cfg(test)]
mod robustness {
    //! Arbitrary user text must never panic the catalog, the reference parser or custom images.
    use super::*;

    /// A tiny deterministic generator (xorshift), so failures reproduce.
    fn strings(seed: u64, n: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "python",
            ":",
            "/",
            "@",
            "sha256:",
            "-",
            ".",
            "3.12",
            "slim",
            "alpine",
            "alpine3.17",
            "library",
            "docker.io",
            "gcr.io",
            "..",
            "é",
            "한",
            "\u{0}",
            " ",
            "--platform=x",
            "latest",
            "9999999999999999999999",
            "A",
            "node",
            "bookworm",
            "{",
            "}",
            "\"",
            "[",
            "]",
            "name",
            "layers",
            "size",
            "files",
            "path",
            ",",
            ":",
            "-1",
            "1e99",
            "null",
            "true",
        ];
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let len = (x % 12) as usize;
                (0..len)
                    .map(|i| {
                        let k = (x.rotate_left(i as u32 * 5) % PIECES.len() as u64) as usize;
                        PIECES[k]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn arbitrary_references_and_custom_files_never_panic() {
        for s in strings(0x9e37_79b9_7f4a_7c15, 3000) {
            let _ = lookup(&s);
            let _ = placeholder(&s);
            let _ = super::super::custom::parse(&s);
            let _ = super::super::custom::parse(&format!("{{\"name\": \"a\", \"layers\": [{s}]}}"));
        }
        let long = "a".repeat(100_000);
        assert!(matches!(lookup(&long), Lookup::Unknown { .. }));
    }
}
