//! Helpers shared by the package models: finding a tool on PATH, paths relative to the working
//! directory, the home directory of the running user, the distro from os-release, stable opaque
//! content for files whose bytes we do not model; `human` sizes for notes come from `crate::units`.

use super::{Effect, FileWrite, FsView, PkgEnv};
use crate::content::{Content, Hasher};
use crate::image::config::DEFAULT_PATH;

/// Where `cmd` resolves: itself when it has a `/` (relative to the cwd), else the first PATH hit.
pub fn find_command(env: &PkgEnv, cmd: &str) -> Option<String> {
    if cmd.contains('/') {
        let p = absolute(env.cwd, cmd);
        return env.fs.exists(&p).then_some(p);
    }
    let path = (env.env)("PATH").unwrap_or_else(|| DEFAULT_PATH.to_string());
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| absolute("/", &format!("{d}/{cmd}")))
        .find(|p| env.fs.exists(p))
}

/// `rel` made absolute against `cwd`, with `.` and `..` resolved lexically (the fs's own rule).
pub use crate::fs::path::join_abs as absolute;

/// The home directory of the running user: `$HOME`, else /etc/passwd, else `/root` for root.
pub fn home(env: &PkgEnv) -> String {
    if let Some(h) = (env.env)("HOME").filter(|h| h.starts_with('/')) {
        return h;
    }
    if let Some(text) = read_text(env.fs, "/etc/passwd") {
        for line in text.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() >= 6 && f[2].parse::<u32>().ok() == Some(env.uid) {
                return f[5].to_string();
            }
        }
    }
    if env.uid == 0 {
        "/root".to_string()
    } else {
        "/".to_string()
    }
}

/// A small text file's content, if it has bytes (not an opaque blob).
pub fn read_text(fs: &dyn FsView, path: &str) -> Option<String> {
    let c = fs.read(path)?;
    c.as_bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

/// What `/etc/os-release` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    pub id: String,
    pub version_id: String,
    pub codename: String,
}

pub fn os_release(fs: &dyn FsView) -> OsRelease {
    let text = read_text(fs, "/etc/os-release")
        .or_else(|| read_text(fs, "/usr/lib/os-release"))
        .unwrap_or_default();
    let mut r = OsRelease::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let v = v.trim_matches('"').to_string();
        match k {
            "ID" => r.id = v,
            "VERSION_ID" => r.version_id = v,
            "VERSION_CODENAME" => r.codename = v,
            _ => {}
        }
    }
    r
}

/// Opaque content with an identity derived from what produced it, so the same install gives
/// the same digest (cache keys of a later `COPY --from` stay stable).
pub fn opaque(parts: &[&str], size: u64) -> Content {
    if size == 0 {
        return Content::empty();
    }
    let mut h = Hasher::new();
    for p in parts {
        h.write_str(p);
    }
    h.write(&size.to_le_bytes());
    Content::opaque(size, h.finish() as u64)
}

/// Sizes in notes are for people: one format for the whole product ([`crate::units`]).
pub use crate::units::human_size as human;

impl Effect {
    /// Adds a file write.
    pub fn write(&mut self, path: impl Into<String>, content: Content, mode: u32) {
        self.writes.push(FileWrite {
            path: path.into(),
            content,
            mode,
        });
    }

    /// Total bytes of the files this effect writes.
    pub fn written_bytes(&self) -> u64 {
        self.writes.iter().map(|w| w.content.len()).sum()
    }
}

/// Splits short option clusters (`-yq` → `-y -q`) and `--opt=value`; keeps the rest.
pub fn expand_flags<'a>(args: &[&'a str]) -> Vec<std::borrow::Cow<'a, str>> {
    let mut out = Vec::new();
    for a in args {
        if a.len() > 2
            && a.starts_with('-')
            && !a.starts_with("--")
            && a[1..].chars().all(|c| c.is_ascii_alphabetic())
        {
            for c in a[1..].chars() {
                out.push(std::borrow::Cow::Owned(format!("-{c}")));
            }
        } else {
            out.push(std::borrow::Cow::Borrowed(*a));
        }
    }
    out
}

#[cfg(test)]
pub mod testing {
    //! An in-memory [`FsView`] for the package tests.
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    pub struct MemFs {
        pub files: BTreeMap<String, Content>,
        pub dirs: Vec<String>,
    }

    impl MemFs {
        pub fn with(mut self, path: &str, text: &str) -> MemFs {
            self.files
                .insert(path.to_string(), Content::from_text(text));
            self
        }
        pub fn dir(mut self, path: &str) -> MemFs {
            self.dirs.push(path.to_string());
            self
        }
        /// Applies an effect (removes, mkdirs, writes) the way the RUN interpreter does.
        pub fn apply(&mut self, e: &Effect) {
            for r in &e.removes {
                let prefix = format!("{r}/");
                self.files.retain(|p, _| p != r && !p.starts_with(&prefix));
                self.dirs.retain(|p| p != r && !p.starts_with(&prefix));
            }
            for d in &e.mkdirs {
                self.dirs.push(d.clone());
            }
            for w in &e.writes {
                self.files.insert(w.path.clone(), w.content.clone());
            }
            for l in &e.symlinks {
                self.files.insert(l.path.clone(), Content::empty());
            }
        }
    }

    impl FsView for MemFs {
        fn exists(&self, path: &str) -> bool {
            self.files.contains_key(path) || self.is_dir(path)
        }
        fn is_dir(&self, path: &str) -> bool {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            path == "/"
                || self.dirs.iter().any(|d| d == path)
                || self.files.keys().any(|p| p.starts_with(&prefix))
        }
        fn read(&self, path: &str) -> Option<Content> {
            self.files.get(path).cloned()
        }
        fn list_dir(&self, path: &str) -> Vec<String> {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            let mut names: Vec<String> = self
                .files
                .keys()
                .chain(self.dirs.iter())
                .filter_map(|p| p.strip_prefix(&prefix))
                .filter(|rest| !rest.is_empty())
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                .collect();
            crate::sorting::sort(&mut names);
            names.dedup();
            names
        }
    }

    /// The files of a catalogued base image (symlinks as empty files: the tests only need names).
    pub fn from_image(reference: &str) -> MemFs {
        use crate::image::{lookup, BaseFileKind};
        let img = lookup(reference).found().expect("catalogued image");
        let mut fs = MemFs::default();
        for f in img.files() {
            match &f.kind {
                BaseFileKind::Dir => fs.dirs.push(f.path.clone()),
                BaseFileKind::File { content } => {
                    fs.files.insert(f.path.clone(), content.clone());
                }
                BaseFileKind::Symlink { .. } => {
                    fs.files.insert(f.path.clone(), Content::empty());
                }
            }
        }
        fs
    }

    /// A Debian bookworm-slim-like fs: tools on PATH, os-release, apt config, empty lists.
    pub fn debian() -> MemFs {
        MemFs::default()
            .with("/usr/bin/apt-get", "")
            .with("/usr/bin/apt", "")
            .with("/usr/bin/dpkg", "")
            .with(
                "/etc/os-release",
                "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
            )
            .with(
                "/etc/apt/apt.conf.d/docker-clean",
                "Dir::Cache::pkgcache \"\";\n",
            )
            .with(
                "/etc/dpkg/dpkg.cfg.d/docker",
                "path-exclude /usr/share/doc/*\n",
            )
            .with(
                "/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n",
            )
            .dir("/var/lib/apt/lists")
            .dir("/var/lib/apt/lists/partial")
            .dir("/var/cache/apt/archives")
    }

    pub fn env_of<'a>(
        fs: &'a MemFs,
        cwd: &'a str,
        vars: &'a dyn Fn(&str) -> Option<String>,
        uid: u32,
    ) -> PkgEnv<'a> {
        PkgEnv {
            fs,
            cwd,
            env: vars,
            uid,
        }
    }

    pub fn no_vars(_: &str) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_cwd() {
        assert_eq!(
            absolute("/app", "requirements.txt"),
            "/app/requirements.txt"
        );
        assert_eq!(absolute("/app", "../x/./y"), "/x/y");
        assert_eq!(absolute("/app", "/etc//passwd"), "/etc/passwd");
        assert_eq!(absolute("/", ".."), "/");
    }
}
