//! The build context as one build receives it: `crate::context::BuildContext` after
//! .dockerignore, through BuildKit's incremental transfer across builds.
//!
//! fsutil's receiver keeps the previous transfer and skips a file whose mode, size and mtime
//! are unchanged, so a content edit that keeps both size and mtime is NOT seen: the build uses
//! the stale content and stays CACHED (buildkit-truth cache_same_size_same_mtime_edit). The
//! previous transfer lives in the `CacheStore` (`sent`), like every other cross-build state.

use crate::cache::{CacheStore, SentFile};
use crate::content::{Content, Digest};
use crate::context::{BuildContext, Entry};
use std::collections::{BTreeMap, HashSet};

/// What a context path holds, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File(Content),
    Dir,
    Symlink(String),
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
    /// Files whose content changed but whose size and mtime did not (stale in this build).
    pub stale: Vec<String>,
    /// Files of the context that .dockerignore keeps out (to explain a COPY "not found").
    pub ignored: Vec<String>,
}

/// Transfers the context into the build and updates the store's record of the transfer.
pub fn transfer(ctx: &BuildContext, store: &mut CacheStore) -> Result<Sent, String> {
    let entries = ctx.sent_entries().map_err(|e| e.message)?;
    let mut sent = Sent::default();
    let mut next: BTreeMap<String, SentFile> = BTreeMap::new();
    let mut names: HashSet<&str> = HashSet::with_capacity(entries.len());
    for (path, e) in entries {
        names.insert(path);
        let entry = match e {
            Entry::File(f) => {
                let prev = store.sent.remove(path).filter(|p| p.mode == f.mode && p.mtime == f.mtime && p.content.len() == f.content.len());
                let rec = match prev {
                    Some(p) => {
                        if p.digest != f.digest() {
                            sent.stale.push(path.to_string());
                        }
                        p
                    }
                    None => SentFile { content: f.content.clone(), digest: f.digest(), mode: f.mode, mtime: f.mtime },
                };
                let out = SentEntry { kind: EntryKind::File(rec.content.clone()), mode: f.mode, digest: rec.digest };
                next.insert(path.to_string(), rec);
                out
            }
            Entry::Dir(d) => SentEntry { kind: EntryKind::Dir, mode: d.mode, digest: Digest(0) },
            Entry::Symlink(s) => SentEntry { kind: EntryKind::Symlink(s.target.clone()), mode: 0o777, digest: Content::from_text(&s.target).digest() },
        };
        sent.entries.insert(path.to_string(), entry);
    }
    for (path, _) in ctx.files() {
        if !names.contains(path) {
            sent.ignored.push(path.to_string());
        }
    }
    store.sent = next;
    Ok(sent)
}
