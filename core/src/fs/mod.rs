//! A layered filesystem like overlayfs: per-layer diffs, whiteouts, opaque dirs, sizes as
//! BuildKit stores them.
//!
//! - [`Fs`] is one stage's filesystem: committed [`Layer`]s (shared with `Arc`) under a mutable
//!   upper layer, plus the mounts of the RUN in progress ([`Mount`]).
//! - [`Fs::commit`] turns the changes into a [`Layer`] whose `entries` and `size` are what the
//!   layer tar of a real build holds (rules in `commit.rs`, from buildkit-truth "Layers and sizes").
//! - Paths given to `Fs` are absolute (`/a/b`); the shell joins relative ones with its cwd.
//!   Layer entry paths are relative, tar style (`a/b`, `a/.wh.c`).
//! - A directory deleted and re-created in one step is opaque in the upper layer (nothing below
//!   shows through), but its committed layer holds one whiteout per vanished child, not a
//!   `.wh..wh..opq` marker: the truth builds use the native snapshotter, whose diff (continuity
//!   `doubleWalkDiff`) never writes opaque markers. `EntryKind::Opaque` exists for describing
//!   other snapshotters' layers.
//! - Hard links: names of one inode share an `ino`; a layer stores the data once (the first name
//!   the step wrote) and the other names as 0-byte hard links.
//!
//! Typical use by the build driver:
//! ```
//! use layerlab_core::fs::{Fs, Meta};
//! use layerlab_core::content::Content;
//! let mut fs = Fs::new();
//! fs.mkdir_all("/etc", Meta::root(0o755)).unwrap();
//! fs.put_file("/etc/passwd", Content::from_text("root:x:0:0:root:/root:/bin/sh\n"), Meta::root(0o644)).unwrap();
//! let base = fs.commit();            // a base image layer
//! assert_eq!(base.size, 30);
//! let mut stage = layerlab_core::fs::Fs::from_layers(vec![base]);
//! stage.ensure_run_mount_points();   // before each RUN
//! let layer = stage.commit();        // after the RUN: dev/, proc/, sys/
//! assert_eq!(layer.entries.len(), 3);
//! ```

mod change;
mod commit;
mod digest;
mod key_index;
mod layer;
mod mounts;
mod node;
mod ops;
pub mod path;
mod sha256;
mod stack;
mod view;

#[cfg(test)]
pub(crate) mod tests;

pub use layer::{EntryDigest, EntryKind, EntrySha256, Layer, LayerEntry};
pub use mounts::{Mount, MountKind};
pub use node::{FileType, Meta, Stat};
pub use ops::{Fs, FsError, Loc, WalkEntry, MAX_SYMLINK_HOPS};
pub use sha256::{sha256_hex, stream_content, SHA256_LIMIT};
pub use stack::{Tree, WALK_LIMIT};
