//! The virtual build context as a build receives it: files, dirs and symlinks with modes and
//! mtimes, `.dockerignore` applied, and BuildKit's incremental transfer across builds.
//!
//! Adapter: this is the driver's own minimal context until `crate::context` (edits, sent-file
//! listing with the full `.dockerignore` matcher) lands; the façade then takes that type.

use super::ignore_match::Matcher;
use crate::cache::{CacheStore, SentFile};
use crate::content::{Content, Digest};
use std::collections::BTreeMap;

/// What a context path holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File(Content),
    Dir,
    Symlink(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub kind: EntryKind,
    pub mode: u32,
    /// Modification time in arbitrary ticks; only equality matters (the transfer compares it).
    pub mtime: u64,
}

/// A build context: relative `/`-separated paths (`src/app.py`), parents implied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub entries: BTreeMap<String, ContextEntry>,
    /// A `<Dockerfile>.dockerignore` next to the Dockerfile replaces `.dockerignore` completely.
    pub dockerfile_ignore: Option<String>,
}

/// One entry the build received (after .dockerignore and the transfer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEntry {
    pub kind: EntryKind,
    pub mode: u32,
    pub digest: Digest,
}

/// The context as this build sees it.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub entries: BTreeMap<String, SentEntry>,
    /// Files whose content changed but whose size and mtime did not: the build uses the
    /// previous content (buildkit-truth cache_same_size_same_mtime_edit).
    pub stale: Vec<String>,
    /// Paths a COPY names that .dockerignore excludes (for the "not found" explanation).
    pub ignored: Vec<String>,
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    fn ensure_parents(&mut self, path: &str, mtime: u64) {
        let mut acc = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for p in parts.iter().take(parts.len().saturating_sub(1)) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(p);
            self.entries.entry(acc.clone()).or_insert(ContextEntry { kind: EntryKind::Dir, mode: 0o755, mtime });
        }
    }

    pub fn put_file(&mut self, path: &str, content: Content, mode: u32, mtime: u64) {
        let path = super::ignore_match::clean(path);
        self.ensure_parents(&path, mtime);
        self.entries.insert(path, ContextEntry { kind: EntryKind::File(content), mode, mtime });
    }

    pub fn put_dir(&mut self, path: &str, mode: u32, mtime: u64) {
        let path = super::ignore_match::clean(path);
        if path.is_empty() {
            return;
        }
        self.ensure_parents(&path, mtime);
        self.entries.entry(path).or_insert(ContextEntry { kind: EntryKind::Dir, mode, mtime });
    }

    pub fn put_symlink(&mut self, path: &str, target: &str, mtime: u64) {
        let path = super::ignore_match::clean(path);
        self.ensure_parents(&path, mtime);
        self.entries.insert(path, ContextEntry { kind: EntryKind::Symlink(target.to_string()), mode: 0o777, mtime });
    }

    /// Removes a path and everything below it.
    pub fn remove(&mut self, path: &str) {
        let path = super::ignore_match::clean(path);
        let prefix = format!("{path}/");
        self.entries.retain(|k, _| k != &path && !k.starts_with(&prefix));
    }

    pub fn get(&self, path: &str) -> Option<&ContextEntry> {
        self.entries.get(&super::ignore_match::clean(path))
    }

    /// The `.dockerignore` in effect.
    pub fn ignore_text(&self) -> Option<String> {
        if let Some(t) = &self.dockerfile_ignore {
            return Some(t.clone());
        }
        match self.entries.get(".dockerignore").map(|e| &e.kind) {
            Some(EntryKind::File(c)) => c.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }

    /// The paths a build sends, after .dockerignore: files not excluded, and directories that
    /// are not excluded or hold something sent (current BuildKit sends no empty excluded dir).
    pub fn sent_paths(&self) -> (Vec<&String>, Vec<String>) {
        let matcher = self.ignore_text().map(|t| Matcher::parse(&t)).unwrap_or_default();
        let mut keep: BTreeMap<&String, bool> = BTreeMap::new();
        let mut ignored = Vec::new();
        for (path, e) in &self.entries {
            let ex = !matcher.patterns.is_empty() && matcher.excluded(path);
            if ex && !matches!(e.kind, EntryKind::Dir) {
                ignored.push(path.clone());
            }
            keep.insert(path, !ex);
        }
        // Parents of anything sent are sent.
        let sent_children: Vec<String> = keep.iter().filter(|(_, k)| **k).map(|(p, _)| (*p).clone()).collect();
        for p in sent_children {
            let mut cur = p.as_str();
            while let Some((parent, _)) = cur.rsplit_once('/') {
                if let Some(k) = self.entries.get_key_value(parent).map(|(k, _)| k) {
                    keep.insert(k, true);
                }
                cur = parent;
            }
        }
        (keep.into_iter().filter(|(_, k)| *k).map(|(p, _)| p).collect(), ignored)
    }
}

/// Transfers the context into the build: what changed (by mode, size or mtime) is taken from
/// `ctx`; what did not keeps the content the store received before, even if it differs
/// (fsutil's metadata-only comparison). Updates the store's transfer state.
pub fn transfer(ctx: &Context, store: &mut CacheStore) -> Sent {
    let (paths, ignored) = ctx.sent_paths();
    let mut sent = Sent { ignored, ..Sent::default() };
    let mut next: BTreeMap<String, SentFile> = BTreeMap::new();
    for path in paths {
        let Some(e) = ctx.entries.get(path) else { continue };
        let entry = match &e.kind {
            EntryKind::File(content) => {
                let prev = store.sent.get(path).filter(|p| p.mode == e.mode && p.mtime == e.mtime && p.content.len() == content.len());
                let (content, digest) = match prev {
                    Some(p) => {
                        if p.content != *content {
                            sent.stale.push(path.clone());
                        }
                        (p.content.clone(), p.digest)
                    }
                    None => (content.clone(), content.digest()),
                };
                next.insert(path.clone(), SentFile { content: content.clone(), digest, mode: e.mode, mtime: e.mtime });
                SentEntry { kind: EntryKind::File(content), mode: e.mode, digest }
            }
            EntryKind::Dir => SentEntry { kind: EntryKind::Dir, mode: e.mode, digest: Digest(0) },
            EntryKind::Symlink(t) => SentEntry { kind: EntryKind::Symlink(t.clone()), mode: 0o777, digest: Content::from_text(t).digest() },
        };
        sent.entries.insert(path.clone(), entry);
    }
    store.sent = next;
    sent
}
