//! Loading a context from a real directory, for the CLI. Files keep their bytes and (on Unix)
//! their permission bits; mtimes come from the logical clock in path order, so two loads of
//! the same tree are identical. It compiles everywhere; on wasm32 `std::fs` fails at run time.

use super::tree::{DirEntry, Entry, FileEntry, SymlinkEntry, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE};
use super::BuildContext;
use crate::content::Content;
use std::fmt;
use std::path::{Path, PathBuf};

/// Directory nesting we follow before giving up (symlinks are never followed).
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

fn io_err(path: &Path, e: std::io::Error) -> LoadError {
    LoadError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata, _default: u32) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &std::fs::Metadata, default: u32) -> u32 {
    default
}

impl BuildContext {
    /// Reads every file, directory and symlink under `root`.
    pub fn load_dir(root: &Path) -> Result<BuildContext, LoadError> {
        let meta = std::fs::metadata(root).map_err(|e| io_err(root, e))?;
        if !meta.is_dir() {
            return Err(LoadError {
                path: root.to_path_buf(),
                message: "not a directory".into(),
            });
        }
        let mut found: Vec<(String, PathBuf, std::fs::Metadata)> = Vec::new();
        collect(root, "", 0, &mut found)?;
        crate::sorting::sort_by(&mut found, |a, b| a.0.cmp(&b.0));
        let mut ctx = BuildContext::new();
        for (key, path, meta) in found {
            let mtime = ctx.tick();
            let ft = meta.file_type();
            let entry = if ft.is_symlink() {
                let target = std::fs::read_link(&path).map_err(|e| io_err(&path, e))?;
                Entry::Symlink(SymlinkEntry {
                    target: target.to_string_lossy().into_owned(),
                    mtime,
                    uid: 0,
                    gid: 0,
                })
            } else if ft.is_dir() {
                Entry::Dir(DirEntry {
                    mode: mode_of(&meta, DEFAULT_DIR_MODE),
                    mtime,
                    uid: 0,
                    gid: 0,
                })
            } else if ft.is_file() {
                let bytes = std::fs::read(&path).map_err(|e| io_err(&path, e))?;
                Entry::File(FileEntry::new(
                    Content::from_bytes(bytes),
                    mode_of(&meta, DEFAULT_FILE_MODE),
                    mtime,
                ))
            } else {
                // Sockets, fifos, devices: BuildKit's copier skips nothing here, but a learner's
                // context never has them; leave them out.
                continue;
            };
            ctx.entries.insert(key, entry);
        }
        Ok(ctx)
    }
}

fn collect(
    dir: &Path,
    prefix: &str,
    depth: usize,
    out: &mut Vec<(String, PathBuf, std::fs::Metadata)>,
) -> Result<(), LoadError> {
    if depth > MAX_DEPTH {
        return Err(LoadError {
            path: dir.to_path_buf(),
            message: "directory tree too deep".into(),
        });
    }
    let rd = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
    for item in rd {
        let item = item.map_err(|e| io_err(dir, e))?;
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        let key = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let meta = std::fs::symlink_metadata(&path).map_err(|e| io_err(&path, e))?;
        let is_dir = meta.is_dir();
        out.push((key.clone(), path.clone(), meta));
        if is_dir {
            collect(&path, &key, depth + 1, out)?;
        }
    }
    Ok(())
}
