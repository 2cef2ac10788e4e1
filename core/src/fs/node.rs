//! What a path holds in one layer: a file (with its inode identity), a directory, a symlink,
//! or a whiteout that hides the same path in the layers below.

use crate::content::Content;

/// Permission bits (including setuid/setgid/sticky, `0o7777`) and ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meta {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl Meta {
    pub const fn new(mode: u32, uid: u32, gid: u32) -> Meta {
        Meta {
            mode: mode & 0o7777,
            uid,
            gid,
        }
    }

    /// Root-owned with the given mode.
    pub const fn root(mode: u32) -> Meta {
        Meta::new(mode, 0, 0)
    }
}

/// A regular file. All names of one inode (hard links) hold equal copies of this record;
/// changing the inode through one name rewrites every name (see `Fs::update_inode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNode {
    pub ino: u64,
    pub nlink: u32,
    pub content: Content,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(FileNode),
    /// `opaque`: the directory was deleted and re-created in this (upper) layer, so nothing
    /// below shows through. Committed layers never hold opaque dirs: BuildKit's native
    /// snapshotter diff writes one whiteout per vanished child instead.
    Dir {
        meta: Meta,
        opaque: bool,
    },
    Symlink {
        target: String,
        meta: Meta,
    },
    Whiteout,
}

/// The type of a path as `stat` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    File,
    Dir,
    Symlink,
}

/// What `Fs::stat` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    pub kind: FileType,
    /// Bytes of a regular file; the target length of a symlink (like `lstat`); 0 for dirs.
    pub size: u64,
    pub meta: Meta,
    pub ino: u64,
    pub nlink: u32,
    /// The target of a symlink.
    pub link_target: Option<String>,
}

impl Stat {
    pub fn is_dir(&self) -> bool {
        self.kind == FileType::Dir
    }

    pub fn is_file(&self) -> bool {
        self.kind == FileType::File
    }

    pub fn is_symlink(&self) -> bool {
        self.kind == FileType::Symlink
    }
}

impl Node {
    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir { .. })
    }

    /// True if this entry hides everything below its path in lower layers
    /// (a whiteout, a file or symlink, or an opaque dir).
    pub fn blocks_below(&self) -> bool {
        !matches!(self, Node::Dir { opaque: false, .. })
    }

    pub fn stat(&self) -> Option<Stat> {
        match self {
            Node::File(f) => Some(Stat {
                kind: FileType::File,
                size: f.content.len(),
                meta: f.meta,
                ino: f.ino,
                nlink: f.nlink,
                link_target: None,
            }),
            Node::Dir { meta, .. } => Some(Stat {
                kind: FileType::Dir,
                size: 0,
                meta: *meta,
                ino: 0,
                nlink: 1,
                link_target: None,
            }),
            Node::Symlink { target, meta } => Some(Stat {
                kind: FileType::Symlink,
                size: target.len() as u64,
                meta: *meta,
                ino: 0,
                nlink: 1,
                link_target: Some(target.clone()),
            }),
            Node::Whiteout => None,
        }
    }
}
