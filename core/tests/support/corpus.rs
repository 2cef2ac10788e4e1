//! The real-world Dockerfiles of ../shared/conformance/realworld, shared by the parser
//! benchmark and the dockerfile-parser cross-check (included with `#[path]`).

pub const REALWORLD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/conformance/realworld"
);

/// `(file name, text)` of every `*.Dockerfile`, sorted by name.
pub fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(REALWORLD)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "Dockerfile"))
        .filter_map(|f| {
            let name = f.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&f).ok()?))
        })
        .collect()
}
