//! Physical lines, continuations and the logical line they build.
//!
//! Mirrors the line handling of BuildKit's `parser.Parse` (frontend/dockerfile/parser/parser.go):
//! `scanLines` splits at `\n` only, `trimNewline` drops every trailing `\r`/`\n`, and
//! `trimContinuationCharacter` applies the continuation regex built by `setEscapeToken`. A
//! logical line keeps, next to its text, where each of its pieces came from in the source, so
//! every offset into it maps back to a byte of the Dockerfile.

use crate::text::TextRange;

/// One line of the source: `start..end` is its text without the line ending, `next` the offset
/// of the following line (or the text's length).
#[derive(Debug, Clone, Copy)]
pub(super) struct PhysicalLine {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// A continued instruction joined into one string, with the source position of every piece.
#[derive(Debug, Default)]
pub(super) struct LogicalLine {
    pub text: String,
    /// `(logical offset, source offset)` of the start of each non-empty piece, ascending.
    segments: Vec<(u32, u32)>,
    /// Where offsets map when the line has no piece at all (a lone continuation character).
    fallback: u32,
}

/// The line starting at `pos`, or `None` at the end of the text.
pub(super) fn next_line(text: &str, pos: usize) -> Option<PhysicalLine> {
    let rest = text.get(pos..).filter(|r| !r.is_empty())?;
    let next = rest.find('\n').map_or(text.len(), |i| pos + i + 1);
    let bytes = text.as_bytes();
    let mut end = next;
    // BuildKit's trimNewline: `bytes.TrimRight(src, "\r\n")`, so `a\r\r\n` is `a`.
    while end > pos && matches!(bytes.get(end - 1), Some(b'\r' | b'\n')) {
        end -= 1;
    }
    Some(PhysicalLine {
        start: pos,
        end,
        next,
    })
}

/// Returns true if and only if the line is a comment: `#` after leading whitespace
/// (BuildKit's `isComment`, which trims with `unicode.IsSpace`, as `char::is_whitespace`).
pub(super) fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// BuildKit's `trimContinuationCharacter`: the regex `([^E])E[ \t]*$|^E[ \t]*$` (E the escape
/// character). Returns the line without the continuation and whether the instruction goes on.
/// `foo \\` does not continue: the escape is itself escaped (the regex's `[^E]`).
pub(super) fn trim_continuation(line: &str, escape: u8) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let bytes = trimmed.as_bytes();
    if bytes.last() != Some(&escape) {
        return (line, false);
    }
    let before = &trimmed[..trimmed.len() - 1];
    match before.as_bytes().last() {
        None => ("", true),
        Some(&b) if b == escape => (line, false),
        Some(_) => (before, true),
    }
}

impl LogicalLine {
    pub fn clear(&mut self, fallback: usize) {
        self.text.clear();
        self.segments.clear();
        self.fallback = clamp(fallback);
    }

    /// Appends `piece`, which starts at byte `source_start` of the Dockerfile.
    pub fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.segments
            .push((clamp(self.text.len()), clamp(source_start)));
        self.text.push_str(piece);
    }

    /// Source offset of a logical offset taken as a start (the piece it begins).
    pub fn source_start(&self, offset: usize) -> usize {
        let o = clamp(offset);
        let idx = self.segments.partition_point(|&(l, _)| l <= o);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => (s + (o - l)) as usize,
            None => self.fallback as usize,
        }
    }

    /// Source offset of a logical offset taken as an end (the piece it closes).
    pub fn source_end(&self, offset: usize) -> usize {
        let o = clamp(offset);
        let idx = self.segments.partition_point(|&(l, _)| l < o);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => (s + (o - l)) as usize,
            None => self.source_start(offset),
        }
    }

    /// The source range of the logical range `start..end`: exact within one piece, the
    /// covering range across pieces.
    pub fn range(&self, start: usize, end: usize) -> TextRange {
        let s = self.source_start(start);
        let e = if end > start { self.source_end(end) } else { s };
        TextRange::new(s, e.max(s))
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_follows_buildkit_regex() {
        assert_eq!(trim_continuation("RUN a \\", b'\\'), ("RUN a ", true));
        assert_eq!(trim_continuation("RUN a \\  \t", b'\\'), ("RUN a ", true));
        assert_eq!(
            trim_continuation("RUN a \\\\", b'\\'),
            ("RUN a \\\\", false)
        );
        assert_eq!(trim_continuation("\\", b'\\'), ("", true));
        assert_eq!(trim_continuation("  \\", b'\\'), ("  ", true));
        assert_eq!(trim_continuation("RUN a `", b'`'), ("RUN a ", true));
        assert_eq!(trim_continuation("RUN a \\", b'`'), ("RUN a \\", false));
    }

    #[test]
    fn logical_offsets_map_back_to_source() {
        let src = "RUN a \\\n  bc";
        let mut ll = LogicalLine::default();
        ll.clear(0);
        ll.push("RUN a ", 0);
        ll.push("  bc", 8);
        assert_eq!(ll.text, "RUN a   bc");
        assert_eq!(ll.range(0, 3).slice(src), "RUN");
        assert_eq!(ll.range(8, 10).slice(src), "bc");
        assert_eq!(ll.range(4, 10), TextRange::new(4, 12));
        assert_eq!(ll.range(4, 6), TextRange::new(4, 6));
    }
}
