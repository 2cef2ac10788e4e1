//! `Fs`: one stage's filesystem as commands see it: path resolution (symlinks, mounts) and the
//! queries (stat, read, list, walk, digest) over a layered `Tree`; changes are in `change`.
//! Permission checks are the caller's (the shell knows the user); this layer only refuses what
//! the kernel would refuse for root (missing parents, writing a directory, read-only mounts).

use super::layer::Layer;
use super::mounts::Mount;
use super::node::{FileType, Meta, Node, Stat};
use super::path::{child_key, is_within, key_of, parent_key};
use super::stack::Tree;
use crate::content::Content;
use std::sync::Arc;

/// What a path that only leads to a mount target is (`/run` while `/run/secrets/x` is mounted).
static MOUNT_PATH_DIR: Node = Node::Dir {
    meta: Meta::root(0o755),
    opaque: false,
};

/// At most this many symlinks are followed in one resolution (Linux: 40, then `ELOOP`).
pub const MAX_SYMLINK_HOPS: usize = 40;

/// Why an operation failed; `message()` is the libc `strerror` text busybox prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotDir,
    IsDir,
    Exists,
    NotEmpty,
    PermissionDenied,
    NotPermitted,
    ReadOnly,
    Loop,
    Invalid,
    CrossDevice,
    NoSpace,
}

impl FsError {
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::PermissionDenied => "Permission denied",
            FsError::NotPermitted => "Operation not permitted",
            FsError::ReadOnly => "Read-only file system",
            FsError::Loop => "Symbolic link loop",
            FsError::Invalid => "Invalid argument",
            FsError::CrossDevice => "Invalid cross-device link",
            FsError::NoSpace => "No space left on device",
        }
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// Where a resolved path lives: the stage's tree (`mount: None`) or a mount's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub mount: Option<usize>,
    /// The key inside that tree.
    pub key: String,
    /// The resolved absolute path in the stage's namespace.
    pub abs_key: String,
}

/// An entry of `Fs::walk`.
#[derive(Debug, Clone)]
pub struct WalkEntry {
    /// Absolute path.
    pub path: String,
    pub stat: Stat,
    /// The content of a regular file.
    pub content: Option<Content>,
}

/// One stage's filesystem: a layered tree plus the mounts of the RUN in progress.
#[derive(Debug, Clone, Default)]
pub struct Fs {
    pub(super) tree: Tree,
    pub(super) mounts: Vec<Mount>,
}

impl Fs {
    /// An empty filesystem (just `/`), e.g. to build a base image or `FROM scratch`.
    pub fn new() -> Fs {
        Fs::default()
    }

    /// A filesystem over committed layers (bottom first).
    pub fn from_layers(layers: Vec<Arc<Layer>>) -> Fs {
        Fs {
            tree: Tree::new(layers),
            mounts: Vec::new(),
        }
    }

    /// The committed layers, bottom first.
    pub fn layers(&self) -> &[Arc<Layer>] {
        &self.tree.layers
    }

    /// The stage's own tree (without mounts): clone it to bind-mount this stage elsewhere.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// True if nothing changed since the last commit.
    pub fn is_clean(&self) -> bool {
        self.tree.is_clean()
    }

    /// Computes the layer the changes since the last commit make, without committing.
    pub fn diff(&self) -> Layer {
        super::commit::diff(&self.tree)
    }

    /// Commits the changes: returns the new layer, which now lies under an empty upper layer.
    pub fn commit(&mut self) -> Arc<Layer> {
        let layer = Arc::new(self.diff());
        self.tree = Tree::new(
            self.tree
                .layers
                .iter()
                .cloned()
                .chain(std::iter::once(layer.clone()))
                .collect(),
        );
        layer
    }

    /// Drops the uncommitted changes (a failed RUN).
    pub fn discard(&mut self) {
        self.tree = Tree::new(self.tree.layers.clone());
    }

    // ---- mounts ----

    /// Shows `mount` at its target until `unmount_all`.
    pub fn attach_mount(&mut self, mount: Mount) {
        self.mounts.push(mount);
        // Longest target first, so nested mounts win.
        crate::sorting::sort_by_key(&mut self.mounts, |m| std::cmp::Reverse(m.target.len()));
    }

    /// Removes every mount and returns them (cache trees are kept by the caller).
    pub fn unmount_all(&mut self) -> Vec<Mount> {
        std::mem::take(&mut self.mounts)
    }

    /// Removes the mount at `target` (an absolute path) and returns it.
    pub fn detach_mount(&mut self, target: &str) -> Option<Mount> {
        let key = key_of(target);
        let i = self.mounts.iter().position(|m| m.target == key)?;
        Some(self.mounts.remove(i))
    }

    pub fn mounts(&self) -> &[Mount] {
        &self.mounts
    }

    /// Runc creates `/dev`, `/proc` and `/sys` as mount points and they stay in the RUN's
    /// layer when the image lacks them (first RUN on lab/busybox:1, layers_dd_rm_same_run).
    /// The build driver calls this before every RUN; it is a no-op when they exist.
    pub fn ensure_run_mount_points(&mut self) {
        for name in ["dev", "proc", "sys"] {
            if self.tree.get(name).is_none() {
                self.tree.put(
                    name,
                    Node::Dir {
                        meta: Meta::root(0o755),
                        opaque: false,
                    },
                );
            }
        }
    }

    // ---- resolution ----

    pub(super) fn locate(&self, abs_key: &str) -> Loc {
        for (i, m) in self.mounts.iter().enumerate() {
            if is_within(abs_key, &m.target) && !m.target.is_empty() {
                let rest = &abs_key[m.target.len()..];
                let rest = rest.trim_start_matches('/');
                let key = if rest.is_empty() {
                    m.source.clone()
                } else {
                    child_key(&m.source, rest)
                };
                return Loc {
                    mount: Some(i),
                    key,
                    abs_key: abs_key.to_string(),
                };
            }
        }
        Loc {
            mount: None,
            key: abs_key.to_string(),
            abs_key: abs_key.to_string(),
        }
    }

    pub(super) fn tree_of(&self, loc: &Loc) -> &Tree {
        match loc.mount.and_then(|i| self.mounts.get(i)) {
            Some(m) => &m.tree,
            None => &self.tree,
        }
    }

    pub(super) fn tree_mut(&mut self, loc: &Loc) -> Result<&mut Tree, FsError> {
        match loc.mount {
            Some(i) => match self.mounts.get_mut(i) {
                Some(m) if m.readonly => Err(FsError::ReadOnly),
                Some(m) => Ok(&mut m.tree),
                None => Err(FsError::Invalid),
            },
            None => Ok(&mut self.tree),
        }
    }

    /// The node at a location; directories that only lead to a mount target exist too.
    pub(super) fn node_at(&self, loc: &Loc) -> Option<Node> {
        self.node_ref(loc).cloned()
    }

    /// `node_at` without copying the node.
    pub(super) fn node_ref(&self, loc: &Loc) -> Option<&Node> {
        if let Some(n) = self.tree_of(loc).get(&loc.key) {
            return Some(n);
        }
        if loc.mount.is_none()
            && self
                .mounts
                .iter()
                .any(|m| is_within(&m.target, &loc.key) && m.target != loc.key)
        {
            return Some(&MOUNT_PATH_DIR);
        }
        None
    }

    /// The node at an absolute key of the stage's namespace (mounts applied); no allocation
    /// when nothing is mounted (every COPY, most lookups).
    pub(super) fn node_at_key(&self, abs_key: &str) -> Option<&Node> {
        // `node_ref(&self.locate(abs_key))`, allocating only for a path inside a mount.
        for m in &self.mounts {
            if is_within(abs_key, &m.target) && !m.target.is_empty() {
                let rest = abs_key
                    .get(m.target.len()..)
                    .unwrap_or("")
                    .trim_start_matches('/');
                return if rest.is_empty() {
                    m.tree.get(&m.source)
                } else {
                    m.tree.get(&child_key(&m.source, rest))
                };
            }
        }
        if let Some(n) = self.tree.get(abs_key) {
            return Some(n);
        }
        if self
            .mounts
            .iter()
            .any(|m| is_within(&m.target, abs_key) && m.target != abs_key)
        {
            return Some(&MOUNT_PATH_DIR);
        }
        None
    }

    /// Resolves an absolute `path` (symlinks in every component, the last one only if
    /// `follow_last`). The last component need not exist; its parent must be a directory.
    pub fn resolve(&self, path: &str, follow_last: bool) -> Result<Loc, FsError> {
        self.resolve_node(path, follow_last).map(|(loc, _)| loc)
    }

    /// `resolve`, also giving the node at the result: the walk has looked most results up
    /// already (`Fs::put_file` through a 45-layer stack would otherwise look twice).
    pub(super) fn resolve_node(
        &self,
        path: &str,
        follow_last: bool,
    ) -> Result<(Loc, Option<&Node>), FsError> {
        // Components of `path` still to walk, and (walked first) those of symlink targets met
        // on the way, next last: nothing is allocated for a path without symlinks.
        let mut rest = path.split('/').filter(|c| !c.is_empty());
        let mut pending: Vec<&str> = Vec::new();
        let mut cur = String::with_capacity(path.len());
        // The node at `cur` when the walk looked it up and `cur` has not changed since.
        let mut at_cur: Option<Option<&Node>> = None;
        let mut hops = 0usize;
        while let Some(c) = pending.pop().or_else(|| rest.next()) {
            if c == "." {
                continue;
            }
            if c == ".." {
                cur.truncate(cur.rfind('/').unwrap_or(0));
                at_cur = None;
                continue;
            }
            let parent_len = cur.len();
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(c);
            let is_last = pending.iter().all(|p| *p == ".") && rest.clone().all(|p| p == ".");
            let node = self.node_at_key(&cur);
            at_cur = Some(node);
            match node {
                Some(Node::Symlink { target, .. }) if follow_last || !is_last => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::Loop);
                    }
                    cur.truncate(parent_len);
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    pending.extend(target.split('/').rev().filter(|p| !p.is_empty()));
                    at_cur = None;
                }
                Some(Node::Dir { .. }) => {}
                Some(_) if !is_last => return Err(FsError::NotDir),
                None if !is_last => return Err(FsError::NotFound),
                _ => {}
            }
        }
        let loc = if self.mounts.is_empty() {
            Loc {
                mount: None,
                key: cur.clone(),
                abs_key: cur,
            }
        } else {
            self.locate(&cur)
        };
        let node = match at_cur {
            Some(n) => n,
            None => self.node_ref(&loc),
        };
        Ok((loc, node))
    }

    pub(super) fn node(&self, path: &str, follow: bool) -> Result<(Loc, Node), FsError> {
        let (loc, n) = self.node_ref_at_path(path, follow)?;
        Ok((loc, n.clone()))
    }

    /// `node` without copying the node.
    pub(super) fn node_ref_at_path(
        &self,
        path: &str,
        follow: bool,
    ) -> Result<(Loc, &Node), FsError> {
        match self.resolve_node(path, follow)? {
            (loc, Some(n)) => Ok((loc, n)),
            (_, None) => Err(FsError::NotFound),
        }
    }

    // ---- queries ----

    /// `stat` (follows symlinks).
    pub fn stat(&self, path: &str) -> Result<Stat, FsError> {
        self.node_ref_at_path(path, true)
            .and_then(|(_, n)| n.stat().ok_or(FsError::NotFound))
    }

    /// `lstat` (does not follow a final symlink).
    pub fn lstat(&self, path: &str) -> Result<Stat, FsError> {
        self.node_ref_at_path(path, false)
            .and_then(|(_, n)| n.stat().ok_or(FsError::NotFound))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_ok()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.stat(path).is_ok_and(|s| s.is_dir())
    }

    /// The resolved absolute path (symlinks followed), like `realpath`.
    pub fn canonical(&self, path: &str) -> Result<String, FsError> {
        let (loc, _) = self.node(path, true)?;
        Ok(format!("/{}", loc.abs_key))
    }

    pub fn read(&self, path: &str) -> Result<Content, FsError> {
        match self.node(path, true)? {
            (_, Node::File(f)) => Ok(f.content),
            (_, Node::Dir { .. }) => Err(FsError::IsDir),
            _ => Err(FsError::NotFound),
        }
    }

    pub fn read_link(&self, path: &str) -> Result<String, FsError> {
        match self.node(path, false)? {
            (_, Node::Symlink { target, .. }) => Ok(target),
            _ => Err(FsError::Invalid),
        }
    }

    /// Sorted names in a directory (follows symlinks).
    pub fn list_dir(&self, path: &str) -> Result<Vec<String>, FsError> {
        let (loc, n) = self.node(path, true)?;
        if !n.is_dir() {
            return Err(FsError::NotDir);
        }
        let mut names = self.tree_of(&loc).children(&loc.key);
        if loc.mount.is_none() {
            // Mount targets show in their parent directory while mounted.
            for m in &self.mounts {
                if parent_key(&m.target) == loc.key && !m.target.is_empty() {
                    let name = super::path::base_name(&m.target).to_string();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            crate::sorting::sort(&mut names);
        }
        Ok(names)
    }

    /// `path` and everything below it (parents first, names sorted, symlinks not followed),
    /// bounded by `stack::WALK_LIMIT`. Paths are absolute.
    pub fn walk(&self, path: &str) -> Result<Vec<WalkEntry>, FsError> {
        let start = self.resolve(path, true)?;
        if self.node_at(&start).is_none() {
            return Err(FsError::NotFound);
        }
        let mut out = Vec::new();
        let mut stack = vec![start.abs_key.clone()];
        while let Some(abs_key) = stack.pop() {
            if out.len() >= super::stack::WALK_LIMIT {
                break;
            }
            let loc = self.locate(&abs_key);
            let Some(node) = self.node_at(&loc) else {
                continue;
            };
            let Some(stat) = node.stat() else { continue };
            if stat.is_dir() {
                let abs = format!("/{abs_key}");
                if let Ok(names) = self.list_dir(&abs) {
                    for name in names.into_iter().rev() {
                        stack.push(child_key(&abs_key, &name));
                    }
                }
            }
            let content = match node {
                Node::File(f) => Some(f.content),
                _ => None,
            };
            out.push(WalkEntry {
                path: format!("/{abs_key}"),
                stat,
                content,
            });
        }
        Ok(out)
    }

    /// A stable digest of the subtree at `path` (content, kinds, modes, owners, names; not
    /// times): equal for byte-identical artifacts, for `COPY --from` content-based cache hits.
    pub fn subtree_digest(&self, path: &str) -> Result<crate::content::Digest, FsError> {
        let entries = self.walk(path)?;
        Ok(super::digest::digest_entries(&entries))
    }

    /// Type of what is at `path` without following a final symlink, if anything.
    pub fn kind_of(&self, path: &str) -> Option<FileType> {
        self.lstat(path).ok().map(|s| s.kind)
    }

    /// Content of `key` (a key, no symlinks): for tests and the layer view.
    pub fn key_of_path(path: &str) -> String {
        key_of(path)
    }
}
