//! `Fs`: one stage's filesystem as commands see it: path resolution (symlinks, mounts), and the
//! operations the shell applets and the build driver perform, over a layered `Tree`.
//! Permission checks are the caller's (the shell knows the user); this layer only refuses what
//! the kernel would refuse for root (missing parents, writing a directory, read-only mounts).

use super::layer::Layer;
use super::mounts::Mount;
use super::node::{FileNode, FileType, Meta, Node, Stat};
use super::path::{child_key, is_within, key_of, parent_key};
use super::stack::Tree;
use crate::content::Content;
use std::sync::Arc;

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
    tree: Tree,
    mounts: Vec<Mount>,
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
        self.mounts
            .sort_by(|a, b| b.target.len().cmp(&a.target.len()));
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

    fn locate(&self, abs_key: &str) -> Loc {
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

    fn tree_of(&self, loc: &Loc) -> &Tree {
        match loc.mount.and_then(|i| self.mounts.get(i)) {
            Some(m) => &m.tree,
            None => &self.tree,
        }
    }

    fn tree_mut(&mut self, loc: &Loc) -> Result<&mut Tree, FsError> {
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
    fn node_at(&self, loc: &Loc) -> Option<Node> {
        if let Some(n) = self.tree_of(loc).get(&loc.key) {
            return Some(n.clone());
        }
        if loc.mount.is_none()
            && self
                .mounts
                .iter()
                .any(|m| is_within(&m.target, &loc.key) && m.target != loc.key)
        {
            return Some(Node::Dir {
                meta: Meta::root(0o755),
                opaque: false,
            });
        }
        None
    }

    /// Resolves an absolute `path` (symlinks in every component, the last one only if
    /// `follow_last`). The last component need not exist; its parent must be a directory.
    pub fn resolve(&self, path: &str, follow_last: bool) -> Result<Loc, FsError> {
        let mut pending: std::collections::VecDeque<String> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let mut cur: Vec<String> = Vec::new();
        let mut hops = 0usize;
        while let Some(c) = pending.pop_front() {
            if c == "." {
                continue;
            }
            if c == ".." {
                cur.pop();
                continue;
            }
            cur.push(c);
            let is_last = pending.iter().all(|p| p == ".");
            let loc = self.locate(&cur.join("/"));
            match self.node_at(&loc) {
                Some(Node::Symlink { target, .. }) if follow_last || !is_last => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::Loop);
                    }
                    cur.pop();
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    for part in target.split('/').rev().filter(|p| !p.is_empty()) {
                        pending.push_front(part.to_string());
                    }
                }
                Some(Node::Dir { .. }) => {}
                Some(_) if !is_last => return Err(FsError::NotDir),
                None if !is_last => return Err(FsError::NotFound),
                _ => {}
            }
        }
        Ok(self.locate(&cur.join("/")))
    }

    fn node(&self, path: &str, follow: bool) -> Result<(Loc, Node), FsError> {
        let loc = self.resolve(path, follow)?;
        match self.node_at(&loc) {
            Some(n) => Ok((loc, n)),
            None => Err(FsError::NotFound),
        }
    }

    // ---- queries ----

    /// `stat` (follows symlinks).
    pub fn stat(&self, path: &str) -> Result<Stat, FsError> {
        self.node(path, true)
            .and_then(|(_, n)| n.stat().ok_or(FsError::NotFound))
    }

    /// `lstat` (does not follow a final symlink).
    pub fn lstat(&self, path: &str) -> Result<Stat, FsError> {
        self.node(path, false)
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
            names.sort();
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

    // ---- changes ----

    fn parent_must_be_dir(&self, loc: &Loc) -> Result<(), FsError> {
        if loc.key.is_empty() && loc.mount.is_none() {
            return Err(FsError::Exists);
        }
        let parent = self.locate(parent_key(&loc.abs_key));
        match self.node_at(&parent) {
            Some(Node::Dir { .. }) => Ok(()),
            Some(_) => Err(FsError::NotDir),
            None => Err(FsError::NotFound),
        }
    }

    /// Writes a regular file (follows symlinks): an existing file keeps its inode, mode and
    /// owner (all its hard links see the new content); a new one gets `meta_if_new`.
    pub fn write(
        &mut self,
        path: &str,
        content: Content,
        meta_if_new: Meta,
    ) -> Result<(), FsError> {
        self.write_with(path, meta_if_new, move |_| content)
    }

    /// Appends to a regular file (creating it with `meta_if_new`).
    pub fn append(&mut self, path: &str, tail: Content, meta_if_new: Meta) -> Result<(), FsError> {
        self.write_with(path, meta_if_new, move |old| old.append(&tail))
    }

    fn write_with(
        &mut self,
        path: &str,
        meta_if_new: Meta,
        f: impl FnOnce(&Content) -> Content,
    ) -> Result<(), FsError> {
        let loc = self.resolve(path, true)?;
        match self.node_at(&loc) {
            Some(Node::File(mut file)) => {
                file.content = f(&file.content);
                self.update_inode(&loc, file)
            }
            Some(Node::Dir { .. }) => Err(FsError::IsDir),
            Some(_) => Err(FsError::Invalid),
            None => {
                self.parent_must_be_dir(&loc)?;
                let content = f(&Content::empty());
                let tree = self.tree_mut(&loc)?;
                let ino = tree.alloc_ino();
                tree.put(
                    &loc.key,
                    Node::File(FileNode {
                        ino,
                        nlink: 1,
                        content,
                        meta: meta_if_new,
                    }),
                );
                Ok(())
            }
        }
    }

    /// Creates or replaces whatever is at `path` (not following a final symlink) with a new
    /// file: what COPY does. Parents must exist.
    pub fn put_file(&mut self, path: &str, content: Content, meta: Meta) -> Result<(), FsError> {
        let loc = self.resolve(path, false)?;
        self.parent_must_be_dir(&loc)?;
        if let Some(Node::Dir { .. }) = self.node_at(&loc) {
            return Err(FsError::IsDir);
        }
        let tree = self.tree_mut(&loc)?;
        let ino = tree.alloc_ino();
        tree.put(
            &loc.key,
            Node::File(FileNode {
                ino,
                nlink: 1,
                content,
                meta,
            }),
        );
        Ok(())
    }

    /// Creates a directory, or sets the meta of an existing one (what COPY does to a
    /// directory it copies).
    pub fn put_dir(&mut self, path: &str, meta: Meta) -> Result<(), FsError> {
        let loc = self.resolve(path, true)?;
        self.set_dir_meta_or_create(&loc, meta)
    }

    fn set_dir_meta_or_create(&mut self, loc: &Loc, meta: Meta) -> Result<(), FsError> {
        match self.node_at(loc) {
            Some(Node::Dir { meta: old, .. }) if old == meta => Ok(()),
            Some(Node::Dir { .. }) | None => {
                if self.node_at(loc).is_none() {
                    self.parent_must_be_dir(loc)?;
                }
                let tree = self.tree_mut(loc)?;
                let opaque = matches!(
                    tree.upper.get(&loc.key),
                    Some(Node::Dir { opaque: true, .. })
                );
                tree.put(&loc.key, Node::Dir { meta, opaque });
                Ok(())
            }
            Some(_) => Err(FsError::NotDir),
        }
    }

    /// `mkdir`: fails if anything exists at `path`.
    pub fn mkdir(&mut self, path: &str, meta: Meta) -> Result<(), FsError> {
        let loc = self.resolve(path, false)?;
        if self.node_at(&loc).is_some() {
            return Err(FsError::Exists);
        }
        self.parent_must_be_dir(&loc)?;
        self.tree_mut(&loc)?.put(
            &loc.key,
            Node::Dir {
                meta,
                opaque: false,
            },
        );
        Ok(())
    }

    /// `mkdir -p`: creates the missing directories (existing ones keep their meta).
    pub fn mkdir_all(&mut self, path: &str, meta: Meta) -> Result<(), FsError> {
        let mut prefix = String::new();
        for comp in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
            prefix.push('/');
            prefix.push_str(comp);
            match self.stat(&prefix) {
                Ok(s) if s.is_dir() => {}
                Ok(_) => return Err(FsError::NotDir),
                Err(FsError::NotFound) => {
                    // `..` after a created dir is resolved lexically by `resolve`.
                    let loc = self.resolve(&prefix, true)?;
                    if self.node_at(&loc).is_none() {
                        self.parent_must_be_dir(&loc)?;
                        self.tree_mut(&loc)?.put(
                            &loc.key,
                            Node::Dir {
                                meta,
                                opaque: false,
                            },
                        );
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Removes `path` (a final symlink itself, not its target). A directory needs `recursive`
    /// (or must be empty when `dir_ok_if_empty`).
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let (loc, node) = self.node(path, false)?;
        if loc.key.is_empty() {
            return Err(FsError::NotPermitted);
        }
        if self
            .mounts
            .iter()
            .any(|m| m.target == loc.abs_key || is_within(&m.target, &loc.abs_key))
        {
            // The kernel refuses to remove a mount point (EBUSY); the closest message.
            return Err(FsError::NotPermitted);
        }
        if node.is_dir() && !recursive && !self.tree_of(&loc).children(&loc.key).is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.tree_mut(&loc)?.delete(&loc.key);
        Ok(())
    }

    /// Replaces the meta of `path` (chmod + chown). Changing a file's inode rewrites all its names.
    pub fn set_meta(&mut self, path: &str, meta: Meta, follow: bool) -> Result<(), FsError> {
        let (loc, node) = self.node(path, follow)?;
        match node {
            // chmod/chown to what it already is changes only the ctime, which the layer diff
            // ignores (continuity `sameFile`): nothing to record.
            Node::File(f) if f.meta == meta => Ok(()),
            Node::File(mut f) => {
                f.meta = meta;
                self.update_inode(&loc, f)
            }
            Node::Dir { .. } => self.set_dir_meta_or_create(&loc, meta),
            Node::Symlink { target, .. } => {
                // Symlink permission bits are always 0777; only ownership changes (`chown -h`).
                let meta = Meta::new(0o777, meta.uid, meta.gid);
                self.tree_mut(&loc)?
                    .put(&loc.key, Node::Symlink { target, meta });
                Ok(())
            }
            Node::Whiteout => Err(FsError::NotFound),
        }
    }

    /// Marks a file as changed without changing it (`touch`: a new mtime, so the layer stores
    /// the whole file again); creates it empty with `meta_if_new` if missing.
    pub fn touch(&mut self, path: &str, meta_if_new: Meta) -> Result<(), FsError> {
        let loc = self.resolve(path, true)?;
        match self.node_at(&loc) {
            Some(Node::File(f)) => self.update_inode(&loc, f),
            Some(Node::Dir { meta, .. }) => {
                // A directory's mtime is ignored by the diff (continuity's sameFile compares
                // only mode/owner for dirs): nothing to record.
                let _ = meta;
                Ok(())
            }
            Some(_) => Ok(()),
            None => self.write(path, Content::empty(), meta_if_new),
        }
    }

    /// Creates a symlink at `link_path` pointing to `target` (stored verbatim).
    pub fn symlink(&mut self, target: &str, link_path: &str, owner: Meta) -> Result<(), FsError> {
        let loc = self.resolve(link_path, false)?;
        if self.node_at(&loc).is_some() {
            return Err(FsError::Exists);
        }
        self.parent_must_be_dir(&loc)?;
        let meta = Meta::new(0o777, owner.uid, owner.gid);
        self.tree_mut(&loc)?.put(
            &loc.key,
            Node::Symlink {
                target: target.to_string(),
                meta,
            },
        );
        Ok(())
    }

    /// Adds a hard link `new_path` to the file at `existing` (a symlink is linked itself).
    pub fn link(&mut self, existing: &str, new_path: &str) -> Result<(), FsError> {
        let (src_loc, node) = self.node(existing, false)?;
        let dst = self.resolve(new_path, false)?;
        if self.node_at(&dst).is_some() {
            return Err(FsError::Exists);
        }
        self.parent_must_be_dir(&dst)?;
        if src_loc.mount != dst.mount {
            return Err(FsError::CrossDevice);
        }
        match node {
            Node::File(mut f) => {
                // Names of the inode this layer has not touched yet: they are re-emitted only
                // because the link count changed, as hard links to the new name.
                let untouched: Vec<String> = {
                    let tree = self.tree_of(&src_loc);
                    let names = if f.nlink > 1 {
                        tree.walk_keys("")
                            .into_iter()
                            .filter(
                                |k| matches!(tree.get(k), Some(Node::File(g)) if g.ino == f.ino),
                            )
                            .collect()
                    } else {
                        vec![src_loc.key.clone()]
                    };
                    names
                        .into_iter()
                        .filter(|k| !tree.upper.contains_key(k))
                        .collect()
                };
                f.nlink = f.nlink.saturating_add(1);
                // Every existing name is rewritten with the new link count: BuildKit re-emits
                // the other names of the inode when a later RUN adds a link (truth README).
                self.update_inode(&src_loc, f.clone())?;
                let tree = self.tree_mut(&dst)?;
                tree.put(&dst.key, Node::File(f));
                tree.relinked.extend(untouched);
                Ok(())
            }
            Node::Dir { .. } => Err(FsError::NotPermitted),
            other => {
                self.tree_mut(&dst)?.put(&dst.key, other);
                Ok(())
            }
        }
    }

    /// `rename(2)`: moves `from` (not following a final symlink) to `to`, replacing a file or
    /// an empty directory there. A moved file keeps its inode; the layer stores it at the new
    /// path and a whiteout at the old one.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (src, node) = self.node(from, false)?;
        let dst = self.resolve(to, false)?;
        if src.abs_key == dst.abs_key {
            return Ok(());
        }
        if src.key.is_empty() || is_within(&dst.abs_key, &src.abs_key) {
            return Err(FsError::Invalid);
        }
        self.parent_must_be_dir(&dst)?;
        if let Some(existing) = self.node_at(&dst) {
            match (&existing, node.is_dir()) {
                (Node::Dir { .. }, true) => {
                    if !self.tree_of(&dst).children(&dst.key).is_empty() {
                        return Err(FsError::NotEmpty);
                    }
                }
                (Node::Dir { .. }, false) => return Err(FsError::IsDir),
                (_, true) => return Err(FsError::NotDir),
                _ => {}
            }
        }
        self.tree_mut(&dst)?;
        self.tree_mut(&src)?;
        let same_tree = src.mount == dst.mount;
        let src_tree = self.tree_of(&src);
        let moved: Vec<(String, Node)> = src_tree
            .walk_keys(&src.key)
            .into_iter()
            .filter_map(|k| {
                let rel = k[src.key.len()..].trim_start_matches('/').to_string();
                src_tree.get(&k).cloned().map(|n| (rel, n))
            })
            .collect();
        self.tree_mut(&src)?.delete(&src.key);
        let dst_tree = self.tree_mut(&dst)?;
        dst_tree.delete(&dst.key);
        for (rel, mut n) in moved {
            if !same_tree {
                if let Node::File(f) = &mut n {
                    f.ino = dst_tree.alloc_ino();
                    f.nlink = 1;
                }
            }
            let key = if rel.is_empty() {
                dst.key.clone()
            } else {
                child_key(&dst.key, &rel)
            };
            dst_tree.put(&key, n);
        }
        Ok(())
    }

    /// Writes `file` at `loc` and at every other name of its inode in the same tree.
    fn update_inode(&mut self, loc: &Loc, file: FileNode) -> Result<(), FsError> {
        let others: Vec<String> = if file.nlink > 1 {
            let tree = self.tree_of(loc);
            tree.walk_keys("")
                .into_iter()
                .filter(|k| {
                    *k != loc.key && matches!(tree.get(k), Some(Node::File(f)) if f.ino == file.ino)
                })
                .collect()
        } else {
            Vec::new()
        };
        let tree = self.tree_mut(loc)?;
        for k in others {
            tree.put(&k, Node::File(file.clone()));
        }
        tree.put(&loc.key, Node::File(file));
        Ok(())
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
