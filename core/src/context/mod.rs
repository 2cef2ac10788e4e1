//! The virtual build context: files, directories, symlinks and the `.dockerignore`, the edits a
//! learner (or a buildkit-truth `steps.json`) makes between builds, and what a build sends.
//!
//! - `tree.rs`: the entries (a file caches its content digest until it is edited);
//! - `edit.rs`: `steps.json` edits (write, append, delete, touch, chmod, mkdir, rename) with a
//!   logical clock, so every write or touch gets a new, distinct mtime;
//! - `sent.rs`: what BuildKit sends after `.dockerignore` (or `<Dockerfile>.dockerignore`);
//! - `query.rs`: lookups for the simulator (by path, under a directory, `COPY` wildcards);
//! - `disk.rs`: loading a real directory (CLI only; on wasm it fails at run time).
//!
//! Entries live in a `BTreeMap` keyed by slash path relative to the context root (no leading
//! `/`); every parent directory of an entry is itself an entry.

mod disk;
mod edit;
mod query;
mod sent;
mod tree;

pub use disk::LoadError;
pub use edit::{Edit, EditError};
pub use sent::SendError;
pub use tree::{DirEntry, Entry, FileEntry, SymlinkEntry, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE};

use crate::ignore::clean;
use std::collections::BTreeMap;

/// Where the `.dockerignore` of a context lives.
pub const DOCKERIGNORE: &str = ".dockerignore";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildContext {
    entries: BTreeMap<String, Entry>,
    /// The logical clock: the last mtime handed out.
    clock: u64,
    /// Bumped by every successful edit, so callers can cache what they derive.
    generation: u64,
    /// The text of `<Dockerfile>.dockerignore`, which replaces `.dockerignore` completely
    /// (buildkit-truth: "Newer syntax").
    ignore_override: Option<String>,
}

impl BuildContext {
    pub fn new() -> BuildContext {
        BuildContext::default()
    }

    /// A new, distinct mtime.
    pub fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// Changes every time the context is edited.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `.dockerignore` text in effect: `<Dockerfile>.dockerignore` if set, else the
    /// context's `.dockerignore` file (if it is a small, text file).
    pub fn dockerignore_text(&self) -> Option<String> {
        if let Some(text) = &self.ignore_override {
            return Some(text.clone());
        }
        let file = self.entries.get(DOCKERIGNORE)?.as_file()?;
        let bytes = file.content.as_bytes()?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Sets (or clears) the `<Dockerfile>.dockerignore` that replaces `.dockerignore`.
    pub fn set_dockerignore_override(&mut self, text: Option<String>) {
        self.ignore_override = text;
        self.generation += 1;
    }

    pub fn dockerignore_override(&self) -> Option<&str> {
        self.ignore_override.as_deref()
    }
}

/// Linux's `PATH_MAX`: no real context holds a longer path.
pub const PATH_MAX: usize = 4096;
/// Linux's `NAME_MAX`: the longest file name.
pub const NAME_MAX: usize = 255;

/// A user path as a context key: cleaned, without leading `/`; `None` for the root itself, a
/// path that leaves the context, or one Linux would refuse (`ENAMETOOLONG`). The limits also
/// keep path matching (linear in depth times length) fast on any input.
pub fn normalize_path(path: &str) -> Option<String> {
    if path.len() > PATH_MAX * 2 {
        return None;
    }
    let cleaned = clean(path);
    let rel = cleaned.trim_start_matches('/');
    if rel.is_empty() || rel == "." || rel == ".." || rel.starts_with("../") {
        return None;
    }
    if rel.len() >= PATH_MAX || rel.split('/').any(|c| c.len() > NAME_MAX) {
        return None;
    }
    Some(rel.to_string())
}

/// The parent key of a key (`None` at top level).
pub(crate) fn parent_of(path: &str) -> Option<&str> {
    path.rfind('/').map(|i| &path[..i])
}
