//! BuildKit's cache model: step keys, the store that lives across builds, and why a step re-ran.
//!
//! A step's key is its definition plus its parent's key (BuildKit `solver/cachekey.go`:
//! digest of the op + the keys of its inputs). Inputs that BuildKit checksums by content
//! (a COPY's context files, a `COPY --from` selection, a read-only bind mount) enter the key
//! as a content digest instead of the producing step's key, which is why an identical
//! artifact is a hit (buildkit-truth ms_builder_final b3).
//!
//! - [`key`]: [`CacheKey`] and [`KeyBuilder`];
//! - [`store`]: [`CacheStore`], results by key, plus what else outlives one build (cache
//!   mounts, the context as last transferred);
//! - [`reason`]: [`StepInputs`] and [`MissReason`], "which input changed" for people.

pub mod key;
pub mod reason;
pub mod store;

pub use key::{CacheKey, KeyBuilder};
pub use reason::{FileInput, MissReason, StepInputs};
pub use store::{CacheStore, SentFile, SentKind, SentMap, StepRecord};
