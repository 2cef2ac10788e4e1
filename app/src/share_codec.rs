//! The share-link codec: lz-string's `compressToEncodedURIComponent` and
//! `decompressFromEncodedURIComponent`, written out in Rust so links made by Layerlab open in any
//! lz-string implementation and the other way round, without shipping a crate (every byte of
//! the app reaches the learner's browser).
//!
//! Mirrors pieroxy/lz-string `libs/lz-string.js` (`_compress`, `_decompress`): an LZW variant
//! over UTF-16 code units whose code width grows by one bit each time the dictionary doubles,
//! packed 6 bits per output character with the alphabet `A-Za-z0-9+-$`. Decompression is
//! hardened for hostile links: unknown characters, impossible codes and oversized output are
//! errors, never panics.

use std::collections::HashMap;

/// lz-string's URI-safe alphabet (`keyStrUriSafe`); `$` (64) is never written, only read.
const URI_ALPHABET: &[u8; 65] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$";
/// Decompressed output larger than this (UTF-16 units) is refused: a link is a few KB, a
/// hand-made "zip bomb" must not freeze the page.
pub const MAX_DECOMPRESSED_UNITS: usize = 4 * 1024 * 1024;
/// Code widths past this cannot come from a real link (lz-string would need 2^24 entries).
const MAX_CODE_BITS: u32 = 24;

/// Why a link payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside lz-string's URI alphabet, at this index.
    BadCharacter(usize),
    /// The bit stream ended or referenced a code that does not exist.
    Corrupt,
    /// The payload expands past [`MAX_DECOMPRESSED_UNITS`].
    TooLarge,
    /// The payload decodes, but not to UTF-16 text.
    NotText,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::BadCharacter(i) => write!(
                f,
                "the link has a character that cannot appear in a Layerlab link (position {i})"
            ),
            DecodeError::Corrupt => write!(f, "the link is truncated or damaged"),
            DecodeError::TooLarge => {
                write!(f, "the link expands to more than 4 million characters")
            }
            DecodeError::NotText => write!(f, "the link does not hold text"),
        }
    }
}

/// `LZString.compressToEncodedURIComponent(text)`.
pub fn compress_to_uri(text: &str) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = BitWriter {
        bits_per_char: 6,
        out: String::new(),
        val: 0,
        pos: 0,
    };
    let mut dict: HashMap<Vec<u16>, u32> = HashMap::new();
    let mut to_create: HashMap<Vec<u16>, ()> = HashMap::new();
    let mut w: Vec<u16> = Vec::new();
    let mut enlarge_in: u64 = 2;
    let mut dict_size: u32 = 3;
    let mut num_bits: u32 = 2;

    for &c in &units {
        let key_c = vec![c];
        if !dict.contains_key(&key_c) {
            dict.insert(key_c.clone(), dict_size);
            dict_size += 1;
            to_create.insert(key_c, ());
        }
        let mut wc = w.clone();
        wc.push(c);
        if dict.contains_key(&wc) {
            w = wc;
            continue;
        }
        emit_w(
            &w,
            &dict,
            &mut to_create,
            &mut out,
            &mut enlarge_in,
            &mut num_bits,
        );
        dict.insert(wc, dict_size);
        dict_size += 1;
        w = vec![c];
    }
    if !w.is_empty() {
        emit_w(
            &w,
            &dict,
            &mut to_create,
            &mut out,
            &mut enlarge_in,
            &mut num_bits,
        );
    }
    // The end-of-stream code, then flush the last partial character.
    out.write(2, num_bits);
    out.flush();
    out.out
}

/// Writes the code for `w` (a first-seen character is written literally, 8 or 16 bits), and
/// grows the code width as lz-string does.
fn emit_w(
    w: &[u16],
    dict: &HashMap<Vec<u16>, u32>,
    to_create: &mut HashMap<Vec<u16>, ()>,
    out: &mut BitWriter,
    enlarge_in: &mut u64,
    num_bits: &mut u32,
) {
    if to_create.remove(w).is_some() {
        let first = w.first().copied().unwrap_or(0);
        if first < 256 {
            out.write(0, *num_bits);
            out.write(u32::from(first), 8);
        } else {
            out.write(1, *num_bits);
            out.write(u32::from(first), 16);
        }
        decrement_enlarge(enlarge_in, num_bits);
    } else {
        out.write(dict.get(w).copied().unwrap_or(0), *num_bits);
    }
    decrement_enlarge(enlarge_in, num_bits);
}

fn decrement_enlarge(enlarge_in: &mut u64, num_bits: &mut u32) {
    *enlarge_in -= 1;
    if *enlarge_in == 0 {
        *enlarge_in = 1u64 << *num_bits;
        *num_bits += 1;
    }
}

/// Packs values least-significant bit first into 6-bit characters (lz-string's order).
struct BitWriter {
    bits_per_char: u32,
    out: String,
    val: u32,
    pos: u32,
}

impl BitWriter {
    fn write(&mut self, mut value: u32, n_bits: u32) {
        for _ in 0..n_bits {
            self.val = (self.val << 1) | (value & 1);
            self.advance();
            value >>= 1;
        }
    }

    fn advance(&mut self) {
        if self.pos == self.bits_per_char - 1 {
            self.pos = 0;
            self.out
                .push(URI_ALPHABET[(self.val & 63) as usize] as char);
            self.val = 0;
        } else {
            self.pos += 1;
        }
    }

    fn flush(&mut self) {
        loop {
            self.val <<= 1;
            if self.pos == self.bits_per_char - 1 {
                self.out
                    .push(URI_ALPHABET[(self.val & 63) as usize] as char);
                break;
            }
            self.pos += 1;
        }
    }
}

/// `LZString.decompressFromEncodedURIComponent(text)`, strict: what lz-string would turn into
/// `null` or garbage is an error here.
pub fn decompress_from_uri(payload: &str) -> Result<String, DecodeError> {
    // lz-string maps spaces back to '+' (a '+' may arrive decoded as a space from a query string).
    let mut values = Vec::with_capacity(payload.len());
    for (i, b) in payload.bytes().enumerate() {
        let b = if b == b' ' { b'+' } else { b };
        match URI_ALPHABET.iter().position(|&a| a == b) {
            Some(v) => values.push(v as u32),
            None => return Err(DecodeError::BadCharacter(i)),
        }
    }
    let units = decompress_units(&values)?;
    String::from_utf16(&units).map_err(|_| DecodeError::NotText)
}

fn decompress_units(values: &[u32]) -> Result<Vec<u16>, DecodeError> {
    let mut reader = BitReader {
        values,
        index: 1,
        val: values.first().copied().ok_or(DecodeError::Corrupt)?,
        position: 32,
        reset: 32,
    };
    let mut dict: Vec<Vec<u16>> = vec![Vec::new(), Vec::new(), Vec::new()];
    let mut enlarge_in: u64 = 4;
    let mut num_bits: u32 = 3;
    let mut result: Vec<u16> = Vec::new();

    let first = match reader.read(2)? {
        0 => reader.read(8)? as u16,
        1 => reader.read(16)? as u16,
        2 => return Ok(Vec::new()),
        _ => return Err(DecodeError::Corrupt),
    };
    dict.push(vec![first]);
    let mut w = vec![first];
    result.push(first);
    loop {
        if reader.index > values.len() {
            return Err(DecodeError::Corrupt);
        }
        let mut code = reader.read(num_bits)? as usize;
        match code {
            0 | 1 => {
                let unit = reader.read(if code == 0 { 8 } else { 16 })? as u16;
                dict.push(vec![unit]);
                code = dict.len() - 1;
                enlarge_in = enlarge_in.saturating_sub(1);
            }
            2 => return Ok(result),
            _ => {}
        }
        if enlarge_in == 0 {
            enlarge_in = 1u64 << num_bits;
            num_bits += 1;
        }
        let entry = if let Some(e) = dict.get(code).filter(|e| !e.is_empty()) {
            e.clone()
        } else if code == dict.len() {
            let mut e = w.clone();
            e.push(*w.first().ok_or(DecodeError::Corrupt)?);
            e
        } else {
            return Err(DecodeError::Corrupt);
        };
        if result.len() + entry.len() > MAX_DECOMPRESSED_UNITS {
            return Err(DecodeError::TooLarge);
        }
        result.extend_from_slice(&entry);
        let mut next = w;
        next.push(*entry.first().ok_or(DecodeError::Corrupt)?);
        dict.push(next);
        enlarge_in = enlarge_in.saturating_sub(1);
        w = entry;
        if enlarge_in == 0 {
            enlarge_in = 1u64 << num_bits;
            num_bits += 1;
        }
        if num_bits > MAX_CODE_BITS {
            return Err(DecodeError::Corrupt);
        }
    }
}

/// Reads bits most-significant first out of 6-bit values, as lz-string's `_decompress` does
/// with `resetValue` 32.
struct BitReader<'a> {
    values: &'a [u32],
    index: usize,
    val: u32,
    position: u32,
    reset: u32,
}

impl BitReader<'_> {
    fn read(&mut self, n_bits: u32) -> Result<u32, DecodeError> {
        let mut bits = 0u32;
        for i in 0..n_bits {
            let bit = u32::from(self.val & self.position > 0);
            self.position >>= 1;
            if self.position == 0 {
                self.position = self.reset;
                // Past the end lz-string reads `undefined`, i.e. zero bits; the caller's length
                // check then stops the loop.
                self.val = self.values.get(self.index).copied().unwrap_or(0);
                self.index += 1;
                if self.index > self.values.len() + 2 {
                    return Err(DecodeError::Corrupt);
                }
            }
            bits |= bit << i;
        }
        Ok(bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_lz_string_reference_outputs() {
        // Outputs of lz-string 1.5.0's compressToEncodedURIComponent.
        assert_eq!(compress_to_uri(""), "Q");
        assert_eq!(compress_to_uri("a"), "IZA");
        assert_eq!(compress_to_uri("hello"), "BYUwNmD2Q");
        assert_eq!(compress_to_uri("aaaaaaaaaa"), "IY1o");
        assert_eq!(
            compress_to_uri("FROM alpine\nRUN echo héllo 🐳\n"),
            "GIJQ8gsgBAhgNgBwJYDsCmAoEBVAclNAYwAsB7KYgS7jnMF4NwZh2Mg"
        );
    }

    #[test]
    fn round_trips_text_with_non_ascii_and_emoji() {
        for s in [
            "",
            "x",
            "FROM alpine\nRUN echo héllo 🐳\n",
            &"COPY . /app\n".repeat(500),
            "日本語のテキスト",
        ] {
            let enc = compress_to_uri(s);
            assert!(enc.bytes().all(|b| URI_ALPHABET.contains(&b)), "{enc}");
            assert_eq!(decompress_from_uri(&enc).as_deref(), Ok(s));
        }
    }

    #[test]
    fn hostile_payloads_are_errors_not_panics() {
        assert_eq!(
            decompress_from_uri("<img onerror=x>"),
            Err(DecodeError::BadCharacter(0))
        );
        assert!(decompress_from_uri("").is_err());
        let good = compress_to_uri("FROM alpine\nRUN echo hi\n");
        for cut in 1..good.len() {
            let _ = decompress_from_uri(&good[..cut]);
        }
        // Every short string over the alphabet decodes or fails cleanly.
        let alphabet: Vec<char> = URI_ALPHABET.iter().map(|&b| b as char).collect();
        for a in &alphabet {
            for b in &alphabet {
                let _ = decompress_from_uri(&format!("{a}{b}AAAA"));
            }
        }
        assert_eq!(decompress_from_uri("IZA"), Ok("a".to_string()));
    }
}
