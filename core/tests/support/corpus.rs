//! The real-world Dockerfiles of ../shared/conformance/realworld, and the listing of a folder's
//! `*.Dockerfile` files, shared by the benches and tests that read them (included with
//! `#[path]`; some includers use only part of it).

use std::path::{Path, PathBuf};

pub const REALWORLD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/conformance/realworld"
);

/// Every `*.Dockerfile` in `dir`, sorted by path (none when `dir` cannot be read).
pub fn dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|f| f.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

/// `(file name, text)` of every real-world `*.Dockerfile`, sorted by name.
pub fn corpus() -> Vec<(String, String)> {
    dockerfiles(Path::new(REALWORLD))
        .into_iter()
        .filter_map(|f| {
            let name = f.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&f).ok()?))
        })
        .collect()
}
