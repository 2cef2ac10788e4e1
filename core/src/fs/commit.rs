//! Turning the upper layer into a committed `Layer` with exactly the entries BuildKit stores.
//!
//! BuildKit's native snapshotter diffs the lower and upper trees with continuity's
//! `doubleWalkDiff` and writes the tar with containerd's `archive.WriteDiff`:
//! - a new or changed file is stored whole (content, mode, owner or mtime changed);
//! - a deleted path is a 0-byte `.wh.<name>`, a deleted directory one whiteout for the whole tree;
//! - a directory counts as changed only if new or its mode/owner changed (`sameFile` ignores a
//!   directory's mtime), but the parents of every written entry are written too
//!   (`changeWriter.includeParents`), which is why later layers re-list `a`, `a/b` (0 B);
//! - a directory deleted and re-created gives one whiteout per vanished child, not an opaque
//!   marker (that is the overlay snapshotter's format);
//! - names of one inode: the first (sorted) carries the data, the others are 0-byte hard links.

use super::layer::{
    dir_entry, whiteout_entry, EntryDigest, EntryKind, EntrySha256, Layer, LayerEntry,
};
use super::node::Node;
use super::path::child_key;
use super::stack::Tree;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

pub(crate) fn diff(tree: &Tree) -> Layer {
    // Entries and nodes are gathered in vectors and sorted once: a COPY of a big tree commits
    // thousands of files, and inserting each into ordered maps (with a copy of its key per
    // map) was most of the commit. Later pushes of a path replace earlier ones, as map inserts
    // would (`sort_keep_last`).
    let mut entries: Vec<LayerEntry> = Vec::new();
    let mut nodes: Vec<(String, Node)> = Vec::new();
    // Emitted keys (not tar names), whose parents must be listed.
    let mut emitted_keys: Vec<Cow<'_, str>> = Vec::new();
    // (inode, key) of every file, to group the names of one inode.
    let mut files: Vec<(u64, &str)> = Vec::new();
    let mut max_ino = tree.layers.iter().map(|l| l.max_ino).max().unwrap_or(0);

    for (key, node) in &tree.upper {
        if key.is_empty() {
            continue;
        }
        match node {
            Node::Whiteout => {
                if tree.get_lower(key).is_some() {
                    entries.push(whiteout_entry(key));
                    nodes.push((key.clone(), Node::Whiteout));
                    emitted_keys.push(Cow::Borrowed(key));
                }
            }
            Node::Dir { meta, opaque } => {
                let changed =
                    !matches!(tree.get_lower(key), Some(Node::Dir { meta: m, .. }) if m == meta);
                if changed {
                    entries.push(dir_entry(key, *meta));
                    nodes.push((
                        key.clone(),
                        Node::Dir {
                            meta: *meta,
                            opaque: false,
                        },
                    ));
                    emitted_keys.push(Cow::Borrowed(key));
                }
                if *opaque {
                    for name in tree.lower_children(key) {
                        let child = child_key(key, &name);
                        if tree.get(&child).is_none() {
                            entries.push(whiteout_entry(&child));
                            nodes.push((child.clone(), Node::Whiteout));
                            emitted_keys.push(Cow::Owned(child));
                        }
                    }
                }
            }
            Node::File(f) => {
                max_ino = max_ino.max(f.ino);
                files.push((f.ino, key));
                nodes.push((key.clone(), node.clone()));
                emitted_keys.push(Cow::Borrowed(key));
            }
            Node::Symlink { target, meta } => {
                entries.push(LayerEntry {
                    path: key.clone(),
                    kind: EntryKind::Symlink,
                    size: 0,
                    mode: meta.mode,
                    uid: meta.uid,
                    gid: meta.gid,
                    link_target: Some(target.clone()),
                    digest: EntryDigest::none(),
                    sha256: EntrySha256::none(),
                });
                nodes.push((key.clone(), node.clone()));
                emitted_keys.push(Cow::Borrowed(key));
            }
        }
    }

    // Names sorted within each inode (the upper map is sorted and the sort is stable).
    crate::sorting::sort_by_key(&mut files, |(ino, _)| *ino);
    for group in files.chunk_by(|a, b| a.0 == b.0) {
        let mut names: Vec<&str> = group.iter().map(|(_, k)| *k).collect();
        // The data goes with the first name the layer really wrote (`ln f g`: `g`, and `f`
        // becomes a hard link to it); names only re-emitted for the link count come after.
        crate::sorting::sort_by_key(&mut names, |k| tree.relinked.contains(*k));
        let Some(first) = names.first().copied() else {
            continue;
        };
        for (i, key) in names.iter().enumerate() {
            let Some(Node::File(f)) = tree.upper.get(*key) else {
                continue;
            };
            let (kind, size, link_target) = if i == 0 {
                (EntryKind::File, f.content.len(), None)
            } else {
                (EntryKind::HardLink, 0, Some(first.to_string()))
            };
            entries.push(LayerEntry {
                path: key.to_string(),
                kind,
                size,
                mode: f.meta.mode,
                uid: f.meta.uid,
                gid: f.meta.gid,
                link_target,
                digest: EntryDigest::of(f.content.clone()),
                // Hashed only when read (the layer-files view, the truth comparison).
                sha256: EntrySha256::of(f.content.clone()),
            });
        }
    }
    sort_keep_last(&mut entries, |e| e.path.as_str());
    sort_keep_last(&mut nodes, |(k, _)| k.as_str());

    // Every ancestor once: when one is already there, so are its own ancestors. Keys come
    // sorted, so siblings follow each other: a key with the previous key's parent adds nothing.
    let mut parents: HashSet<&str> = HashSet::new();
    let mut last_parent: Option<&str> = None;
    for key in &emitted_keys {
        let key: &str = key;
        let parent = super::path::parent_key(key);
        if last_parent == Some(parent) {
            continue;
        }
        last_parent = Some(parent);
        for (i, _) in key.rmatch_indices('/') {
            if !parents.insert(key.get(..i).unwrap_or("")) {
                break;
            }
        }
    }
    let mut parents: Vec<&str> = parents.into_iter().collect();
    crate::sorting::sort(&mut parents);
    let mut parent_entries = Vec::new();
    let mut parent_nodes = Vec::new();
    for a in parents {
        if entries.binary_search_by(|e| e.path.as_str().cmp(a)).is_ok() {
            continue;
        }
        if let Some(Node::Dir { meta, .. }) = tree.get(a) {
            parent_entries.push(dir_entry(a, *meta));
            if nodes.binary_search_by(|(k, _)| k.as_str().cmp(a)).is_err() {
                parent_nodes.push((
                    a.to_string(),
                    Node::Dir {
                        meta: *meta,
                        opaque: false,
                    },
                ));
            }
        }
    }
    entries.extend(parent_entries);
    crate::sorting::sort_by(&mut entries, |a, b| a.path.cmp(&b.path));
    nodes.extend(parent_nodes);
    crate::sorting::sort_by(&mut nodes, |a, b| a.0.cmp(&b.0));
    let nodes: BTreeMap<String, Node> = nodes.into_iter().collect();

    let size = entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .fold(0u64, |acc, e| acc.saturating_add(e.size));
    Layer {
        entries,
        size,
        index: super::key_index::KeyIndex::of(&nodes),
        nodes,
        max_ino,
    }
}

/// Sorts by key (stably) and keeps, of equal keys, the one pushed last (what repeated inserts
/// into a map would keep).
fn sort_keep_last<T>(items: &mut Vec<T>, key: impl Fn(&T) -> &str) {
    crate::sorting::sort_by(items, |a, b| key(a).cmp(key(b)));
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match out.last_mut() {
            Some(last) if key(last) == key(&item) => *last = item,
            _ => out.push(item),
        }
    }
    *items = out;
}
