//! The built playground that end-to-end tests open: built once per test process with Trunk
//! (release profile, as shipped), or taken from `E2E_DIST`/`E2E_PAGES_DIST` when already built.

use crate::paths::{repo_root, target_dir};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

/// Serialises Trunk runs: two builds in one target dir would only wait on each other.
static BUILD_LOCK: Mutex<()> = Mutex::new(());

/// A site built for serving at `public_url` (`/` locally, `/<repo>/` for GitHub Pages).
/// `env_override` names a variable that points at an existing build instead.
pub fn built_site(name: &str, public_url: &str, env_override: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os(env_override) {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("index.html").is_file(),
            "{env_override}={} has no index.html",
            dir.display()
        );
        return dir;
    }
    let _guard = BUILD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let dist = target_dir().join("e2e-sites").join(name);
    let status = Command::new("trunk")
        .current_dir(repo_root())
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            public_url,
            "--dist",
        ])
        .arg(&dist)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env_remove("NO_COLOR")
        .status()
        .unwrap_or_else(|e| panic!("cannot run trunk ({e}); `./dev test` installs the toolchain"));
    assert!(status.success(), "trunk build for {public_url} failed");
    dist
}

/// The locally built site (`/`), served once per test process; returns its URL.
pub fn local_url() -> String {
    static SERVER: std::sync::OnceLock<crate::server::StaticServer> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            let dist = built_site("local", "/", "E2E_DIST");
            crate::server::StaticServer::start(&dist, "/").expect("cannot start the static server")
        })
        .url()
}
