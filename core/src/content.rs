//! File content as the simulator keeps it: real bytes for small or typed files, or a compact
//! description (a repeated seed, zeros, an opaque blob of known size) for big ones, so a 1 GB
//! `dd` or a 200 MB package install costs nothing to hold in a browser tab.
//!
//! Equal content must give equal digests whatever its representation: cache keys (COPY, and
//! `COPY --from` of an identical artifact) depend on it. `Content::new_*` therefore normalise:
//! anything up to `INLINE_LIMIT` bytes is stored as bytes.

use std::sync::Arc;

/// Content up to this size is always materialised as bytes.
pub const INLINE_LIMIT: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Content {
    Bytes(Arc<[u8]>),
    /// `seed` repeated and cut to `size` bytes (a zero-filled file is the seed `[0]`).
    Pattern {
        seed: Arc<[u8]>,
        size: u64,
    },
    /// Bytes we do not model (a package's files, a compiler's output): only size and identity.
    Opaque {
        size: u64,
        id: u64,
    },
    /// One piece after another (an append to a big file).
    Concat(Arc<[Content]>),
}

/// A stable 128-bit content digest (not cryptographic; the simulator is its only reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub u128);

impl Default for Content {
    /// Empty content.
    fn default() -> Content {
        Content::empty()
    }
}

impl Content {
    pub fn empty() -> Content {
        Content::Bytes(Arc::from(&[][..]))
    }

    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Content {
        Content::Bytes(Arc::from(bytes.into()))
    }

    pub fn from_text(text: &str) -> Content {
        Content::from_bytes(text.as_bytes().to_vec())
    }

    /// `seed` repeated and cut to `size` bytes; an empty seed gives zeros.
    pub fn pattern(seed: &[u8], size: u64) -> Content {
        let seed: Arc<[u8]> = if seed.is_empty() {
            Arc::from(&[0u8][..])
        } else {
            Arc::from(seed)
        };
        if size <= INLINE_LIMIT {
            let bytes: Vec<u8> = seed.iter().copied().cycle().take(size as usize).collect();
            return Content::Bytes(Arc::from(bytes));
        }
        Content::Pattern { seed, size }
    }

    pub fn zeros(size: u64) -> Content {
        Content::pattern(&[0], size)
    }

    pub fn opaque(size: u64, id: u64) -> Content {
        Content::Opaque { size, id }
    }

    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Pattern { size, .. } | Content::Opaque { size, .. } => *size,
            Content::Concat(parts) => parts
                .iter()
                .fold(0u64, |acc, p| acc.saturating_add(p.len())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when the content is small enough to have them.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Content::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// `self` followed by `tail`, normalised.
    pub fn append(&self, tail: &Content) -> Content {
        if let (Some(a), Some(b)) = (self.as_bytes(), tail.as_bytes()) {
            if (a.len() + b.len()) as u64 <= INLINE_LIMIT {
                let mut v = a.to_vec();
                v.extend_from_slice(b);
                return Content::from_bytes(v);
            }
        }
        if self.is_empty() {
            return tail.clone();
        }
        if tail.is_empty() {
            return self.clone();
        }
        Content::from_parts(vec![self.clone(), tail.clone()])
    }

    /// The bytes, materialised if the content is at most `limit` bytes long (patterns and
    /// concatenations of bytes/patterns can be expanded; opaque blobs cannot).
    pub fn to_bytes_bounded(&self, limit: u64) -> Option<Vec<u8>> {
        if self.len() > limit {
            return None;
        }
        match self {
            Content::Bytes(b) => Some(b.to_vec()),
            Content::Pattern { seed, size } => {
                Some(seed.iter().copied().cycle().take(*size as usize).collect())
            }
            Content::Opaque { .. } => None,
            Content::Concat(parts) => {
                let mut v = Vec::new();
                for p in parts.iter() {
                    v.extend(p.to_bytes_bounded(limit)?);
                }
                Some(v)
            }
        }
    }

    /// `len` bytes starting at `start` (clamped to the content), normalised. A slice of an
    /// opaque blob is another opaque blob whose identity derives from the original's.
    pub fn slice(&self, start: u64, len: u64) -> Content {
        let total = self.len();
        let start = start.min(total);
        let len = len.min(total - start);
        if start == 0 && len == total {
            return self.clone();
        }
        match self {
            Content::Bytes(b) => {
                Content::from_bytes(b[start as usize..(start + len) as usize].to_vec())
            }
            Content::Pattern { seed, .. } if seed.is_empty() => Content::zeros(len),
            Content::Pattern { seed, .. } => {
                let k = (start % seed.len() as u64) as usize;
                let rotated: Vec<u8> = seed[k..].iter().chain(seed[..k].iter()).copied().collect();
                Content::pattern(&rotated, len)
            }
            Content::Opaque { id, .. } => {
                let mut h = Hasher::new();
                h.write(&id.to_le_bytes());
                h.write(&start.to_le_bytes());
                h.write(&len.to_le_bytes());
                Content::opaque(len, h.finish() as u64)
            }
            Content::Concat(parts) => {
                let mut pieces = Vec::new();
                let mut offset = 0u64;
                for p in parts.iter() {
                    let plen = p.len();
                    let lo = start.max(offset);
                    let hi = (start + len).min(offset.saturating_add(plen));
                    if lo < hi {
                        pieces.push(p.slice(lo - offset, hi - lo));
                    }
                    offset = offset.saturating_add(plen);
                }
                Content::from_parts(pieces)
            }
        }
    }

    /// Pieces one after another, normalised: nested concatenations flattened, empty pieces
    /// dropped, and small neighbours merged into one inline piece.
    pub fn from_parts(pieces: Vec<Content>) -> Content {
        let mut parts: Vec<Content> = Vec::new();
        let mut flat = Vec::new();
        for p in pieces {
            match p {
                Content::Concat(inner) => flat.extend(inner.iter().cloned()),
                other => flat.push(other),
            }
        }
        for piece in flat {
            if piece.is_empty() {
                continue;
            }
            if let (Some(Content::Bytes(last)), Content::Bytes(b)) = (parts.last(), &piece) {
                if (last.len() + b.len()) as u64 <= INLINE_LIMIT {
                    let mut v = last.to_vec();
                    v.extend_from_slice(b);
                    if let Some(slot) = parts.last_mut() {
                        *slot = Content::from_bytes(v);
                    }
                    continue;
                }
            }
            parts.push(piece);
        }
        match parts.len() {
            0 => Content::empty(),
            1 => parts.pop().unwrap_or_default(),
            _ => Content::Concat(Arc::from(parts)),
        }
    }

    /// The same bytes with big inline byte strings cut into `INLINE_LIMIT` pieces, so that
    /// taking a line at a time off the front (`while read`) copies little.
    pub fn chunked(&self) -> Content {
        match self {
            Content::Bytes(b) if b.len() as u64 > INLINE_LIMIT => {
                let parts: Vec<Content> = b
                    .chunks(INLINE_LIMIT as usize)
                    .map(|c| Content::Bytes(Arc::from(c)))
                    .collect();
                Content::Concat(Arc::from(parts))
            }
            Content::Concat(parts) => Content::Concat(Arc::from(
                parts
                    .iter()
                    .flat_map(|p| match p.chunked() {
                        Content::Concat(inner) => inner.to_vec(),
                        other => vec![other],
                    })
                    .collect::<Vec<_>>(),
            )),
            other => other.clone(),
        }
    }

    /// Offset of the first `byte`, if the content's bytes are known up to it.
    pub fn find_byte(&self, byte: u8) -> Option<u64> {
        match self {
            Content::Bytes(b) => b.iter().position(|&x| x == byte).map(|i| i as u64),
            Content::Pattern { seed, size } => seed
                .iter()
                .position(|&x| x == byte)
                .map(|i| i as u64)
                .filter(|i| i < size),
            Content::Opaque { .. } => None,
            Content::Concat(parts) => {
                let mut offset = 0u64;
                for p in parts.iter() {
                    if let Some(i) = p.find_byte(byte) {
                        return Some(offset + i);
                    }
                    if matches!(p, Content::Opaque { .. }) {
                        return None;
                    }
                    offset = offset.saturating_add(p.len());
                }
                None
            }
        }
    }

    pub fn digest(&self) -> Digest {
        let mut h = Hasher::new();
        self.feed(&mut h);
        Digest(h.finish())
    }

    fn feed(&self, h: &mut Hasher) {
        match self {
            Content::Bytes(b) => {
                h.write(&[0]);
                h.write(&(b.len() as u64).to_le_bytes());
                h.write(b);
            }
            Content::Pattern { seed, size } => {
                h.write(&[1]);
                h.write(&size.to_le_bytes());
                h.write(seed);
            }
            Content::Opaque { size, id } => {
                h.write(&[2]);
                h.write(&size.to_le_bytes());
                h.write(&id.to_le_bytes());
            }
            Content::Concat(parts) => {
                h.write(&[3]);
                for p in parts.iter() {
                    p.feed(h);
                }
            }
        }
    }
}

/// Two independent 64-bit FNV-1a-style lanes with a final mix: dependency-free and fast
/// enough for hashing a 50 MB virtual context in well under a second.
#[derive(Debug, Clone)]
pub struct Hasher {
    a: u64,
    b: u64,
}

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher {
            a: 0xcbf2_9ce4_8422_2325,
            b: 0x9e37_79b9_7f4a_7c15,
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.a = (self.a ^ w).wrapping_mul(0x0000_0100_0000_01b3);
            self.b = (self.b ^ w.rotate_left(29)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        }
        for &byte in chunks.remainder() {
            self.a = (self.a ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
            self.b = (self.b ^ (byte as u64) << 7).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        }
    }

    pub fn write_str(&mut self, s: &str) {
        self.write(&(s.len() as u64).to_le_bytes());
        self.write(s.as_bytes());
    }

    pub fn finish(&self) -> u128 {
        let mix = |mut x: u64| {
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            x ^= x >> 33;
            x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            x ^ (x >> 33)
        };
        ((mix(self.a ^ self.b.rotate_left(17)) as u128) << 64) | mix(self.b ^ self.a) as u128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_content_has_equal_digest_whatever_its_form() {
        assert_eq!(
            Content::pattern(b"ab", 5).digest(),
            Content::from_text("ababa").digest()
        );
        assert_eq!(Content::pattern(b"", 3).as_bytes(), Some(&[0u8, 0, 0][..]));
        let big = Content::zeros(5 << 20);
        assert_eq!(big.len(), 5 << 20);
        assert_eq!(big.digest(), Content::zeros(5 << 20).digest());
        assert_ne!(big.digest(), Content::zeros((5 << 20) + 1).digest());
        assert_ne!(
            Content::from_text("a").digest(),
            Content::from_text("b").digest()
        );
    }

    #[test]
    fn append_keeps_small_content_inline_and_sizes_add_up() {
        let a = Content::from_text("x");
        assert_eq!(
            a.append(&Content::from_text("y")).as_bytes(),
            Some(&b"xy"[..])
        );
        let big = Content::zeros(3 << 20).append(&Content::from_text("x\n"));
        assert_eq!(big.len(), (3 << 20) + 2);
        assert!(big.as_bytes().is_none());
    }

    #[test]
    fn slices_keep_identity_with_equal_bytes() {
        let p = Content::pattern(b"abc", 100_000);
        assert_eq!(p.slice(1, 5).as_bytes(), Some(&b"bcabc"[..]));
        assert_eq!(
            p.slice(4, 70_000).digest(),
            Content::pattern(b"bca", 70_000).digest()
        );
        let c = Content::from_text("xy").append(&Content::zeros(70_000));
        assert_eq!(c.slice(1, 3).as_bytes(), Some(&b"y\0\0"[..]));
        assert_eq!(
            Content::from_text("hello").to_bytes_bounded(10),
            Some(b"hello".to_vec())
        );
        assert_eq!(Content::opaque(5, 1).to_bytes_bounded(10), None);
    }
}
