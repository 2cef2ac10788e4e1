//! Byte ranges into a source text, and conversion to the positions people and editors use.
//!
//! Everything inside the core speaks UTF-8 byte offsets (`TextRange`). Lines are produced only
//! at the edges: 1-based lines for the CLI (BuildKit's `start_line`/`end_line`), and UTF-16 code
//! unit offsets for the browser, whose `<textarea>` selection API counts in UTF-16
//! (see ../shared/toolchain.md, gotcha 10). [`quote`] holds Go's `strconv.Quote`, which
//! BuildKit's messages and history rows use for words.

pub mod quote;

pub use quote::go_quote;

use serde::Serialize;

/// A half-open byte range `[start, end)` into a UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end);
        TextRange {
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange::new(at, at)
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Returns true if and only if `offset` lies inside the range (end excluded).
    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The text this range covers, or `""` when it does not fit `text` or splits a character.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column; the column counts characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text, built once and queried many times.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first character of every line; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    /// Lines end at `\n`; a `\r` before it belongs to the line ending, as BuildKit reads CRLF files.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(clamp_u32(i + 1));
            }
        }
        LineIndex {
            line_starts,
            len: clamp_u32(text.len()),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line of a byte offset (offsets past the end map to the last line).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte offset where a 1-based line starts, if the line exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts
            .get((line as usize).checked_sub(1)?)
            .copied()
    }

    /// 1-based line and character column of a byte offset into `text`.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0) as usize;
        let end = (offset.min(self.len) as usize).max(start);
        let col = text.get(start..end).map_or(0, |s| s.chars().count()) as u32 + 1;
        LineCol { line, col }
    }
}

/// Converts a UTF-8 byte offset into `text` to a UTF-16 code-unit offset (what the DOM uses).
/// An offset inside a character or past the end is moved to the nearest boundary before it.
pub fn utf8_to_utf16(text: &str, byte_offset: usize) -> usize {
    let mut end = byte_offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().map(char::len_utf16).sum()
}

/// Converts a UTF-16 code-unit offset (from the DOM) to a UTF-8 byte offset into `text`.
/// An offset in the middle of a surrogate pair maps to the start of that character.
pub fn utf16_to_utf8(text: &str, utf16_offset: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units + c.len_utf16() > utf16_offset {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_crlf_stays_on_its_line() {
        let text = "FROM a\r\nRUN b\nCMD c";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(7), 1); // the '\n' of "\r\n"
        assert_eq!(idx.line_of(8), 2);
        assert_eq!(idx.line_of(100), 3);
        assert_eq!(idx.line_col(text, 12), LineCol { line: 2, col: 5 });
    }

    #[test]
    fn utf16_round_trip_over_non_ascii() {
        let text = "RUN echo é 😀 x";
        let x = text.find('x').unwrap();
        let u16 = utf8_to_utf16(text, x);
        assert_eq!(u16, "RUN echo é 😀 ".encode_utf16().count());
        assert_eq!(utf16_to_utf8(text, u16), x);
        // Inside the emoji's bytes and inside its surrogate pair: snap to its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(utf8_to_utf16(text, emoji + 2), utf8_to_utf16(text, emoji));
        assert_eq!(utf16_to_utf8(text, utf8_to_utf16(text, emoji) + 1), emoji);
        assert_eq!(utf16_to_utf8(text, 10_000), text.len());
    }

    #[test]
    fn slice_never_panics() {
        let r = TextRange::new(3, 40);
        assert_eq!(r.slice("héllo"), "");
        assert_eq!(TextRange::new(1, 3).slice("héllo"), "é");
        assert_eq!(TextRange::new(1, 2).slice("héllo"), "");
    }
}
