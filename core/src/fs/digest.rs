//! A stable digest of a directory subtree: what `COPY --from` compares to stay CACHED when a
//! builder re-ran but produced a byte-identical artifact (truth README, Multi-stage).
//! Names are relative to the subtree root; times are never part of it.

use super::node::FileType;
use super::ops::WalkEntry;
use crate::content::{Digest, Hasher};

pub(crate) fn digest_entries(entries: &[WalkEntry]) -> Digest {
    let mut h = Hasher::new();
    let root = entries.first().map(|e| e.path.clone()).unwrap_or_default();
    for e in entries {
        let rel = e.path.strip_prefix(root.as_str()).unwrap_or(&e.path);
        h.write_str(rel);
        let kind: u8 = match e.stat.kind {
            FileType::File => 0,
            FileType::Dir => 1,
            FileType::Symlink => 2,
        };
        h.write(&[kind]);
        h.write(&e.stat.meta.mode.to_le_bytes());
        h.write(&e.stat.meta.uid.to_le_bytes());
        h.write(&e.stat.meta.gid.to_le_bytes());
        if let Some(t) = &e.stat.link_target {
            h.write_str(t);
        }
        if let Some(c) = &e.content {
            h.write(&c.digest().0.to_le_bytes());
        }
    }
    Digest(h.finish())
}
