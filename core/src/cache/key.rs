//! Step cache keys: a digest of the step's definition and of its inputs' keys or contents.

use crate::content::{Digest, Hasher};

/// A step's cache key. Equal keys mean BuildKit would reuse the earlier result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CacheKey(pub u128);

/// Builds a key field by field; every field is length-prefixed so fields cannot run together.
#[derive(Debug, Clone)]
pub struct KeyBuilder {
    h: Hasher,
}

impl KeyBuilder {
    /// Starts a key for an op kind (`"run"`, `"copy"`, `"mkdir"`, `"image"` ...).
    pub fn new(op: &str) -> KeyBuilder {
        let mut h = Hasher::new();
        h.write_str("layerlab-step-v1");
        h.write_str(op);
        KeyBuilder { h }
    }

    pub fn str(mut self, s: &str) -> KeyBuilder {
        self.h.write_str(s);
        self
    }

    pub fn strs<'a>(mut self, items: impl IntoIterator<Item = &'a str>) -> KeyBuilder {
        let mut n = 0u64;
        for s in items {
            self.h.write_str(s);
            n += 1;
        }
        self.h.write(&n.to_le_bytes());
        self
    }

    pub fn opt(self, s: Option<&str>) -> KeyBuilder {
        match s {
            Some(v) => self.str("some").str(v),
            None => self.str("none"),
        }
    }

    pub fn u64(mut self, v: u64) -> KeyBuilder {
        self.h.write(&v.to_le_bytes());
        self
    }

    pub fn flag(self, b: bool) -> KeyBuilder {
        self.u64(b as u64)
    }

    pub fn key(mut self, k: CacheKey) -> KeyBuilder {
        self.h.write(&k.0.to_le_bytes());
        self
    }

    pub fn digest(mut self, d: Digest) -> KeyBuilder {
        self.h.write(&d.0.to_le_bytes());
        self
    }

    pub fn finish(self) -> CacheKey {
        CacheKey(self.h.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_run_together() {
        let a = KeyBuilder::new("run").str("ab").str("c").finish();
        let b = KeyBuilder::new("run").str("a").str("bc").finish();
        assert_ne!(a, b);
        assert_eq!(a, KeyBuilder::new("run").str("ab").str("c").finish());
        assert_ne!(
            KeyBuilder::new("run").finish(),
            KeyBuilder::new("copy").finish()
        );
    }
}
