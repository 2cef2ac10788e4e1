//! One layered tree: immutable layers (shared with `Arc`) under a mutable upper layer, looked up
//! like overlayfs: the topmost entry for a path wins, a whiteout hides it, and a whiteout,
//! non-directory or opaque directory on an ancestor hides everything below it in lower layers.
//! Keys only (see `path`); symlinks and mounts are resolved one level up, in `ops`.

use super::key_index::UpperIndex;
use super::layer::{blocks_in, children_in, KeyProbe, Layer};
use super::node::{FileNode, Meta, Node};
use super::path::{descendant_prefix, is_within};
use crate::content::Content;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The root directory when no layer describes it.
static ROOT: Node = Node::Dir {
    meta: Meta::root(0o755),
    opaque: false,
};

/// Walks stop after this many entries (a learner's fs never needs more; a runaway loop must end).
pub const WALK_LIMIT: usize = 500_000;

#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub(crate) layers: Vec<Arc<Layer>>,
    pub(crate) upper: BTreeMap<String, Node>,
    pub(crate) next_ino: u64,
    /// Upper-layer names rewritten only because another name of their inode was added (`ln`):
    /// the layer stores the data under a name the command wrote and these as hard links.
    pub(crate) relinked: BTreeSet<String>,
    /// A fast "not in the upper map" for lookups; every insert into `upper` goes through
    /// `put_upper`, which keeps it a superset.
    upper_index: UpperIndex,
}

impl Tree {
    pub fn new(layers: Vec<Arc<Layer>>) -> Tree {
        let next_ino = layers.iter().map(|l| l.max_ino).max().unwrap_or(0) + 1;
        Tree {
            layers,
            upper: BTreeMap::new(),
            next_ino,
            relinked: BTreeSet::new(),
            upper_index: UpperIndex::default(),
        }
    }

    /// The node at `key` in the merged view (never a whiteout).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match lookup(Some((&self.upper, &self.upper_index)), &self.layers, key) {
            Lookup::Found(n) => Some(n),
            Lookup::Hidden => None,
            Lookup::Absent => key.is_empty().then_some(&ROOT),
        }
    }

    /// The node at `key` in the layers below the upper layer.
    pub fn get_lower(&self, key: &str) -> Option<&Node> {
        match lookup(None, &self.layers, key) {
            Lookup::Found(n) => Some(n),
            Lookup::Hidden => None,
            Lookup::Absent => key.is_empty().then_some(&ROOT),
        }
    }

    /// Sorted names of the children of the directory `key` in the merged view.
    pub fn children(&self, key: &str) -> Vec<String> {
        merged_children(
            std::iter::once(Level::Upper(&self.upper)).chain(self.lower_levels()),
            key,
        )
    }

    /// Sorted names of the children of `key` in the layers below the upper layer.
    pub fn lower_children(&self, key: &str) -> Vec<String> {
        merged_children(self.lower_levels(), key)
    }

    /// Puts `node` at `key` in the upper layer. A directory put where a whiteout was becomes
    /// opaque (deleted, then re-created: nothing of the old one shows through).
    pub fn put(&mut self, key: &str, node: Node) {
        let node = match node {
            Node::Dir { meta, opaque } => {
                let was_deleted = matches!(
                    self.upper.get(key),
                    Some(Node::Whiteout) | Some(Node::Dir { opaque: true, .. })
                );
                Node::Dir {
                    meta,
                    opaque: opaque || was_deleted,
                }
            }
            other => other,
        };
        if !node.is_dir() {
            self.drop_upper_descendants(key);
        }
        if let Node::File(f) = &node {
            self.next_ino = self.next_ino.max(f.ino + 1);
        }
        self.relinked.remove(key);
        self.put_upper(key, node);
    }

    /// Every insert into the upper map, so that `upper_index` stays a superset of it.
    fn put_upper(&mut self, key: &str, node: Node) {
        self.upper_index.note(key, &node);
        self.upper.insert(key.to_string(), node);
    }

    /// Removes `key` and everything below it from the merged view.
    pub fn delete(&mut self, key: &str) {
        if key.is_empty() {
            return;
        }
        self.drop_upper_descendants(key);
        self.upper.remove(key);
        let hidden_by_upper = blocks_in(&self.upper, key);
        if !hidden_by_upper && self.get_lower(key).is_some() {
            self.put_upper(key, Node::Whiteout);
        }
    }

    pub fn alloc_ino(&mut self) -> u64 {
        let ino = self.next_ino;
        self.next_ino += 1;
        ino
    }

    /// Puts a new regular file (a fresh inode, one link) at `key`.
    pub fn put_new_file(&mut self, key: &str, content: Content, meta: Meta) {
        let ino = self.alloc_ino();
        self.put(
            key,
            Node::File(FileNode {
                ino,
                nlink: 1,
                content,
                meta,
            }),
        );
    }

    /// Every key at or below `key` in the merged view, parents before children, names sorted;
    /// bounded by `WALK_LIMIT`.
    pub fn walk_keys(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.get(key).is_none() {
            return out;
        }
        let mut stack = vec![key.to_string()];
        while let Some(k) = stack.pop() {
            if out.len() >= WALK_LIMIT {
                break;
            }
            let is_dir = self.get(&k).is_some_and(Node::is_dir);
            if is_dir {
                let kids = self.children(&k);
                for name in kids.into_iter().rev() {
                    stack.push(super::path::child_key(&k, &name));
                }
            }
            out.push(k);
        }
        out
    }

    /// True if the upper layer holds no change.
    pub fn is_clean(&self) -> bool {
        self.upper.is_empty()
    }

    /// Meta of the root directory.
    pub fn root_meta(&self) -> Meta {
        match self.get("") {
            Some(Node::Dir { meta, .. }) => *meta,
            _ => Meta::root(0o755),
        }
    }

    /// The committed layers, topmost first.
    fn lower_levels(&self) -> impl Iterator<Item = Level<'_>> {
        self.layers.iter().rev().map(|l| Level::Committed(l))
    }

    fn drop_upper_descendants(&mut self, key: &str) {
        if !self.upper_index.may_hold_below(key) {
            return;
        }
        // Descendants sort after `key`, among the keys that start with it: when the next key
        // does not, there is nothing to drop and no prefix to allocate.
        let next = self
            .upper
            .range::<str, _>((std::ops::Bound::Excluded(key), std::ops::Bound::Unbounded))
            .next();
        if !next.is_some_and(|(k, _)| k.starts_with(key)) {
            return;
        }
        let prefix = descendant_prefix(key);
        let doomed: Vec<String> = self
            .upper
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(k, _)| k.starts_with(prefix.as_str()))
            .filter(|(k, _)| is_within(k, key) && k.as_str() != key)
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.upper.remove(&k);
        }
    }
}

/// One level of the stack as lookups see it: the mutable upper map, or a committed layer
/// (which answers "does an ancestor block?" from its precomputed blocker index).
#[derive(Clone, Copy)]
enum Level<'a> {
    Upper(&'a BTreeMap<String, Node>),
    Committed(&'a Layer),
}

impl<'a> Level<'a> {
    fn nodes(self) -> &'a BTreeMap<String, Node> {
        match self {
            Level::Upper(nodes) => nodes,
            Level::Committed(layer) => &layer.nodes,
        }
    }

    fn node_at(self, probe: &KeyProbe) -> Option<&'a Node> {
        match self {
            Level::Upper(nodes) => nodes.get(probe.key),
            Level::Committed(layer) => layer.node_at(probe),
        }
    }

    fn blocks(self, probe: &KeyProbe) -> bool {
        match self {
            Level::Upper(nodes) => blocks_in(nodes, probe.key),
            Level::Committed(layer) => layer.blocks(probe),
        }
    }
}

enum Lookup<'a> {
    Found(&'a Node),
    Hidden,
    Absent,
}

/// The topmost node at `key` in `upper` (if given) over `layers` (bottom first), unless a
/// whiteout or an ancestor that hides what is below comes first. The hot path of every path
/// resolution: a tight loop over the layers, each answering from its key index.
fn lookup<'a>(
    upper: Option<(&'a BTreeMap<String, Node>, &UpperIndex)>,
    layers: &'a [Arc<Layer>],
    key: &str,
) -> Lookup<'a> {
    let found = |n: &'a Node| match n {
        Node::Whiteout => Lookup::Hidden,
        n => Lookup::Found(n),
    };
    let probe = KeyProbe::new(key);
    if let Some((upper, index)) = upper {
        if index.may_hold(&probe) {
            if let Some(n) = upper.get(key) {
                return found(n);
            }
        }
        if index.may_block(&probe) && blocks_in(upper, key) {
            return Lookup::Hidden;
        }
    }
    for layer in layers.iter().rev() {
        if let Some(n) = layer.node_at(&probe) {
            return found(n);
        }
        if layer.blocks(&probe) {
            return Lookup::Hidden;
        }
    }
    Lookup::Absent
}

fn merged_children<'a>(sources: impl Iterator<Item = Level<'a>>, key: &str) -> Vec<String> {
    let mut seen: BTreeMap<&'a str, bool> = BTreeMap::new();
    let probe = KeyProbe::new(key);
    for src in sources {
        let stop_after = match src.node_at(&probe) {
            Some(Node::Dir { opaque, .. }) => *opaque,
            Some(_) => break,
            None => {
                if src.blocks(&probe) {
                    break;
                }
                false
            }
        };
        for (name, node) in children_in(src.nodes(), key) {
            seen.entry(name).or_insert(!matches!(node, Node::Whiteout));
        }
        if stop_after {
            break;
        }
    }
    seen.into_iter()
        .filter(|(_, visible)| *visible)
        .map(|(n, _)| n.to_string())
        .collect()
}
