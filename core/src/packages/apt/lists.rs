//! apt's package index and download cache: `apt-get update` writes the measured index files
//! (renamed for the image's suite), `clean` / `dist-clean` remove cached .debs, `.bin` caches
//! and, for dist-clean, the lists. The files are real paths, so `rm -rf /var/lib/apt/lists/*`
//! works through the normal fs too.

use super::super::data;
use super::super::util::{self, human, opaque};
use super::super::{Effect, PkgEnv, PkgOutcome};
use super::not_root_dpkg;
use crate::content::Content;

/// The suite names of the running image, for list file names (bookworm when unknown).
pub(super) fn suite(env: &PkgEnv) -> (String, bool) {
    let os = util::os_release(env.fs);
    let codename = if os.codename.is_empty() {
        "bookworm".to_string()
    } else {
        os.codename
    };
    let ubuntu = os.id == "ubuntu";
    (codename, ubuntu)
}

pub(super) fn update(env: &PkgEnv, tool: &str) -> PkgOutcome {
    if env.uid != 0 {
        return PkgOutcome::Failed {
            exit_code: 100,
            message: "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n\
E: Unable to lock directory /var/lib/apt/lists/"
                .into(),
        };
    }
    let (codename, ubuntu) = suite(env);
    let measured = codename == "bookworm" && !ubuntu;
    let mut e = Effect::default();
    for (path, size) in &data::apt().lists {
        let mut p = path.replace("bookworm", &codename);
        if ubuntu {
            p = p
                .replace(
                    "deb.debian.org_debian-security",
                    "security.ubuntu.com_ubuntu",
                )
                .replace("deb.debian.org_debian", "archive.ubuntu.com_ubuntu");
        }
        let content = opaque(&["apt-lists", &p], *size);
        if env.fs.read(&p).is_some_and(|old| old == content) {
            // "Hit:": an index that did not change is not rewritten (no copy-up).
            continue;
        }
        e.write(p.clone(), content, 0o644);
    }
    e.write("/var/lib/apt/lists/lock", Content::empty(), 0o640);
    e.mkdirs.push("/var/lib/apt/lists/partial".into());
    let total = e.written_bytes();
    e.estimated = !measured;
    e.stdout = format!(
        "Get:1 http://deb.debian.org/debian {codename} InRelease\nFetched {} in 1s\nReading package lists...\n",
        human(9_417_000)
    );
    e.note = format!(
        "{tool} update: {} index files, {} in /var/lib/apt/lists ({})",
        e.writes.iter().filter(|w| !w.content.is_empty()).count(),
        human(total),
        if measured {
            "measured, bookworm".to_string()
        } else {
            format!("estimate for {codename} from bookworm")
        }
    );
    PkgOutcome::Done(e)
}

/// True when `apt-get update` has run (the lists directory holds index files).
pub(super) fn lists_present(env: &PkgEnv) -> bool {
    env.fs
        .list_dir("/var/lib/apt/lists")
        .iter()
        .any(|n| n != "lock" && n != "partial" && n != "auxfiles")
}

pub(super) fn clean(env: &PkgEnv, tool: &str, lists_too: bool) -> PkgOutcome {
    if env.uid != 0 {
        return not_root_dpkg();
    }
    let mut e = Effect::default();
    for name in env.fs.list_dir("/var/cache/apt/archives") {
        if name.ends_with(".deb") {
            e.removes.push(format!("/var/cache/apt/archives/{name}"));
        }
    }
    for name in env.fs.list_dir("/var/cache/apt") {
        if name.ends_with(".bin") {
            e.removes.push(format!("/var/cache/apt/{name}"));
        }
    }
    if lists_too {
        for name in env.fs.list_dir("/var/lib/apt/lists") {
            if name != "partial" && name != "lock" {
                e.removes.push(format!("/var/lib/apt/lists/{name}"));
            }
        }
    }
    e.note = format!(
        "{tool} {}: {} cached file(s) removed (a later layer cannot shrink the earlier ones)",
        if lists_too { "dist-clean" } else { "clean" },
        e.removes.len()
    );
    PkgOutcome::Done(e)
}
