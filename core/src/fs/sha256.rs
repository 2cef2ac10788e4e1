//! SHA-256 of file content, so layer entries carry the same `sha256` a real layer tar's files
//! have (comparable with buildkit-truth entries) and `sha256sum` prints real digests. Streams
//! patterns and concatenations without materialising them; opaque blobs have no digest.

use crate::content::Content;

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Content above this size gets no digest (hashing gigabytes in a browser tab is not worth it).
pub const SHA256_LIMIT: u64 = 64 << 20;

struct Sha256 {
    h: [u32; 8],
    buf: [u8; 64],
    buf_len: usize,
    total: u64,
}

impl Sha256 {
    fn new() -> Sha256 {
        Sha256 {
            h: [
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                0x5be0cd19,
            ],
            buf: [0; 64],
            buf_len: 0,
            total: 0,
        }
    }

    fn block(&mut self, block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (i, chunk) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in self.h.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *x = x.wrapping_add(y);
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.buf_len > 0 {
            let take = (64 - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < 64 {
                // Still filling the buffer: nothing else to do (data is used up).
                return;
            }
            let b = self.buf;
            self.block(&b);
            self.buf_len = 0;
        }
        let mut chunks = data.chunks_exact(64);
        for c in &mut chunks {
            let mut b = [0u8; 64];
            b.copy_from_slice(c);
            self.block(&b);
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buf_len = rest.len();
    }

    fn finish(mut self) -> [u8; 32] {
        let bits = self.total.wrapping_mul(8);
        self.update(&[0x80]);
        while self.buf_len != 56 {
            self.update(&[0]);
        }
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 32];
        for (i, v) in self.h.iter().enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
        }
        out
    }
}

/// Feeds `content` to `f` in slices; false if it holds an opaque blob.
fn stream(content: &Content, f: &mut dyn FnMut(&[u8])) -> bool {
    match content {
        Content::Bytes(b) => {
            f(b);
            true
        }
        Content::Pattern { seed, size } => {
            if seed.is_empty() {
                let zeros = [0u8; 4096];
                let mut left = *size;
                while left > 0 {
                    let n = left.min(4096);
                    f(&zeros[..n as usize]);
                    left -= n;
                }
                return true;
            }
            // Whole repetitions of the seed in 4 KiB-ish batches, then the cut tail.
            let reps = (4096 / seed.len()).max(1);
            let batch: Vec<u8> = seed
                .iter()
                .copied()
                .cycle()
                .take(reps * seed.len())
                .collect();
            let mut left = *size;
            while left > 0 {
                let n = left.min(batch.len() as u64);
                f(&batch[..n as usize]);
                left -= n;
            }
            true
        }
        Content::Opaque { .. } => false,
        Content::Concat(parts) => parts.iter().all(|p| stream(p, f)),
    }
}

/// The SHA-256 of the content's bytes, when known and at most `SHA256_LIMIT` long.
pub fn sha256_hex(content: &Content) -> Option<String> {
    if content.len() > SHA256_LIMIT {
        return None;
    }
    let mut h = Sha256::new();
    if !stream(content, &mut |b| h.update(b)) {
        return None;
    }
    Some(h.finish().iter().map(|b| format!("{b:02x}")).collect())
}

/// Streams content for other hash functions (`md5sum`, `sha1sum`).
pub fn stream_content(content: &Content, f: &mut dyn FnMut(&[u8])) -> bool {
    content.len() <= SHA256_LIMIT && stream(content, f)
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;
    use crate::content::Content;

    #[test]
    fn known_digests_including_truth_files() {
        assert_eq!(
            sha256_hex(&Content::empty()).unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(&Content::from_text("abc")).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // layers_small_files_dirs: `echo hi > /a/hi`.
        assert_eq!(
            sha256_hex(&Content::from_text("hi\n")).unwrap(),
            "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4"
        );
        // layers_dd_rm_separate: 5 MiB of zeros from dd.
        assert_eq!(
            sha256_hex(&Content::zeros(5 << 20)).unwrap(),
            "c036cbb7553a909f8b8877d4461924307f27ecb66cff928eeeafd569c3887e29"
        );
        // Same bytes, other representation.
        let split = Content::from_text("a").append(&Content::pattern(b"b", 100_000));
        let whole = Content::from_bytes([b"a".to_vec(), vec![b'b'; 100_000]].concat());
        assert_eq!(sha256_hex(&split), sha256_hex(&whole));
        assert_eq!(sha256_hex(&Content::opaque(5, 1)), None);
    }
}
