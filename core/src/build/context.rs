//! The build context as one build receives it: `crate::context::BuildContext` after
//! .dockerignore, through BuildKit's incremental transfer across builds.
//!
//! fsutil's receiver keeps the previous transfer and skips a file whose mode, size and mtime
//! are unchanged, so a content edit that keeps both size and mtime is NOT seen: the build uses
//! the stale content and stays CACHED (buildkit-truth cache_same_size_same_mtime_edit). The
//! previous transfer lives in the `CacheStore` (`sent`), like every other cross-build state.
//! When nothing changed, the previous transfer is reused as is (no allocation per file).

use crate::cache::{CacheStore, SentFile, SentKind, SentMap};
use crate::content::{Content, Digest};
use crate::context::{BuildContext, Entry};
use std::sync::Arc;

/// The context as this build sees it.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub entries: Arc<SentMap>,
    /// Files whose content changed but whose size and mtime did not (stale in this build).
    pub stale: Vec<String>,
}

/// How an entry compares with what the previous transfer sent for its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compared {
    /// Skipped by the receiver, same content.
    Same,
    /// Skipped by the receiver (same mode, size and mtime) although the content changed.
    Stale,
    /// Sent again.
    Changed,
}

/// fsutil's receiver compares metadata only; the content comparison only tells a stale file.
#[inline(always)]
fn compare(e: &Entry, prev: &SentFile) -> Compared {
    if !unchanged(e, prev) {
        return Compared::Changed;
    }
    match (e, &prev.kind) {
        (Entry::File(f), SentKind::File(c)) if !same_content(&f.content, c) => Compared::Stale,
        _ => Compared::Same,
    }
}

/// Returns true if and only if the receiver would skip `e` (fsutil compares metadata only).
#[inline]
fn unchanged(e: &Entry, prev: &SentFile) -> bool {
    match (e, &prev.kind) {
        (Entry::File(f), SentKind::File(c)) => {
            f.mode == prev.mode && f.mtime == prev.mtime && f.content.len() == c.len()
        }
        (Entry::Dir(d), SentKind::Dir) => d.mode == prev.mode && d.mtime == prev.mtime,
        (Entry::Symlink(s), SentKind::Symlink(t)) => s.target == *t && s.mtime == prev.mtime,
        _ => false,
    }
}

fn fresh(e: &Entry) -> SentFile {
    match e {
        Entry::File(f) => SentFile {
            kind: SentKind::File(f.content.clone()),
            digest: f.digest(),
            mode: f.mode,
            mtime: f.mtime,
        },
        Entry::Dir(d) => SentFile {
            kind: SentKind::Dir,
            digest: Digest(0),
            mode: d.mode,
            mtime: d.mtime,
        },
        Entry::Symlink(s) => SentFile {
            kind: SentKind::Symlink(s.target.clone()),
            digest: Content::from_text(&s.target).digest(),
            mode: 0o777,
            mtime: s.mtime,
        },
    }
}

/// Returns true if and only if two contents are equal, in O(1) when they share their bytes
/// (`Arc<[u8]>` equality compares bytes: std's pointer fast path needs a sized `T`).
#[inline]
fn same_content(a: &Content, b: &Content) -> bool {
    match (a, b) {
        (Content::Bytes(x), Content::Bytes(y)) if Arc::ptr_eq(x, y) => true,
        _ => a == b,
    }
}

/// Transfers the context into the build and updates the store's record of the transfer.
/// The store's map is patched in place when only some entries changed (it is not shared
/// between builds, so `Arc::make_mut` does not copy it).
pub fn transfer(ctx: &BuildContext, store: &mut CacheStore) -> Result<Sent, String> {
    let mut cur = ctx.sent_entries().map_err(|e| e.message)?;
    let mut map = std::mem::take(&mut store.sent);
    // The usual rebuild sends the same paths: one pass compares the paths and the metadata.
    // Equal to the previous map's keys, which are sorted and unique, `cur` needs no sorting.
    if let Some((changed, stale)) = same_paths_changes(&cur, &map) {
        if !changed.is_empty() {
            let m = Arc::make_mut(&mut map);
            for (k, v) in changed {
                m.insert(k, v);
            }
        }
        store.sent = map.clone();
        return Ok(Sent {
            entries: map,
            stale,
        });
    }
    if !cur.windows(2).all(|w| w[0].0 < w[1].0) {
        crate::sorting::sort_by(&mut cur, |a, b| a.0.cmp(b.0));
        cur.dedup_by(|a, b| a.0 == b.0);
    }
    let mut stale = Vec::new();
    // Entries were added or removed: merge-join the sorted lists.
    let mut next = SentMap::new();
    let mut old = map.iter().peekable();
    for (path, e) in cur {
        while old.peek().is_some_and(|(k, _)| &***k < path) {
            old.next();
        }
        let reuse = old
            .peek()
            .filter(|(k, _)| &***k == path)
            .map(|(k, v)| (k, v, compare(e, v)))
            .filter(|(_, _, c)| *c != Compared::Changed)
            .map(|(k, v, c)| ((*k).clone(), (*v).clone(), c));
        match reuse {
            Some((k, v, c)) => {
                if c == Compared::Stale {
                    stale.push(path.to_string());
                }
                next.insert(k, v);
            }
            None => {
                next.insert(Arc::from(path), fresh(e));
            }
        }
    }
    map = Arc::new(next);
    store.sent = map.clone();
    Ok(Sent {
        entries: map,
        stale,
    })
}

/// Records to replace in the previous transfer, and the paths that are stale in this one.
type Patch = (Vec<(Arc<str>, SentFile)>, Vec<String>);

/// The patch, when `cur` holds exactly the previous map's paths in the same order; `None` as
/// soon as a path differs.
fn same_paths_changes(cur: &[(&str, &Entry)], map: &SentMap) -> Option<Patch> {
    if cur.len() != map.len() {
        return None;
    }
    let mut changed: Vec<(Arc<str>, SentFile)> = Vec::new();
    let mut stale = Vec::new();
    for ((p, e), (k, v)) in cur.iter().zip(map.iter()) {
        if *p != &**k {
            return None;
        }
        // Content comparison, not hashing: equal `Arc`s compare in O(1), and a context
        // rebuilt from scratch is compared by bytes rather than re-hashed.
        match compare(e, v) {
            Compared::Same => {}
            Compared::Stale => stale.push(p.to_string()),
            Compared::Changed => changed.push((k.clone(), fresh(e))),
        }
    }
    Some((changed, stale))
}
