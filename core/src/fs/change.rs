//! The changes commands make to an `Fs`: writing, creating, removing, renaming and linking
//! entries, and changing modes and owners. Every change goes to the upper layer of the tree the
//! path resolves to (the stage's, or a mount's); a read-only mount refuses it.

use super::node::{FileNode, Meta, Node};
use super::ops::{Fs, FsError, Loc};
use super::path::{child_key, is_within, parent_key};
use crate::content::Content;

impl Fs {
    fn parent_must_be_dir(&self, loc: &Loc) -> Result<(), FsError> {
        if loc.key.is_empty() && loc.mount.is_none() {
            return Err(FsError::Exists);
        }
        match self.node_at_key(parent_key(&loc.abs_key)) {
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
                self.tree_mut(&loc)?
                    .put_new_file(&loc.key, content, meta_if_new);
                Ok(())
            }
        }
    }

    /// Creates or replaces whatever is at `path` (not following a final symlink) with a new
    /// file: what COPY does. Parents must exist.
    pub fn put_file(&mut self, path: &str, content: Content, meta: Meta) -> Result<(), FsError> {
        let (loc, existing) = self.resolve_node(path, false)?;
        let is_dir = existing.is_some_and(Node::is_dir);
        self.parent_must_be_dir(&loc)?;
        if is_dir {
            return Err(FsError::IsDir);
        }
        self.tree_mut(&loc)?.put_new_file(&loc.key, content, meta);
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
            // Not one guarded arm (clippy's collapsible_match): an empty directory must fall
            // out of the match, not into the `(_, true)` arm below.
            #[allow(clippy::collapsible_match)]
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
}
