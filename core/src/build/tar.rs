//! Reading a local tar archive for `ADD archive.tar /dst/` (auto-extraction), ustar/GNU
//! headers, uncompressed only (compressed archives need a decompressor the core does not ship).

use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TarKind {
    File(Content),
    Dir,
    Symlink(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarEntry {
    pub path: String,
    pub kind: TarKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// The entries of an uncompressed tar, or None when `bytes` is not one.
pub fn read(bytes: &[u8]) -> Option<Vec<TarEntry>> {
    let mut out = Vec::new();
    let mut off = 0usize;
    let mut saw_header = false;
    // Bounded by the archive size: every iteration advances by at least 512 bytes.
    while off + 512 <= bytes.len() {
        let h = &bytes[off..off + 512];
        if h.iter().all(|b| *b == 0) {
            break;
        }
        if !checksum_ok(h) {
            return None;
        }
        saw_header = true;
        let name = cstr(&h[0..100]);
        let prefix = cstr(&h[345..500]);
        let is_ustar = &h[257..262] == b"ustar";
        let path = if is_ustar && !prefix.is_empty() {
            format!("{prefix}/{name}")
        } else {
            name
        };
        let mode = octal(&h[100..108])? as u32 & 0o7777;
        let uid = octal(&h[108..116]).unwrap_or(0) as u32;
        let gid = octal(&h[116..124]).unwrap_or(0) as u32;
        let size = octal(&h[124..136])? as usize;
        let typeflag = h[156];
        let link = cstr(&h[157..257]);
        let data_start = off + 512;
        let data_end = data_start.checked_add(size)?;
        let data = bytes.get(data_start..data_end)?;
        let path = path
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        let kind = match typeflag {
            b'0' | 0 | b'7' => Some(TarKind::File(Content::from_bytes(data.to_vec()))),
            b'5' => Some(TarKind::Dir),
            b'2' => Some(TarKind::Symlink(link)),
            _ => None,
        };
        if let Some(kind) = kind {
            if !path.is_empty() {
                out.push(TarEntry {
                    path,
                    kind,
                    mode,
                    uid,
                    gid,
                });
            }
        }
        off = data_start + size.div_ceil(512) * 512;
    }
    saw_header.then_some(out)
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn octal(b: &[u8]) -> Option<u64> {
    let s = cstr(b);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

fn checksum_ok(h: &[u8]) -> bool {
    let Some(want) = octal(&h[148..156]) else {
        return false;
    };
    let sum: u64 = h
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                *b as u64
            }
        })
        .sum();
    sum == want
}
