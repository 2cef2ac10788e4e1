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
    dir_entry, key_indexes, whiteout_entry, EntryDigest, EntryKind, EntrySha256, Layer, LayerEntry,
};
use super::node::Node;
use super::path::{ancestors, child_key};
use super::stack::Tree;
use std::collections::{BTreeMap, HashMap};

pub(crate) fn diff(tree: &Tree) -> Layer {
    let mut entries: BTreeMap<String, LayerEntry> = BTreeMap::new();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    // Emitted keys (not tar names), whose parents must be listed.
    let mut emitted_keys: Vec<String> = Vec::new();
    let mut files_by_ino: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut max_ino = tree.layers.iter().map(|l| l.max_ino).max().unwrap_or(0);

    for (key, node) in &tree.upper {
        if key.is_empty() {
            continue;
        }
        match node {
            Node::Whiteout => {
                if tree.get_lower(key).is_some() {
                    let e = whiteout_entry(key);
                    entries.insert(e.path.clone(), e);
                    nodes.insert(key.clone(), Node::Whiteout);
                    emitted_keys.push(key.clone());
                }
            }
            Node::Dir { meta, opaque } => {
                let changed =
                    !matches!(tree.get_lower(key), Some(Node::Dir { meta: m, .. }) if m == meta);
                if changed {
                    entries.insert(key.clone(), dir_entry(key, *meta));
                    nodes.insert(
                        key.clone(),
                        Node::Dir {
                            meta: *meta,
                            opaque: false,
                        },
                    );
                    emitted_keys.push(key.clone());
                }
                if *opaque {
                    for name in tree.lower_children(key) {
                        let child = child_key(key, &name);
                        if tree.get(&child).is_none() {
                            let e = whiteout_entry(&child);
                            entries.insert(e.path.clone(), e);
                            nodes.insert(child.clone(), Node::Whiteout);
                            emitted_keys.push(child);
                        }
                    }
                }
            }
            Node::File(f) => {
                max_ino = max_ino.max(f.ino);
                files_by_ino.entry(f.ino).or_default().push(key.clone());
                nodes.insert(key.clone(), node.clone());
                emitted_keys.push(key.clone());
            }
            Node::Symlink { target, meta } => {
                entries.insert(
                    key.clone(),
                    LayerEntry {
                        path: key.clone(),
                        kind: EntryKind::Symlink,
                        size: 0,
                        mode: meta.mode,
                        uid: meta.uid,
                        gid: meta.gid,
                        link_target: Some(target.clone()),
                        digest: EntryDigest::none(),
                        sha256: EntrySha256::none(),
                    },
                );
                nodes.insert(key.clone(), node.clone());
                emitted_keys.push(key.clone());
            }
        }
    }

    for names in files_by_ino.values_mut() {
        names.sort();
        // The data goes with the first name the layer really wrote (`ln f g`: `g`, and `f`
        // becomes a hard link to it); names only re-emitted for the link count come after.
        names.sort_by_key(|k| tree.relinked.contains(k));
        let Some(first) = names.first().cloned() else {
            continue;
        };
        for (i, key) in names.iter().enumerate() {
            let Some(Node::File(f)) = tree.upper.get(key) else {
                continue;
            };
            let (kind, size, link_target) = if i == 0 {
                (EntryKind::File, f.content.len(), None)
            } else {
                (EntryKind::HardLink, 0, Some(first.clone()))
            };
            entries.insert(
                key.clone(),
                LayerEntry {
                    path: key.clone(),
                    kind,
                    size,
                    mode: f.meta.mode,
                    uid: f.meta.uid,
                    gid: f.meta.gid,
                    link_target,
                    digest: EntryDigest::of(f.content.clone()),
                    // Hashed only when read (the layer-files view, the truth comparison).
                    sha256: EntrySha256::of(f.content.clone()),
                },
            );
        }
    }

    let mut parents: HashMap<String, ()> = HashMap::new();
    for key in &emitted_keys {
        for a in ancestors(key) {
            parents.insert(a.to_string(), ());
        }
    }
    for a in parents.into_keys() {
        if entries.contains_key(&a) {
            continue;
        }
        if let Some(Node::Dir { meta, .. }) = tree.get(&a) {
            entries.insert(a.clone(), dir_entry(&a, *meta));
            nodes.entry(a).or_insert(Node::Dir {
                meta: *meta,
                opaque: false,
            });
        }
    }

    let entries: Vec<LayerEntry> = entries.into_values().collect();
    let size = entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .fold(0u64, |acc, e| acc.saturating_add(e.size));
    let (key_hashes, blocker_hashes) = key_indexes(&nodes);
    Layer {
        entries,
        size,
        key_hashes,
        blocker_hashes,
        nodes,
        max_ino,
    }
}
