//! An immutable, committed layer: the entries BuildKit would write to the layer tar (sorted by
//! path, each with kind, size, mode and owner) and the lookup map the layers above stack on.

use super::node::{Meta, Node};
use crate::content::{Content, Digest};
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
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
    /// Hashes (`KeyProbe`) of every key in `nodes`: a lookup through a 45-layer stack asks
    /// every layer for the key, and an integer probe answers "not here" without walking the
    /// ordered map. A hit is confirmed in `nodes`, so a collision never changes an answer.
    pub(crate) key_hashes: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    /// Hashes of the keys whose node hides what lies below it (files, symlinks, whiteouts,
    /// opaque dirs), for the "does an ancestor block?" question, confirmed the same way.
    pub(crate) blocker_hashes: HashSet<u64, BuildHasherDefault<IdentityHasher>>,
}

impl Layer {
    /// True if the layer tar would be empty (e.g. `WORKDIR` on an existing directory).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The node this layer holds at the probed key (whiteouts included); same answer as
    /// `self.nodes.get(key)`.
    pub(crate) fn node_at(&self, probe: &KeyProbe) -> Option<&Node> {
        if !self.key_hashes.contains(&probe.hash) {
            return None;
        }
        self.nodes.get(probe.key)
    }

    /// True if this layer holds, on a proper ancestor of the probed key, a node that hides
    /// what is below it; same answer as `blocks_in(&self.nodes, key)`.
    pub(crate) fn blocks(&self, probe: &KeyProbe) -> bool {
        if self.blocker_hashes.is_empty() {
            return false;
        }
        probe.ancestors.iter().any(|(a, h)| {
            self.blocker_hashes.contains(h) && self.nodes.get(*a).is_some_and(Node::blocks_below)
        })
    }
}

/// A key and its proper ancestors with their hashes, computed once per lookup and reused by
/// every layer of the stack.
pub(crate) struct KeyProbe<'k> {
    pub(crate) key: &'k str,
    hash: u64,
    /// Proper ancestors (`a`, `a/b` for `a/b/c`), nearest last, with their hashes.
    ancestors: Vec<(&'k str, u64)>,
}

impl<'k> KeyProbe<'k> {
    pub(crate) fn new(key: &'k str) -> KeyProbe<'k> {
        // FNV-1a is prefix-incremental: the state at each '/' is the hash of that ancestor.
        let mut h = FNV_OFFSET;
        let mut ancestors = Vec::new();
        for (i, &b) in key.as_bytes().iter().enumerate() {
            if b == b'/' {
                ancestors.push((&key[..i], h));
            }
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        KeyProbe {
            key,
            hash: h,
            ancestors,
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn key_hash(key: &str) -> u64 {
    KeyProbe::new(key).hash
}

/// Hashes for `Layer::key_hashes` and `Layer::blocker_hashes` of `nodes`.
pub(crate) fn key_indexes(
    nodes: &BTreeMap<String, Node>,
) -> (
    HashSet<u64, BuildHasherDefault<IdentityHasher>>,
    HashSet<u64, BuildHasherDefault<IdentityHasher>>,
) {
    let mut keys = HashSet::default();
    let mut blockers = HashSet::default();
    for (k, n) in nodes {
        let h = key_hash(k);
        keys.insert(h);
        if n.blocks_below() {
            blockers.insert(h);
        }
    }
    (keys, blockers)
}

/// The keys of the hash sets above are already hashes: use them as they are.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
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
