//! The per-layer "is this key here?" index that lookups through deep stacks ask first.
//!
//! A lookup through a 45-layer stack (the simulate bench's Deep layout) asks every layer for the
//! key and for each of its ancestors ("does a file or whiteout up there hide it?"); almost all
//! answers are "no". A Bloom filter answers most of those "no"s with two bit tests, and a mask
//! of the depths blockers sit at skips the ancestor questions whose depth holds no blocker at
//! all (a COPY layer's blockers are its files, deeper than the directories a lookup passes).
//! A "maybe" is confirmed in the layer's ordered map, so a false positive never changes an
//! answer; it only costs one map lookup.

use super::node::Node;
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Keys with at most this many ancestors keep them without allocating.
const INLINE_ANCESTORS: usize = 16;

/// Filter bits per key: with two bits per key in one word, about 2 % false positives.
const BITS_PER_KEY: usize = 16;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A key and its proper ancestors with their hashes, computed once per lookup and reused by
/// every layer of the stack.
pub(crate) struct KeyProbe<'k> {
    pub(crate) key: &'k str,
    pub(crate) hash: u64,
    /// Bit `d` set for each ancestor depth `d` (`blocker_depths` of a layer's index).
    ancestor_depths: u64,
    /// Proper ancestors as (end offset in `key`, hash), nearest last: the first
    /// `INLINE_ANCESTORS` inline; a deeper key moves all of them to `spill`.
    inline: [(u32, u64); INLINE_ANCESTORS],
    inline_len: usize,
    spill: Vec<(u32, u64)>,
}

impl<'k> KeyProbe<'k> {
    /// Inlined into the lookup loop: built in place rather than copied out (it is ~300 bytes).
    #[inline(always)]
    pub(crate) fn new(key: &'k str) -> KeyProbe<'k> {
        let mut probe = KeyProbe {
            key,
            hash: 0,
            ancestor_depths: 0,
            inline: [(0, 0); INLINE_ANCESTORS],
            inline_len: 0,
            spill: Vec::new(),
        };
        // FNV-1a is prefix-incremental: the state at each '/' is the hash of that ancestor.
        let mut h = FNV_OFFSET;
        let mut depth = 0usize;
        for (i, &b) in key.as_bytes().iter().enumerate() {
            if b == b'/' {
                depth += 1;
                probe.ancestor_depths |= depth_bit(depth);
                let entry = (u32::try_from(i).unwrap_or(u32::MAX), h);
                if probe.spill.is_empty() && probe.inline_len < INLINE_ANCESTORS {
                    if let Some(slot) = probe.inline.get_mut(probe.inline_len) {
                        *slot = entry;
                    }
                    probe.inline_len += 1;
                } else {
                    if probe.spill.is_empty() {
                        let inline = probe.inline;
                        probe
                            .spill
                            .extend_from_slice(inline.get(..probe.inline_len).unwrap_or(&[]));
                    }
                    probe.spill.push(entry);
                }
            }
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        probe.hash = h;
        probe
    }

    fn inline_slice(&self) -> &[(u32, u64)] {
        self.inline.get(..self.inline_len).unwrap_or(&[])
    }

    /// True if some ancestor of the key has a depth whose bit is set in `depths`.
    #[inline]
    pub(crate) fn may_meet(&self, depths: u64) -> bool {
        self.ancestor_depths & depths != 0
    }

    /// Proper ancestors as (end offset in `key`, hash), nearest last; ancestor `i` (from 0)
    /// has depth `i + 1`.
    pub(crate) fn ancestor_hashes(&self) -> &[(u32, u64)] {
        if self.spill.is_empty() {
            self.inline_slice()
        } else {
            &self.spill
        }
    }

    /// The ancestor ending at `end` (an offset from `ancestor_hashes`).
    pub(crate) fn ancestor(&self, end: u32) -> &'k str {
        self.key.get(..end as usize).unwrap_or("")
    }
}

/// The FNV-1a hash `KeyProbe` computes for a whole key.
pub(crate) fn key_hash(key: &str) -> u64 {
    key.as_bytes().iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// The number of components of a non-empty key (`a` is 1, `a/b` is 2).
fn depth_of(key: &str) -> usize {
    key.bytes().filter(|&b| b == b'/').count() + 1
}

/// A blocked Bloom filter over key hashes: one 64-bit word per hash, two bits in it (one memory
/// access per question). Never answers "no" for an inserted hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyFilter {
    /// A power-of-two number of words (empty: the filter holds nothing).
    words: Box<[u64]>,
}

impl KeyFilter {
    fn with_capacity(keys: usize) -> KeyFilter {
        if keys == 0 {
            return KeyFilter::default();
        }
        let words = (keys.saturating_mul(BITS_PER_KEY) / 64)
            .max(1)
            .next_power_of_two();
        KeyFilter {
            words: vec![0u64; words].into_boxed_slice(),
        }
    }

    /// The word and the two bits of a hash. FNV's low bits are weak, so the hash is mixed first.
    #[inline]
    fn slot(&self, hash: u64) -> (usize, u64) {
        let m = hash.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // An empty filter's mask is usize::MAX: `get` then answers None.
        let word = (m >> 32) as usize & self.words.len().wrapping_sub(1);
        (word, (1u64 << (m & 63)) | (1u64 << ((m >> 6) & 63)))
    }

    fn insert(&mut self, hash: u64) {
        let (word, bits) = self.slot(hash);
        if let Some(w) = self.words.get_mut(word) {
            *w |= bits;
        }
    }

    /// False if `hash` was certainly never inserted.
    #[inline]
    pub(crate) fn may_contain(&self, hash: u64) -> bool {
        let (word, bits) = self.slot(hash);
        self.words.get(word).is_some_and(|w| w & bits == bits)
    }
}

/// What a committed layer answers lookups from before touching its ordered map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyIndex {
    /// Every key of the layer's nodes, whiteouts included.
    pub(crate) keys: KeyFilter,
    /// The keys whose node hides what lies below it (files, symlinks, whiteouts, opaque dirs).
    pub(crate) blockers: KeyFilter,
    /// Bit `d` set if a blocker has `d` components (bit 63: 63 or more).
    pub(crate) blocker_depths: u64,
}

impl KeyIndex {
    pub(crate) fn of(nodes: &BTreeMap<String, Node>) -> KeyIndex {
        let n_blockers = nodes.values().filter(|n| n.blocks_below()).count();
        let mut index = KeyIndex {
            keys: KeyFilter::with_capacity(nodes.len()),
            blockers: KeyFilter::with_capacity(n_blockers),
            blocker_depths: 0,
        };
        for (k, n) in nodes {
            let h = key_hash(k);
            index.keys.insert(h);
            if n.blocks_below() && !k.is_empty() {
                index.blockers.insert(h);
                index.blocker_depths |= depth_bit(depth_of(k));
            }
        }
        index
    }
}

/// The `blocker_depths` bit of a depth.
#[inline]
pub(crate) fn depth_bit(depth: usize) -> u64 {
    1u64 << depth.min(63)
}

/// What the mutable upper layer answers lookups from before touching its ordered map: every
/// key ever put there (removals are not tracked, so a "maybe" can be stale; the map confirms)
/// and the depths of every blocker ever put there. During a COPY of a tree the upper map holds
/// thousands of files, and each resolution asked it several times by string comparison.
#[derive(Debug, Clone, Default)]
pub(crate) struct UpperIndex {
    keys: HashSet<u64, BuildHasherDefault<MixHasher>>,
    blocker_depths: u64,
    /// The most components a key ever put there had.
    max_depth: usize,
}

impl UpperIndex {
    /// Records that `node` was put at `key`.
    pub(crate) fn note(&mut self, key: &str, node: &Node) {
        self.keys.insert(key_hash(key));
        if key.is_empty() {
            return;
        }
        let depth = depth_of(key);
        self.max_depth = self.max_depth.max(depth);
        if node.blocks_below() {
            self.blocker_depths |= depth_bit(depth);
        }
    }

    /// False if the upper map certainly holds nothing below `key` (no key there was ever
    /// deeper): putting a file then has nothing to drop, without a range query.
    pub(crate) fn may_hold_below(&self, key: &str) -> bool {
        key.is_empty() || self.max_depth > depth_of(key)
    }

    /// False if the upper map certainly has no node at the probed key.
    #[inline]
    pub(crate) fn may_hold(&self, probe: &KeyProbe) -> bool {
        self.keys.contains(&probe.hash)
    }

    /// False if the upper map certainly has no blocker on an ancestor of the probed key.
    #[inline]
    pub(crate) fn may_block(&self, probe: &KeyProbe) -> bool {
        probe.may_meet(self.blocker_depths)
    }
}

/// The set's keys are FNV hashes already: one multiply spreads them over the table.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
