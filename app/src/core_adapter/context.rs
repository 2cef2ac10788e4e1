//! The learner's context files → the core's virtual context, and which entries a build would
//! receive after `.dockerignore` (the core's fsutil-style walk decides, not the UI); and
//! keeping the simulated machine's context directory in step with them.

use super::{ContextEntryView, ContextView};
use crate::model::{CtxFile, FileBody};
use layerlab_core::content::Content;
use layerlab_core::context::BuildContext;
use std::collections::{BTreeMap, BTreeSet};

/// The bytes of a file given only by its size: deterministic per path and size, so the same
/// "binary" keeps its digest (and its cache hits) across builds.
pub(super) fn sized_content(path: &str, size: u64) -> Content {
    Content::pattern(path.as_bytes(), size)
}

/// The core's context for the learner's files (plus the Dockerfile when it is inside).
pub(super) fn build_context(files: &[CtxFile], dockerfile: Option<&str>) -> BuildContext {
    let mut ctx = BuildContext::new();
    for f in files {
        // A bad path (e.g. a file under a file) is simply not part of the context; the tree
        // shows it greyed out.
        let _ = match &f.body {
            FileBody::Text(t) => ctx.write(&f.path, Content::from_text(t), false),
            FileBody::Sized(n) => ctx.write(&f.path, sized_content(&f.path, *n), false),
            FileBody::Dir => ctx.mkdir(&f.path),
        };
    }
    if let Some(df) = dockerfile {
        let _ = ctx.write("Dockerfile", Content::from_text(df), false);
    }
    ctx
}

/// The tree the context pane shows, with what `.dockerignore` excludes.
pub fn context_view(files: &[CtxFile], dockerfile: Option<&str>) -> ContextView {
    let ctx = build_context(files, dockerfile);
    let mut res = ContextView::default();
    let sent: BTreeSet<String> = match ctx.sent_entries() {
        Ok(entries) => entries.into_iter().map(|(p, _)| p.to_string()).collect(),
        Err(e) => {
            res.ignore_error = Some(e.message.clone());
            BTreeSet::new()
        }
    };
    for (path, entry) in ctx.iter() {
        let depth = path.matches('/').count();
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let size = entry.as_file().map_or(0, |f| f.size());
        let excluded = !sent.contains(path);
        if !excluded && !entry.is_dir() {
            res.sent_files += 1;
            res.sent_bytes += size;
        }
        res.total_bytes += size;
        let is_text = files
            .iter()
            .any(|f| f.path == path && matches!(f.body, FileBody::Text(_)))
            || (dockerfile.is_some() && path == "Dockerfile");
        res.entries.push(ContextEntryView {
            path: path.to_string(),
            name,
            depth,
            is_dir: entry.is_dir(),
            size,
            excluded,
            is_text,
        });
    }
    res.dockerfile_excluded = dockerfile.is_some() && !sent.contains("Dockerfile");
    res
}

/// Brings the machine's context directory in line with the learner's files, as an editor
/// saving files would: only what changed is written (and gets a new mtime from the context's
/// clock), deleted files are deleted, folders left empty by a delete go too. Keeping one
/// context across builds is what makes BuildKit's metadata-based transfer behave as on disk.
pub(super) fn sync_context(
    ctx: &mut BuildContext,
    known: &mut BTreeMap<String, FileBody>,
    files: &[CtxFile],
    dockerfile: Option<&str>,
) {
    let mut desired: BTreeMap<String, FileBody> = BTreeMap::new();
    for f in files {
        desired.insert(f.path.clone(), f.body.clone());
    }
    if let Some(df) = dockerfile {
        desired.insert("Dockerfile".into(), FileBody::Text(df.to_string()));
    }
    let gone: Vec<String> = known
        .keys()
        .filter(|k| !desired.contains_key(*k))
        .cloned()
        .collect();
    for path in gone {
        let _ = ctx.delete(&path);
        known.remove(&path);
    }
    for (path, body) in &desired {
        if known.get(path) == Some(body) {
            continue;
        }
        let kind_changed = known
            .get(path)
            .is_some_and(|old| old.is_dir() != body.is_dir());
        if kind_changed {
            let _ = ctx.delete(path);
        }
        let _ = match body {
            FileBody::Text(t) => ctx.write(path, Content::from_text(t), false),
            FileBody::Sized(n) => ctx.write(path, sized_content(path, *n), false),
            FileBody::Dir => ctx.mkdir(path),
        };
        known.insert(path.clone(), body.clone());
    }
    // Folders that exist only because of files now deleted. Bounded: each pass removes at
    // least one entry or stops.
    for _ in 0..64 {
        let entries: Vec<(String, bool)> = ctx
            .iter()
            .map(|(p, e)| (p.to_string(), e.is_dir()))
            .collect();
        let empty: Vec<&String> = entries
            .iter()
            .filter(|(p, is_dir)| {
                *is_dir
                    && !desired.contains_key(p)
                    && !entries
                        .iter()
                        .any(|(q, _)| q != p && layerlab_core::fs::path::is_within(q, p))
            })
            .map(|(p, _)| p)
            .collect();
        if empty.is_empty() {
            break;
        }
        for p in empty {
            let _ = ctx.delete(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::CtxFile;

    #[test]
    fn dockerignore_greys_out_what_the_build_does_not_get() {
        let files = vec![
            CtxFile::text(".dockerignore", "*.log\nnode_modules\n"),
            CtxFile::text("app.js", "x"),
            CtxFile::text("debug.log", "y"),
            CtxFile::text("node_modules/a/index.js", "z"),
        ];
        let v = context_view(&files, Some("FROM alpine\n"));
        let ex = |p: &str| v.entries.iter().find(|e| e.path == p).map(|e| e.excluded);
        assert_eq!(ex("app.js"), Some(false));
        assert_eq!(ex("debug.log"), Some(true));
        assert_eq!(ex("node_modules"), Some(true));
        assert_eq!(ex("node_modules/a/index.js"), Some(true));
        assert_eq!(ex("Dockerfile"), Some(false));
        assert!(!v.dockerfile_excluded);
    }
}
