//! The trees a COPY/ADD reads from (the transferred context, another stage's filesystem or an
//! image's), visited without copying: existence, directory listings, subtree walks in path
//! order, and source globs (`*`, `?`, `[...]` per segment, `**` across segments).

use super::context::Sent;
use super::glob::match_glob;
use crate::cache::{SentFile, SentKind, SentMap};
use crate::content::{Content, Digest};
use crate::fs::{FileType, Fs, Meta};
use std::ops::Bound;
use std::sync::Arc;

/// Upper bound on entries one COPY may place (keeps a pathological context from hanging a tab).
pub const MAX_ITEMS: usize = 500_000;

/// One source entry, borrowed while a selection is visited (`rel` is relative to the source
/// root, `""` being the root).
pub struct ItemRef<'a> {
    pub rel: &'a str,
    pub kind: KindRef<'a>,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Clone, Copy)]
pub enum KindRef<'a> {
    File(&'a Content, Digest),
    Dir,
    Symlink(&'a str),
}

/// Where sources are read from.
pub enum Source {
    Context(Arc<SentMap>),
    Fs(Fs),
}

/// Whether something exists at `rel` (Some(is_dir)).
pub fn is_dir_at(source: &Source, rel: &str) -> Option<bool> {
    if rel.is_empty() {
        return Some(true);
    }
    match source {
        Source::Context(map) => map.get(rel).map(|e| matches!(e.kind, SentKind::Dir)),
        Source::Fs(fs) => fs.stat(&format!("/{rel}")).ok().map(|s| s.is_dir()),
    }
}

pub fn children(source: &Source, rel: &str) -> Vec<String> {
    match source {
        Source::Context(map) => {
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            let mut out = Vec::new();
            for (k, _) in map.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            {
                let Some(rest) = k.strip_prefix(prefix.as_str()) else {
                    break;
                };
                if !rest.is_empty() && !rest.contains('/') {
                    out.push(rest.to_string());
                }
            }
            out
        }
        Source::Fs(fs) => fs.list_dir(&format!("/{rel}")).unwrap_or_default(),
    }
}

/// Calls `f` for `rel` and everything below it, parents first (sorted paths).
pub fn visit(source: &Source, rel: &str, f: &mut dyn FnMut(ItemRef)) {
    match source {
        Source::Context(map) => {
            if rel.is_empty() {
                f(ItemRef {
                    rel: "",
                    kind: KindRef::Dir,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                });
            } else {
                let Some(e) = map.get(rel) else { return };
                f(context_item(rel, e));
                if !matches!(e.kind, SentKind::Dir) {
                    return;
                }
            }
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            for (k, e) in map.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            {
                if !k.starts_with(prefix.as_str()) {
                    break;
                }
                f(context_item(k, e));
            }
        }
        Source::Fs(fs) => {
            for e in fs.walk(&format!("/{rel}")).unwrap_or_default() {
                let r = e.path.trim_start_matches('/');
                let kind = match (&e.content, e.stat.kind) {
                    (Some(c), _) => KindRef::File(c, c.digest()),
                    (None, FileType::Dir) => KindRef::Dir,
                    (None, _) => KindRef::Symlink(e.stat.link_target.as_deref().unwrap_or("")),
                };
                f(ItemRef {
                    rel: r,
                    kind,
                    mode: e.stat.meta.mode,
                    uid: e.stat.meta.uid,
                    gid: e.stat.meta.gid,
                });
            }
        }
    }
}

pub fn context_item<'a>(rel: &'a str, e: &'a SentFile) -> ItemRef<'a> {
    let kind = match &e.kind {
        SentKind::File(c) => KindRef::File(c, e.digest),
        SentKind::Dir => KindRef::Dir,
        SentKind::Symlink(t) => KindRef::Symlink(t),
    };
    ItemRef {
        rel,
        kind,
        mode: e.mode,
        uid: 0,
        gid: 0,
    }
}

/// Paths (relative) matching a pattern with `*`, `?`, `[...]` per segment and `**` across.
pub fn glob(source: &Source, pattern: &str) -> Vec<String> {
    let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::new();
    glob_from(source, "", &segs, &mut out, 0);
    crate::sorting::sort(&mut out);
    out.dedup();
    out
}

pub fn glob_from(source: &Source, base: &str, segs: &[&str], out: &mut Vec<String>, depth: usize) {
    if depth > 64 || out.len() > MAX_ITEMS {
        return;
    }
    let Some((first, rest)) = segs.split_first() else {
        out.push(base.to_string());
        return;
    };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}/{name}")
        }
    };
    if *first == "**" {
        glob_from(source, base, rest, out, depth + 1);
        for name in children(source, base) {
            let p = join(&name);
            if is_dir_at(source, &p) == Some(true) {
                glob_from(source, &p, segs, out, depth + 1);
            }
        }
        return;
    }
    if !has_wildcard(first) {
        let p = join(first);
        if is_dir_at(source, &p).is_some() {
            glob_from(source, &p, rest, out, depth + 1);
        }
        return;
    }
    for name in children(source, base) {
        if match_glob(first.as_bytes(), name.as_bytes()) {
            glob_from(source, &join(&name), rest, out, depth + 1);
        }
    }
}

/// The sent context as a filesystem (for `RUN --mount=type=bind` without `from`).
pub fn context_fs(sent: &Sent) -> Fs {
    let mut fs = Fs::new();
    for (path, e) in sent.entries.iter() {
        let abs = format!("/{path}");
        let meta = Meta::root(e.mode);
        let _ = match &e.kind {
            SentKind::File(c) => fs.put_file(&abs, c.clone(), meta),
            SentKind::Dir => fs.put_dir(&abs, meta),
            SentKind::Symlink(t) => fs.symlink(t, &abs, meta),
        };
    }
    fs
}

/// Returns true if and only if a source word is a pattern.
pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}
