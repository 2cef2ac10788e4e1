//! gzip + DEFLATE decoding (RFC 1952, RFC 1951) for `ADD archive.tar.gz /dst/`, which BuildKit
//! extracts like a plain tar. Small and dependency-free; bounded output so a zip bomb cannot
//! exhaust a browser tab.

/// Decompressed bytes a single archive may produce.
pub const MAX_OUTPUT: usize = 64 << 20;

/// Decodes a gzip member; None when `data` is not gzip or is corrupt.
pub fn gunzip(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return None;
    }
    let flags = data[3];
    let mut pos = 10usize;
    if flags & 4 != 0 {
        let xlen = *data.get(pos)? as usize | (*data.get(pos + 1)? as usize) << 8;
        pos += 2 + xlen;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            while *data.get(pos)? != 0 {
                pos += 1;
            }
            pos += 1;
        }
    }
    if flags & 2 != 0 {
        pos += 2;
    }
    inflate(data.get(pos..)?)
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Bits<'_> {
    fn get(&mut self, n: u32) -> Option<u32> {
        let mut v = 0u32;
        for i in 0..n {
            let byte = *self.data.get(self.pos)?;
            let b = (byte >> self.bit) & 1;
            v |= (b as u32) << i;
            self.bit += 1;
            if self.bit == 8 {
                self.bit = 0;
                self.pos += 1;
            }
        }
        Some(v)
    }

    fn align(&mut self) {
        if self.bit != 0 {
            self.bit = 0;
            self.pos += 1;
        }
    }
}

/// A canonical Huffman code: symbol counts per length and symbols sorted by code.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[l as usize] += 1;
        }
        counts[0] = 0;
        let mut offs = [0u16; 16];
        for i in 1..16 {
            offs[i] = offs[i - 1] + counts[i - 1];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let slot = symbols.get_mut(offs[l as usize] as usize)?;
                *slot = s as u16;
                offs[l as usize] += 1;
            }
        }
        Some(Huffman { counts, symbols })
    }

    fn decode(&self, bits: &mut Bits) -> Option<u16> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.get(1)? as i32;
            let count = self.counts[len] as i32;
            if code - count < first {
                return self.symbols.get((index + (code - first)) as usize).copied();
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        None
    }
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Decodes a raw DEFLATE stream.
pub fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut bits = Bits {
        data,
        pos: 0,
        bit: 0,
    };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = bits.get(1)?;
        match bits.get(2)? {
            0 => {
                bits.align();
                let p = bits.pos;
                let len = *data.get(p)? as usize | (*data.get(p + 1)? as usize) << 8;
                out.extend_from_slice(data.get(p + 4..p + 4 + len)?);
                bits.pos = p + 4 + len;
            }
            1 => {
                let mut l = [8u8; 288];
                l[144..256].fill(9);
                l[256..280].fill(7);
                let lit = Huffman::new(&l)?;
                let dist = Huffman::new(&[5u8; 30])?;
                block(&mut bits, &lit, &dist, &mut out)?;
            }
            2 => {
                let hlit = bits.get(5)? as usize + 257;
                let hdist = bits.get(5)? as usize + 1;
                let hclen = bits.get(4)? as usize + 4;
                const ORDER: [usize; 19] = [
                    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                ];
                let mut cl = [0u8; 19];
                for &o in ORDER.iter().take(hclen) {
                    cl[o] = bits.get(3)? as u8;
                }
                let clh = Huffman::new(&cl)?;
                let mut lengths = vec![0u8; hlit + hdist];
                let mut i = 0;
                while i < hlit + hdist {
                    let sym = clh.decode(&mut bits)?;
                    let (val, rep) = match sym {
                        0..=15 => (sym as u8, 1),
                        16 => (*lengths.get(i.checked_sub(1)?)?, 3 + bits.get(2)? as usize),
                        17 => (0, 3 + bits.get(3)? as usize),
                        18 => (0, 11 + bits.get(7)? as usize),
                        _ => return None,
                    };
                    for _ in 0..rep {
                        *lengths.get_mut(i)? = val;
                        i += 1;
                    }
                }
                let lit = Huffman::new(&lengths[..hlit])?;
                let dist = Huffman::new(&lengths[hlit..])?;
                block(&mut bits, &lit, &dist, &mut out)?;
            }
            _ => return None,
        }
        if out.len() > MAX_OUTPUT {
            return None;
        }
        if last == 1 {
            return Some(out);
        }
    }
}

fn block(bits: &mut Bits, lit: &Huffman, dist: &Huffman, out: &mut Vec<u8>) -> Option<()> {
    loop {
        let sym = lit.decode(bits)? as usize;
        if sym < 256 {
            out.push(sym as u8);
        } else if sym == 256 {
            return Some(());
        } else {
            let i = sym - 257;
            let len = *LEN_BASE.get(i)? as usize + bits.get(*LEN_EXTRA.get(i)? as u32)? as usize;
            let d = dist.decode(bits)? as usize;
            let distance =
                *DIST_BASE.get(d)? as usize + bits.get(*DIST_EXTRA.get(d)? as u32)? as usize;
            let start = out.len().checked_sub(distance)?;
            for k in 0..len {
                let b = *out.get(start + k)?;
                out.push(b);
            }
            if out.len() > MAX_OUTPUT {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tar czf` of dir/a.txt (960 B of a repeated line) and b.bin (768 B), gzip -9.
    const TAR_GZ: &[u8] = &[
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 201, 44, 210, 79, 212, 43, 169, 40, 97, 160, 29, 48,
        0, 2, 51, 19, 19, 48, 13, 4, 232, 180, 161, 57, 130, 13, 21, 55, 55, 53, 48, 98, 80, 48,
        96, 160, 3, 40, 45, 46, 73, 44, 2, 90, 201, 48, 50, 65, 70, 106, 78, 78, 190, 2, 6, 201,
        53, 42, 62, 42, 62, 42, 62, 248, 197, 41, 205, 255, 73, 122, 73, 153, 121, 52, 46, 99, 8,
        149, 255, 38, 24, 229, 191, 153, 153, 169, 241, 104, 249, 79, 23, 192, 200, 196, 204, 194,
        202, 198, 206, 193, 201, 197, 205, 195, 203, 199, 47, 32, 40, 36, 44, 34, 42, 38, 46, 33,
        41, 37, 45, 35, 43, 39, 175, 160, 168, 164, 172, 162, 170, 166, 174, 161, 169, 165, 173,
        163, 171, 167, 111, 96, 104, 100, 108, 98, 106, 102, 110, 97, 105, 101, 109, 99, 107, 103,
        239, 224, 232, 228, 236, 226, 234, 230, 238, 225, 233, 229, 237, 227, 235, 231, 31, 16, 24,
        20, 28, 18, 26, 22, 30, 17, 25, 21, 29, 19, 27, 23, 159, 144, 152, 148, 156, 146, 154, 150,
        158, 145, 153, 149, 157, 147, 155, 151, 95, 80, 88, 84, 92, 82, 90, 86, 94, 81, 89, 85, 93,
        83, 91, 87, 223, 208, 216, 212, 220, 210, 218, 214, 222, 209, 217, 213, 221, 211, 219, 215,
        63, 97, 226, 164, 201, 83, 166, 78, 155, 62, 99, 230, 172, 217, 115, 230, 206, 155, 191,
        96, 225, 162, 197, 75, 150, 46, 91, 190, 98, 229, 170, 213, 107, 214, 174, 91, 191, 97,
        227, 166, 205, 91, 182, 110, 219, 190, 99, 231, 174, 221, 123, 246, 238, 219, 127, 224,
        224, 161, 195, 71, 142, 30, 59, 126, 226, 228, 169, 211, 103, 206, 158, 59, 127, 225, 226,
        165, 203, 87, 174, 94, 187, 126, 227, 230, 173, 219, 119, 238, 222, 187, 255, 224, 225,
        163, 199, 79, 158, 62, 123, 254, 226, 229, 171, 215, 111, 222, 190, 123, 255, 225, 227,
        167, 207, 95, 190, 126, 251, 254, 227, 231, 175, 223, 127, 254, 254, 251, 63, 234, 255, 17,
        238, 255, 81, 48, 10, 70, 193, 40, 24, 5, 163, 96, 20, 140, 130, 81, 48, 10, 70, 193, 40,
        24, 5, 163, 96, 20, 140, 130, 81, 48, 10, 70, 193, 40, 24, 5, 163, 96, 20, 140, 130, 81,
        48, 10, 70, 193, 40, 24, 38, 0, 0, 150, 166, 181, 6, 0, 40, 0, 0,
    ];

    #[test]
    fn gunzips_a_tar_archive() {
        let tar = gunzip(TAR_GZ).expect("gzip");
        assert_eq!(tar.len(), 10240);
        let entries = super::super::tar::read(&tar).expect("tar");
        let sizes: Vec<(String, u64)> = entries
            .iter()
            .map(|e| match &e.kind {
                super::super::tar::TarKind::File(c) => (e.path.clone(), c.len()),
                _ => (e.path.clone(), 0),
            })
            .collect();
        assert_eq!(
            sizes,
            vec![("dir/a.txt".to_string(), 960), ("b.bin".to_string(), 768)]
        );
        assert!(gunzip(b"not gzip at all, not at all").is_none());
        let mut corrupt = TAR_GZ.to_vec();
        corrupt.truncate(60);
        assert!(gunzip(&corrupt).is_none());
    }
}
