//! The entries of a virtual build context: files (content, mode, mtime, owner, cached digest),
//! directories and symlinks, keyed by slash path in a sorted map so lookups, directory
//! listings and walks stay fast on a 10,000-file context.

use crate::content::{Content, Digest};
use std::sync::OnceLock;

/// Default mode of a context file (buildkit-truth: "Files in `context/` start with mode 0644").
pub const DEFAULT_FILE_MODE: u32 = 0o644;
/// Default mode of a context directory.
pub const DEFAULT_DIR_MODE: u32 = 0o755;

#[derive(Debug, Clone)]
pub struct FileEntry {
    pub content: Content,
    /// Permission bits (e.g. `0o644`).
    pub mode: u32,
    /// Logical modification time: distinct per write (see `BuildContext::tick`).
    pub mtime: u64,
    pub uid: u32,
    pub gid: u32,
    /// The content digest, computed on first use; an edit replaces the entry and so drops it.
    digest: OnceLock<Digest>,
}

impl FileEntry {
    pub fn new(content: Content, mode: u32, mtime: u64) -> FileEntry {
        FileEntry {
            content,
            mode,
            mtime,
            uid: 0,
            gid: 0,
            digest: OnceLock::new(),
        }
    }

    /// The content digest, hashed once per edit of this file.
    pub fn digest(&self) -> Digest {
        *self.digest.get_or_init(|| self.content.digest())
    }

    /// Returns true if and only if the digest has been computed (and not invalidated since).
    pub fn has_cached_digest(&self) -> bool {
        self.digest.get().is_some()
    }

    pub fn size(&self) -> u64 {
        self.content.len()
    }

    /// Replaces the content, dropping the cached digest.
    pub(crate) fn set_content(&mut self, content: Content) {
        self.content = content;
        self.digest = OnceLock::new();
    }
}

impl PartialEq for FileEntry {
    fn eq(&self, other: &FileEntry) -> bool {
        self.content == other.content
            && self.mode == other.mode
            && self.mtime == other.mtime
            && self.uid == other.uid
            && self.gid == other.gid
    }
}

impl Eq for FileEntry {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub mode: u32,
    pub mtime: u64,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymlinkEntry {
    pub target: String,
    pub mtime: u64,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(FileEntry),
    Dir(DirEntry),
    Symlink(SymlinkEntry),
}

impl Entry {
    /// Returns true if and only if this is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self, Entry::Dir(_))
    }

    pub fn as_file(&self) -> Option<&FileEntry> {
        match self {
            Entry::File(f) => Some(f),
            _ => None,
        }
    }

    pub fn mtime(&self) -> u64 {
        match self {
            Entry::File(f) => f.mtime,
            Entry::Dir(d) => d.mtime,
            Entry::Symlink(s) => s.mtime,
        }
    }

    /// Permission bits (symlinks are `0o777`, as on Linux).
    pub fn mode(&self) -> u32 {
        match self {
            Entry::File(f) => f.mode,
            Entry::Dir(d) => d.mode,
            Entry::Symlink(_) => 0o777,
        }
    }

    pub(crate) fn set_mtime(&mut self, mtime: u64) {
        match self {
            Entry::File(f) => f.mtime = mtime,
            Entry::Dir(d) => d.mtime = mtime,
            Entry::Symlink(s) => s.mtime = mtime,
        }
    }
}

#[cfg(test)]
mod tests {
    /// The UI keeps a context in Leptos signals, which need `Send + Sync` values.
    #[test]
    fn a_context_can_live_in_a_signal() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<super::Entry>();
        send_sync::<super::super::BuildContext>();
    }
}
