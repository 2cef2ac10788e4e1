//! `md5sum`, `sha1sum`, `sha256sum`, `sha512sum` (and `-c` checking): real digests of the bytes the simulator
//! knows; content it does not know (a package's files, a download) is reported as not modelled
//! and checks on it pass.

use super::opts::parse;
use crate::content::Content;
use crate::fs::stream_content;
use crate::shell::exec::{Io, Shell, Status};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Algo {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

fn md5(content: &Content) -> Option<String> {
    let s: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    // K[i] = floor(|sin(i + 1)| * 2^32), as RFC 1321 defines it; written out, so the wasm
    // needs no sine (libm's argument reduction alone is ~6 KB).
    const K: [u32; 64] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391,
    ];
    let k = &K;
    let mut h = [0x67452301u32, 0xefcdab89, 0x98badcfe, 0x10325476];
    let mut block = |chunk: &[u8]| {
        let m: Vec<u32> = chunk
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(s[i]));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    };
    let tail = run_blocks(content, &mut block, false)?;
    for chunk in tail.chunks_exact(64) {
        block(chunk);
    }
    Some(
        h.iter()
            .flat_map(|v| v.to_le_bytes())
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

fn sha1(content: &Content) -> Option<String> {
    let mut h = [
        0x67452301u32,
        0xEFCDAB89,
        0x98BADCFE,
        0x10325476,
        0xC3D2E1F0,
    ];
    let mut block = |chunk: &[u8]| {
        let mut w = [0u32; 80];
        for (i, c) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A827999),
                1 => (b ^ c ^ d, 0x6ED9EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6u32),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    };
    let tail = run_blocks(content, &mut block, true)?;
    for chunk in tail.chunks_exact(64) {
        block(chunk);
    }
    Some(
        h.iter()
            .flat_map(|v| v.to_be_bytes())
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// Feeds 64-byte blocks of the content to `block`; returns the padded tail blocks (the 0x80,
/// zeros and the bit length, little- or big-endian).
fn run_blocks(
    content: &Content,
    block: &mut dyn FnMut(&[u8]),
    big_endian: bool,
) -> Option<Vec<u8>> {
    let mut buf: Vec<u8> = Vec::with_capacity(128);
    let mut total: u64 = 0;
    let ok = stream_content(content, &mut |data: &[u8]| {
        total = total.wrapping_add(data.len() as u64);
        let mut data = data;
        if !buf.is_empty() {
            let take = (64 - buf.len()).min(data.len());
            buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if buf.len() < 64 {
                return;
            }
            block(&buf);
            buf.clear();
        }
        let mut chunks = data.chunks_exact(64);
        for c in &mut chunks {
            block(c);
        }
        buf.extend_from_slice(chunks.remainder());
    });
    if !ok {
        return None;
    }
    buf.push(0x80);
    while buf.len() % 64 != 56 {
        buf.push(0);
    }
    let bits = total.wrapping_mul(8);
    buf.extend_from_slice(&if big_endian {
        bits.to_be_bytes()
    } else {
        bits.to_le_bytes()
    });
    Some(buf)
}

/// SHA-512 (FIPS 180-4): 128-byte blocks, 80 rounds, a 128-bit length. The round constants are
/// the first 64 bits of the fractional parts of the cube roots of the first 80 primes.
fn sha512(content: &Content) -> Option<String> {
    const K: [u64; 80] = [
        0x428a2f98d728ae22,
        0x7137449123ef65cd,
        0xb5c0fbcfec4d3b2f,
        0xe9b5dba58189dbbc,
        0x3956c25bf348b538,
        0x59f111f1b605d019,
        0x923f82a4af194f9b,
        0xab1c5ed5da6d8118,
        0xd807aa98a3030242,
        0x12835b0145706fbe,
        0x243185be4ee4b28c,
        0x550c7dc3d5ffb4e2,
        0x72be5d74f27b896f,
        0x80deb1fe3b1696b1,
        0x9bdc06a725c71235,
        0xc19bf174cf692694,
        0xe49b69c19ef14ad2,
        0xefbe4786384f25e3,
        0x0fc19dc68b8cd5b5,
        0x240ca1cc77ac9c65,
        0x2de92c6f592b0275,
        0x4a7484aa6ea6e483,
        0x5cb0a9dcbd41fbd4,
        0x76f988da831153b5,
        0x983e5152ee66dfab,
        0xa831c66d2db43210,
        0xb00327c898fb213f,
        0xbf597fc7beef0ee4,
        0xc6e00bf33da88fc2,
        0xd5a79147930aa725,
        0x06ca6351e003826f,
        0x142929670a0e6e70,
        0x27b70a8546d22ffc,
        0x2e1b21385c26c926,
        0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df,
        0x650a73548baf63de,
        0x766a0abb3c77b2a8,
        0x81c2c92e47edaee6,
        0x92722c851482353b,
        0xa2bfe8a14cf10364,
        0xa81a664bbc423001,
        0xc24b8b70d0f89791,
        0xc76c51a30654be30,
        0xd192e819d6ef5218,
        0xd69906245565a910,
        0xf40e35855771202a,
        0x106aa07032bbd1b8,
        0x19a4c116b8d2d0c8,
        0x1e376c085141ab53,
        0x2748774cdf8eeb99,
        0x34b0bcb5e19b48a8,
        0x391c0cb3c5c95a63,
        0x4ed8aa4ae3418acb,
        0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3,
        0x748f82ee5defb2fc,
        0x78a5636f43172f60,
        0x84c87814a1f0ab72,
        0x8cc702081a6439ec,
        0x90befffa23631e28,
        0xa4506cebde82bde9,
        0xbef9a3f7b2c67915,
        0xc67178f2e372532b,
        0xca273eceea26619c,
        0xd186b8c721c0c207,
        0xeada7dd6cde0eb1e,
        0xf57d4f7fee6ed178,
        0x06f067aa72176fba,
        0x0a637dc5a2c898a6,
        0x113f9804bef90dae,
        0x1b710b35131c471b,
        0x28db77f523047d84,
        0x32caab7b40c72493,
        0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c,
        0x4cc5d4becb3e42b6,
        0x597f299cfc657e2a,
        0x5fcb6fab3ad6faec,
        0x6c44198c4a475817,
    ];
    let mut h: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    let mut block = |chunk: &[u8]| {
        let mut w = [0u64; 80];
        for (i, c) in chunk.chunks_exact(8).enumerate().take(16) {
            w[i] = u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        }
        for i in 16..80 {
            let s0 = w[i - 15].rotate_right(1) ^ w[i - 15].rotate_right(8) ^ (w[i - 15] >> 7);
            let s1 = w[i - 2].rotate_right(19) ^ w[i - 2].rotate_right(61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..80 {
            let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    };
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let mut total: u128 = 0;
    let ok = stream_content(content, &mut |data: &[u8]| {
        total = total.wrapping_add(data.len() as u128);
        buf.extend_from_slice(data);
        let full = buf.len() / 128 * 128;
        for c in buf[..full].chunks_exact(128) {
            block(c);
        }
        buf.drain(..full);
    });
    if !ok {
        return None;
    }
    buf.push(0x80);
    while buf.len() % 128 != 112 {
        buf.push(0);
    }
    buf.extend_from_slice(&total.wrapping_mul(8).to_be_bytes());
    for c in buf.chunks_exact(128) {
        block(c);
    }
    Some(
        h.iter()
            .flat_map(|v| v.to_be_bytes())
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

fn digest(algo: Algo, c: &Content) -> Option<String> {
    match algo {
        Algo::Md5 => md5(c),
        Algo::Sha1 => sha1(c),
        Algo::Sha256 => crate::fs::sha256_hex(c),
        Algo::Sha512 => sha512(c),
    }
}

fn run(sh: &mut Shell, argv: &[String], io: &mut Io, algo: Algo, name: &str) -> Status {
    let o = parse(argv, "", false);
    let files = if o.args.is_empty() {
        vec!["-".to_string()]
    } else {
        o.args.clone()
    };
    let mut code = 0;
    let read = |sh: &mut Shell, io: &mut Io, f: &str| -> Result<Content, String> {
        if f == "-" {
            return Ok(std::mem::take(&mut io.stdin));
        }
        sh.read_file(&sh.abs(f), Some(0))
            .map_err(|e| format!("{name}: can't open '{f}': {}", e.message()))
    };
    if o.has('c') {
        for list in files {
            let text = match read(sh, io, &list) {
                Ok(c) => String::from_utf8_lossy(&c.to_bytes_bounded(1 << 20).unwrap_or_default())
                    .into_owned(),
                Err(m) => {
                    io.eprint(&format!("{m}\n"));
                    code = 1;
                    continue;
                }
            };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let Some((want, file)) = line.split_once(char::is_whitespace) else {
                    continue;
                };
                let file = file.trim_start().trim_start_matches('*');
                let ok = match read(sh, io, file) {
                    Ok(c) => match digest(algo, &c) {
                        Some(got) => got.eq_ignore_ascii_case(want),
                        None => {
                            sh.unknown.push(format!("{name} -c {file}: the file's bytes are not known; assumed to match"));
                            true
                        }
                    },
                    Err(_) => false,
                };
                if !ok {
                    code = 1;
                }
                if !(ok && o.has('s')) {
                    io.print(&format!("{file}: {}\n", if ok { "OK" } else { "FAILED" }));
                }
            }
        }
        return Ok(code);
    }
    for f in files {
        match read(sh, io, &f) {
            Ok(c) => {
                let hex = digest(algo, &c).unwrap_or_else(|| {
                    sh.unknown
                        .push(format!("{name} {f}: the file's bytes are not known"));
                    "0".repeat(match algo {
                        Algo::Md5 => 32,
                        Algo::Sha1 => 40,
                        Algo::Sha256 => 64,
                        Algo::Sha512 => 128,
                    })
                });
                io.print(&format!("{hex}  {f}\n"));
            }
            Err(m) => {
                io.eprint(&format!("{m}\n"));
                code = 1;
            }
        }
    }
    Ok(code)
}

pub fn md5sum(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    run(sh, argv, io, Algo::Md5, "md5sum")
}

pub fn sha1sum(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    run(sh, argv, io, Algo::Sha1, "sha1sum")
}

pub fn sha256sum(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    run(sh, argv, io, Algo::Sha256, "sha256sum")
}

pub fn sha512sum(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    run(sh, argv, io, Algo::Sha512, "sha512sum")
}

#[cfg(test)]
mod tests {
    use super::{md5, sha1, sha512};
    use crate::content::Content;

    #[test]
    fn known_vectors() {
        assert_eq!(
            md5(&Content::empty()).unwrap(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            md5(&Content::from_text("abc")).unwrap(),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            md5(&Content::from_text(
                "The quick brown fox jumps over the lazy dog"
            ))
            .unwrap(),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
        assert_eq!(
            sha1(&Content::from_text("abc")).unwrap(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            sha1(&Content::empty()).unwrap(),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            sha512(&Content::from_text("abc")).unwrap(),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            sha512(&Content::pattern(b"0123456789", 1000)).unwrap(),
            "0d12453640105df025424f8d339f9eb73b49c172d527294d47d078b2df8caa8d8d1e7cd27231442e18d03bc464d2b6c1bb3aa274fadfae4341d0fca44b3a48e1"
        );
        let long = Content::pattern(b"a", 1_000_000);
        assert_eq!(
            sha1(&long).unwrap(),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }
}
