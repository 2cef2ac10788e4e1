//! dpkg's state in the image: which packages are installed (`/var/lib/dpkg/info/*.list`), the
//! files a package adds (its commands, copyright, payload), the database and logs an install
//! grows, and `apt-get remove` / `purge`.

use super::super::util::opaque;
use super::super::{Effect, PkgEnv, PkgOutcome};
use super::catalog::commands_of;
use super::{locate_error, not_root_dpkg, package_name, AptArgs};
use crate::content::Content;

/// dpkg database growth of an install: fixed part (status + status-old rewritten) and per new
/// package (info/*.list, md5sums…): fitted on apt.tsv's `dpkg_db_bytes` (1 package: 155,871 B;
/// 387 packages: 5,051,168 B).
pub(super) const DPKG_DB_FIXED: u64 = 143_000;
pub(super) const DPKG_DB_PER_PACKAGE: u64 = 13_000;
/// /var/log growth (dpkg.log, apt/history.log, term.log): 5,984 B for one package, 326,239 B for 387.
pub(super) const LOG_FIXED: u64 = 5_200;
pub(super) const LOG_PER_PACKAGE: u64 = 840;

pub(super) fn installed(env: &PkgEnv, pkg: &str) -> bool {
    env.fs.exists(&format!("/var/lib/dpkg/info/{pkg}.list"))
}

/// dpkg database: per-package info files, then status and status-old share the rest.
pub(super) fn write_database(e: &mut Effect, new: &[&str], dpkg_db: u64, seed: &str) {
    let per_pkg_info = DPKG_DB_PER_PACKAGE.min(dpkg_db / (new.len() as u64 + 2));
    for name in new {
        e.write(
            format!("/var/lib/dpkg/info/{name}.list"),
            opaque(&["dpkg-list", name], per_pkg_info),
            0o644,
        );
    }
    let status_total = dpkg_db.saturating_sub(per_pkg_info * new.len() as u64);
    e.write(
        "/var/lib/dpkg/status",
        opaque(&["dpkg-status", seed], status_total / 2),
        0o644,
    );
    e.write(
        "/var/lib/dpkg/status-old",
        opaque(&["dpkg-status-old", seed], status_total - status_total / 2),
        0o644,
    );
}

/// The install's `logs` bytes over dpkg.log, apt's history.log and term.log.
pub(super) fn write_logs(e: &mut Effect, env: &PkgEnv, logs: u64, seed: &str) {
    append_log(e, env, "/var/log/dpkg.log", logs * 6 / 10, seed);
    append_log(e, env, "/var/log/apt/history.log", logs / 10, seed);
    append_log(
        e,
        env,
        "/var/log/apt/term.log",
        logs - logs * 6 / 10 - logs / 10,
        seed,
    );
}

/// A package's files: its commands (a nominal share of the payload) and the rest of its payload.
pub(super) fn package_files(e: &mut Effect, pkg: &str, payload: u64) {
    let cmds = commands_of(pkg);
    let mut left = payload;
    for c in cmds {
        let size = (payload / 2 / cmds.len().max(1) as u64).min(400_000);
        left -= size.min(left);
        e.write(*c, opaque(&["deb-cmd", pkg, c], size), 0o755);
    }
    // The copyright file slim images keep, and Debian 12's PEP 668 marker, out of the payload
    // (only when it has room: the layer total stays the measured one).
    let doc = format!("Package: {pkg}\n");
    if left >= doc.len() as u64 {
        left -= doc.len() as u64;
        e.write(
            format!("/usr/share/doc/{pkg}/copyright"),
            Content::from_text(&doc),
            0o644,
        );
    }
    const MARKER: &str = "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package you are trying to\n install.\n";
    if pkg == "libpython3.11-stdlib" && left >= MARKER.len() as u64 {
        left -= MARKER.len() as u64;
        e.write(
            "/usr/lib/python3.11/EXTERNALLY-MANAGED",
            Content::from_text(MARKER),
            0o644,
        );
    }
    e.write(
        format!("/usr/lib/x86_64-linux-gnu/.layerlab-deb/{pkg}"),
        opaque(&["deb-payload", pkg], left),
        0o644,
    );
}

/// Appends `bytes` to a log file (the layer stores the whole grown file, as overlayfs does).
fn append_log(e: &mut Effect, env: &PkgEnv, path: &str, bytes: u64, seed: &str) {
    let old = env.fs.read(path).unwrap_or_else(Content::empty);
    e.write(
        path,
        old.append(&opaque(&["log", path, seed], bytes)),
        0o644,
    );
}

pub(super) fn remove(a: &AptArgs, env: &PkgEnv, tool: &str) -> PkgOutcome {
    if env.uid != 0 {
        return not_root_dpkg();
    }
    let mut e = Effect::default();
    for p in &a.packages {
        let Some(name) = package_name(p) else {
            return locate_error(p);
        };
        if !installed(env, &name) {
            continue;
        }
        for c in commands_of(&name) {
            e.removes.push(c.to_string());
        }
        e.removes
            .push(format!("/usr/lib/x86_64-linux-gnu/.layerlab-deb/{name}"));
        e.removes.push(format!("/usr/share/doc/{name}"));
        e.removes.push(format!("/var/lib/dpkg/info/{name}.list"));
    }
    e.note =
        format!("{tool} remove: files removed (whiteouts; the bytes stay in the earlier layer)");
    PkgOutcome::Done(e)
}
