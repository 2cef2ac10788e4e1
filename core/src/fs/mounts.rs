//! Mounts of one RUN (`--mount=type=cache|bind|tmpfs|secret`): other trees shown at a target
//! path while the command runs, never part of the layer the RUN commits.
//!
//! BuildKit removes the mount-point stubs it had to create (`/cache`, `/var/c2` in
//! bk_run_mount_cache never reach a layer), so a mount here is purely a view: nothing is put
//! into the stage's tree to make room for it.

use super::node::{Meta, Node};
use super::stack::Tree;
use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountKind {
    /// A persistent tree owned by the caller (keyed by `id`); hand it back with
    /// `Fs::unmount_all` after the RUN to keep what the command wrote.
    Cache { id: String },
    /// Another stage's filesystem or the build context; writes (with `rw`) are discarded.
    Bind,
    /// An empty scratch tree; discarded.
    Tmpfs,
    /// One file (`/run/secrets/<id>` by default).
    Secret { id: String },
}

/// One mounted tree. `source` is the key inside `tree` shown at `target` (a key of the stage's fs).
#[derive(Debug, Clone)]
pub struct Mount {
    pub target: String,
    pub kind: MountKind,
    pub tree: Tree,
    pub source: String,
    pub readonly: bool,
}

impl Mount {
    /// A cache mount showing `tree` (empty for a first use: `Tree::default()`).
    pub fn cache(target: &str, id: &str, tree: Tree) -> Mount {
        Mount {
            target: super::path::key_of(target),
            kind: MountKind::Cache { id: id.to_string() },
            tree,
            source: String::new(),
            readonly: false,
        }
    }

    /// A bind mount of `source_path` inside `tree` (a clone of another stage's `Fs::tree()`, or a
    /// tree built from the context). BuildKit bind mounts are read-only unless `rw` is given.
    pub fn bind(target: &str, tree: Tree, source_path: &str, readonly: bool) -> Mount {
        Mount {
            target: super::path::key_of(target),
            kind: MountKind::Bind,
            tree,
            source: super::path::key_of(source_path),
            readonly,
        }
    }

    pub fn tmpfs(target: &str) -> Mount {
        Mount {
            target: super::path::key_of(target),
            kind: MountKind::Tmpfs,
            tree: Tree::default(),
            source: String::new(),
            readonly: false,
        }
    }

    /// A secret file at `target` (BuildKit's default target is `/run/secrets/<id>`, mode 0400).
    pub fn secret(target: &str, id: &str, content: Content, meta: Meta) -> Mount {
        let mut tree = Tree::default();
        tree.put_new_file("secret", content, meta);
        Mount {
            target: super::path::key_of(target),
            kind: MountKind::Secret { id: id.to_string() },
            tree,
            source: "secret".to_string(),
            readonly: true,
        }
    }

    /// The `/dev` runc mounts into every RUN container: the device nodes scripts use (as
    /// empty 0666 files; the interpreter gives `/dev/null`, `/dev/zero`, `/dev/urandom` their
    /// behaviour), the stdio links and `/dev/shm`. Never part of a layer.
    pub fn run_dev() -> Mount {
        let mut tree = Tree::default();
        for name in ["null", "zero", "full", "random", "urandom", "tty"] {
            tree.put_new_file(name, Content::empty(), Meta::root(0o666));
        }
        for (name, target) in [
            ("stdin", "/proc/self/fd/0"),
            ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"),
            ("fd", "/proc/self/fd"),
        ] {
            tree.put(
                name,
                Node::Symlink {
                    target: target.to_string(),
                    meta: Meta::root(0o777),
                },
            );
        }
        for (name, mode) in [("shm", 0o1777), ("pts", 0o755), ("mqueue", 0o1777)] {
            tree.put(
                name,
                Node::Dir {
                    meta: Meta::root(mode),
                    opaque: false,
                },
            );
        }
        Mount {
            target: "dev".to_string(),
            kind: MountKind::Tmpfs,
            tree,
            source: String::new(),
            readonly: false,
        }
    }

    /// The default target of a secret mount.
    pub fn default_secret_target(id: &str) -> String {
        format!("/run/secrets/{id}")
    }
}
