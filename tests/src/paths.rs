//! Where the tests find the repository, the built site, the shared data and the target dir.

use std::path::PathBuf;

/// The repository root (this crate lives in `<root>/tests`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared` next to the repository root.
pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared")
}

/// The cargo target dir, where screenshots and other test artefacts are written.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// A built site: `E2E_DIST` if set, else `<root>/<default>`.
pub fn dist_dir(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(default))
}
