//! Paths, permissions and file access as the user the RUN runs as: what a non-root user may
//! create, write and read (the kernel's owner/group/other bits; root may do anything), and the
//! devices commands read from.

use super::exec::{Shell, MAX_FILE_BYTES};
use crate::content::Content;
use crate::fs::{path::join_abs, FsError, Meta};

impl Shell<'_, '_> {
    pub fn abs(&self, path: &str) -> String {
        join_abs(&self.cwd, path)
    }

    /// Meta for a file this user creates: 0666 less the umask (0644 by default).
    pub fn new_file_meta(&self) -> Meta {
        Meta::new(0o666 & !self.umask, self.cred.uid, self.cred.gid)
    }

    /// Meta for a directory this user creates: 0777 less the umask (0755 by default).
    pub fn new_dir_meta(&self) -> Meta {
        Meta::new(0o777 & !self.umask, self.cred.uid, self.cred.gid)
    }

    // ---- permissions ----

    pub(super) fn allowed(&self, meta: Meta, bit: u32) -> bool {
        if self.cred.is_root() {
            return true;
        }
        let shift = if meta.uid == self.cred.uid {
            6
        } else if meta.gid == self.cred.gid || self.cred.groups.contains(&meta.gid) {
            3
        } else {
            0
        };
        meta.mode & (bit << shift) != 0
    }

    /// May this user create or remove entries in the directory holding `path`?
    pub fn check_create(&self, path: &str) -> Result<(), FsError> {
        let parent = crate::fs::path::parent_key(&crate::fs::path::key_of(path)).to_string();
        match self.ctx.fs.stat(&format!("/{parent}")) {
            Ok(st) if !self.allowed(st.meta, 0o2) || !self.allowed(st.meta, 0o1) => {
                Err(FsError::PermissionDenied)
            }
            _ => Ok(()),
        }
    }

    /// May this user write `path` (an existing file, or create it)?
    pub fn check_write(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if st.is_dir() => Err(FsError::IsDir),
            Ok(st) if !self.allowed(st.meta, 0o2) => Err(FsError::PermissionDenied),
            Ok(_) => Ok(()),
            Err(_) => self.check_create(path),
        }
    }

    pub fn check_read(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if !self.allowed(st.meta, 0o4) => Err(FsError::PermissionDenied),
            _ => Ok(()),
        }
    }

    pub fn owns_or_root(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if self.cred.is_root() || st.meta.uid == self.cred.uid => Ok(()),
            Ok(_) => Err(FsError::NotPermitted),
            Err(e) => Err(e),
        }
    }

    /// Writes (or appends) a file as this user.
    pub fn write_file(
        &mut self,
        path: &str,
        content: Content,
        append: bool,
    ) -> Result<(), FsError> {
        if path == "/dev/null" {
            return Ok(());
        }
        // No build host has a petabyte to spare: a runaway size fails like a full disk.
        let existing = if append {
            self.ctx.fs.stat(path).map(|s| s.size).unwrap_or(0)
        } else {
            0
        };
        if content.len().saturating_add(existing) > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        self.check_write(path)?;
        let meta = self.new_file_meta();
        if append {
            self.ctx.fs.append(path, content, meta)
        } else {
            self.ctx.fs.write(path, content, meta)
        }
    }

    /// Reads a file, with the devices commands read from.
    pub fn read_file(&mut self, path: &str, want: Option<u64>) -> Result<Content, FsError> {
        match path {
            "/dev/null" => return Ok(Content::empty()),
            "/dev/zero" => return Ok(Content::zeros(want.unwrap_or(0))),
            "/dev/urandom" | "/dev/random" => {
                self.random_counter += 1;
                return Ok(Content::opaque(
                    want.unwrap_or(0),
                    0x5eed_0000 + self.random_counter,
                ));
            }
            _ => {}
        }
        self.check_read(path)?;
        self.ctx.fs.read(path)
    }
}
