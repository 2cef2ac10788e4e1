//! An immutable, committed layer: the entries BuildKit would write to the layer tar (sorted by
//! path, each with kind, size, mode and owner) and the lookup map the layers above stack on.

pub(crate) use super::key_index::KeyProbe;
use super::key_index::{depth_bit, KeyIndex};
use super::node::{Meta, Node};
use crate::content::{Content, Digest};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Layer entries get a SHA-256 up to this size (hashing more would stall the page; `sha256sum`
/// goes further, up to `SHA256_LIMIT`).
const ENTRY_SHA256_LIMIT: u64 = 16 << 20;

/// The kind of an entry in a layer tar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A second name of an inode whose data another entry of the same layer holds (0 B).
    HardLink,
    /// `.wh.<name>`: the path was deleted (0 B).
    Whiteout,
    /// `.wh..wh..opq`: never produced by the native snapshotter's diff, which this simulator
    /// mirrors; kept so views of other snapshotters' layers can be described.
    Opaque,
}

impl EntryKind {
    /// The name the truth files use (`file`, `dir`, `symlink`, `hardlink`, `whiteout`, `opaque`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::File => "file",
            EntryKind::Dir => "dir",
            EntryKind::Symlink => "symlink",
            EntryKind::HardLink => "hardlink",
            EntryKind::Whiteout => "whiteout",
            EntryKind::Opaque => "opaque",
        }
    }
}

/// One entry of a layer tar. `path` is relative (`a/b`, `a/.wh.c`), like the tar names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerEntry {
    pub path: String,
    pub kind: EntryKind,
    /// Regular-file bytes (0 for every other kind, hard links included).
    pub size: u64,
    /// Permission bits; whiteouts have 0.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Symlink target, or the path (relative, tar style) a hard link points to.
    pub link_target: Option<String>,
    /// Digest of the file content (files and hard links; empty content for whiteouts),
    /// computed on first request: read it with `LayerEntry::digest()`.
    pub digest: EntryDigest,
    /// The SHA-256 a layer tar's file would have, computed on first request: read it with
    /// `LayerEntry::sha256()`.
    pub sha256: EntrySha256,
}

/// The simulator digest of an entry's content, computed only when somebody asks (re-hashing
/// every committed file was ~15% of a cold build; the context already has its own digests).
#[derive(Clone, Default)]
pub struct EntryDigest {
    /// The content to digest (`None`: directories, symlinks, fixtures without content).
    source: Option<Content>,
    cached: OnceLock<Digest>,
}

impl EntryDigest {
    /// No digest (directories, symlinks, opaque markers).
    pub fn none() -> EntryDigest {
        EntryDigest::default()
    }

    /// The digest of `content`, computed on first request.
    pub fn of(content: Content) -> EntryDigest {
        EntryDigest {
            source: Some(content),
            cached: OnceLock::new(),
        }
    }

    pub fn get(&self) -> Option<Digest> {
        let content = self.source.as_ref()?;
        Some(*self.cached.get_or_init(|| content.digest()))
    }
}

/// Equal sources give equal digests, so comparing the sources is enough (and never hashes).
impl PartialEq for EntryDigest {
    fn eq(&self, other: &EntryDigest) -> bool {
        self.source == other.source
    }
}

impl Eq for EntryDigest {}

impl std::fmt::Debug for EntryDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.cached.get(), &self.source) {
            (Some(d), _) => write!(f, "{d:?}"),
            (None, None) => f.write_str("None"),
            (None, Some(_)) => f.write_str("<not digested yet>"),
        }
    }
}

/// The SHA-256 of an entry's bytes, computed only when somebody asks. Hashing every file of
/// every committed layer was over half of a build's time (10k-file bench), while only the
/// layer-files view and the truth comparison ever read it.
#[derive(Clone, Default)]
pub struct EntrySha256 {
    /// The bytes to hash (`None`: directories, symlinks, fixtures without content).
    source: Option<Content>,
    cached: OnceLock<Option<String>>,
}

impl EntrySha256 {
    /// No SHA-256 (directories, symlinks, opaque markers).
    pub fn none() -> EntrySha256 {
        EntrySha256::default()
    }

    /// The SHA-256 of `content`, hashed on first request.
    pub fn of(content: Content) -> EntrySha256 {
        EntrySha256 {
            source: Some(content),
            cached: OnceLock::new(),
        }
    }

    /// Hex digest; `None` for no content, opaque content or content over 16 MiB.
    pub fn get(&self) -> Option<&str> {
        self.cached
            .get_or_init(|| {
                let content = self.source.as_ref()?;
                if content.len() > ENTRY_SHA256_LIMIT {
                    return None;
                }
                super::sha256::sha256_hex(content)
            })
            .as_deref()
    }
}

/// Equal sources give equal digests, so comparing the sources is enough (and never hashes).
impl PartialEq for EntrySha256 {
    fn eq(&self, other: &EntrySha256) -> bool {
        self.source == other.source
    }
}

impl Eq for EntrySha256 {}

impl std::fmt::Debug for EntrySha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.cached.get(), &self.source) {
            (Some(hex), _) => write!(f, "{hex:?}"),
            (None, None) => f.write_str("None"),
            (None, Some(_)) => f.write_str("<not hashed yet>"),
        }
    }
}

impl LayerEntry {
    /// The SHA-256 a layer tar's file would have (files, hard links and whiteouts; none for
    /// opaque or very big content), hex: comparable with buildkit-truth entries. Hashed on the
    /// first call, then cached.
    pub fn sha256(&self) -> Option<&str> {
        self.sha256.get()
    }

    /// Digest of the file content (files and hard links; empty content for whiteouts).
    pub fn digest(&self) -> Option<Digest> {
        self.digest.get()
    }
}

/// A committed layer. Cheap to share: wrap it in `Arc` and stack it under many filesystems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    /// Exactly what the layer tar holds, sorted by path.
    pub entries: Vec<LayerEntry>,
    /// The layer size as `docker history` shows it: the sum of regular-file bytes.
    pub size: u64,
    /// Path key -> node, whiteouts included; what lookups through this layer see.
    pub(crate) nodes: BTreeMap<String, Node>,
    /// The largest inode number used in this layer (new inodes above it start higher).
    pub(crate) max_ino: u64,
    /// A lookup through a 45-layer stack asks every layer for the key and its ancestors; the
    /// index answers most "not here"s without walking the ordered map. A "maybe" is confirmed
    /// in `nodes`, so a false positive never changes an answer.
    pub(crate) index: KeyIndex,
}

impl Layer {
    /// True if the layer tar would be empty (e.g. `WORKDIR` on an existing directory).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The node this layer holds at the probed key (whiteouts included); same answer as
    /// `self.nodes.get(key)`.
    #[inline(always)]
    pub(crate) fn node_at(&self, probe: &KeyProbe) -> Option<&Node> {
        if !self.index.keys.may_contain(probe.hash) {
            return None;
        }
        self.nodes.get(probe.key)
    }

    /// True if this layer holds, on a proper ancestor of the probed key, a node that hides
    /// what is below it; same answer as `blocks_in(&self.nodes, key)`. Asked of every layer
    /// of a stack: the depth test that answers most of them is inlined into the loop.
    #[inline(always)]
    pub(crate) fn blocks(&self, probe: &KeyProbe) -> bool {
        probe.may_meet(self.index.blocker_depths) && self.blocks_at_depths(probe)
    }

    fn blocks_at_depths(&self, probe: &KeyProbe) -> bool {
        let depths = self.index.blocker_depths;
        for (i, &(end, h)) in probe.ancestor_hashes().iter().enumerate() {
            if depths & depth_bit(i + 1) != 0
                && self.index.blockers.may_contain(h)
                && self
                    .nodes
                    .get(probe.ancestor(end))
                    .is_some_and(Node::blocks_below)
            {
                return true;
            }
        }
        false
    }
}

/// The proper ancestors of a key, nearest last, without allocating (`a/b/c` -> `a`, `a/b`).
fn proper_ancestors(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(move |(i, _)| &key[..i])
}

/// True if `nodes` holds, on a proper ancestor of `key`, a node that hides what is below it.
pub(crate) fn blocks_in(nodes: &BTreeMap<String, Node>, key: &str) -> bool {
    if nodes.is_empty() {
        return false;
    }
    proper_ancestors(key).any(|a| nodes.get(a).is_some_and(Node::blocks_below))
}

/// The names of the direct children of `key` present in `nodes` (whiteouts included).
pub(crate) fn children_in<'a>(
    nodes: &'a BTreeMap<String, Node>,
    key: &str,
) -> Vec<(&'a str, &'a Node)> {
    let prefix = super::path::descendant_prefix(key);
    let mut out = Vec::new();
    for (k, n) in nodes.range::<str, _>((
        std::ops::Bound::Included(prefix.as_str()),
        std::ops::Bound::Unbounded,
    )) {
        if !k.starts_with(prefix.as_str()) {
            break;
        }
        let rest = &k[prefix.len()..];
        if !rest.is_empty() && !rest.contains('/') {
            out.push((rest, n));
        }
    }
    out
}

/// A whiteout entry for a deleted `key` (`a/b` -> `a/.wh.b`).
pub(crate) fn whiteout_entry(key: &str) -> LayerEntry {
    let parent = super::path::parent_key(key);
    let name = super::path::base_name(key);
    LayerEntry {
        path: super::path::child_key(parent, &format!(".wh.{name}")),
        kind: EntryKind::Whiteout,
        size: 0,
        mode: 0,
        uid: 0,
        gid: 0,
        link_target: None,
        digest: EntryDigest::of(Content::empty()),
        sha256: EntrySha256::of(Content::empty()),
    }
}

pub(crate) fn dir_entry(key: &str, meta: Meta) -> LayerEntry {
    LayerEntry {
        path: key.to_string(),
        kind: EntryKind::Dir,
        size: 0,
        mode: meta.mode,
        uid: meta.uid,
        gid: meta.gid,
        link_target: None,
        digest: EntryDigest::none(),
        sha256: EntrySha256::none(),
    }
}
