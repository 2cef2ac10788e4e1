//! The build cache that lives across builds: step results by key, the last inputs of every
//! step slot (for "why it re-ran"), cache mounts, and the context as last transferred.

use super::key::CacheKey;
use super::reason::StepInputs;
use crate::content::{Content, Digest};
use crate::fs::{Layer, Tree};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What a step produced: the layer it committed (shared by every build that reuses it).
#[derive(Debug, Clone)]
pub struct StepRecord {
    pub layer: Arc<Layer>,
    /// The build (1-based count) that executed it.
    pub built_in: u32,
}

/// What a transferred context path holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentKind {
    File(Content),
    Dir,
    Symlink(String),
}

/// A context entry as the build's context transfer last received it. BuildKit's incremental
/// transfer (fsutil) skips a file whose mode, size and mtime are unchanged, so a content edit
/// that keeps both size and mtime is NOT seen (buildkit-truth cache_same_size_same_mtime_edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFile {
    pub kind: SentKind,
    /// Content digest of a file (of the target of a symlink; 0 for a directory).
    pub digest: Digest,
    pub mode: u32,
    pub mtime: u64,
}

/// The transferred context by relative path; shared (`Arc`) while nothing changes.
pub type SentMap = BTreeMap<Arc<str>, SentFile>;

/// Everything a sequence of builds shares. Starts empty; pass the same store to every build.
#[derive(Debug, Clone, Default)]
pub struct CacheStore {
    steps: HashMap<CacheKey, StepRecord>,
    /// The key each step slot (stage + position) had in the last build that reached it.
    slot_keys: HashMap<String, CacheKey>,
    /// What went into each key that was executed (for "why it re-ran"); shared, so a copy of
    /// the store (the playground builds on a copy while the learner types) stays cheap.
    key_inputs: HashMap<CacheKey, Arc<StepInputs>>,
    /// Cache mounts by id (`--mount=type=cache,id=...`, the target when no id).
    pub cache_mounts: HashMap<String, Tree>,
    /// The context as last transferred, by relative path.
    pub sent: Arc<SentMap>,
    /// How many builds used this store.
    pub builds: u32,
    /// Base images already turned into layers, by resolved reference (pure memo).
    pub bases: HashMap<String, Vec<Arc<Layer>>>,
}

impl CacheStore {
    pub fn new() -> CacheStore {
        CacheStore::default()
    }

    pub fn get(&self, key: CacheKey) -> Option<&StepRecord> {
        self.steps.get(&key)
    }

    /// Records a result; a re-run of the same key (`--no-cache`) replaces the older result,
    /// so the next normal build reuses the no-cache build's layers (cache_no_cache b3).
    pub fn insert(&mut self, key: CacheKey, record: StepRecord) {
        self.steps.insert(key, record);
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The inputs of the result a step slot (stage + position) used in the last build that
    /// reached it, when that result was executed with this store.
    pub fn last_inputs(&self, slot: &str) -> Option<&StepInputs> {
        self.key_inputs.get(self.slot_keys.get(slot)?).map(|i| &**i)
    }

    /// Records which key a slot used (every build; no allocation beyond the slot name).
    pub fn set_slot_key(&mut self, slot: String, key: CacheKey) {
        self.slot_keys.insert(slot, key);
    }

    /// Records what went into an executed key.
    pub fn set_key_inputs(&mut self, key: CacheKey, inputs: StepInputs) {
        self.key_inputs.insert(key, Arc::new(inputs));
    }

    /// Forgets everything (the playground's "clear cache").
    pub fn clear(&mut self) {
        *self = CacheStore::default();
    }
}
