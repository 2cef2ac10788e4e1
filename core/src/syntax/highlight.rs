//! Syntax highlighting for the editor overlay: sorted, non-overlapping token ranges.
//!
//! Built on the parse (so keywords, flags, heredoc bodies and directives are exactly what the
//! parser saw) plus a light scan of argument text for strings, variables, heredoc markers and
//! punctuation. Runs on every keystroke in the browser: one pass over the text, no regex, and
//! no panic on any input.

use super::directives::DirectiveParser;
use super::line_parsers::is_keyword;
use super::lines::{is_comment, next_line};
use super::node::{Node, Parse};
use crate::text::TextRange;

/// What a highlighted range is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Flag,
    /// `$NAME`, `${NAME...}`.
    Variable,
    /// A quoted string (shell quotes or JSON strings).
    String,
    Comment,
    /// `# syntax=`, `# escape=`, `# check=` at the top.
    Directive,
    HeredocBody,
    /// `<<EOF` on the instruction line and the terminating `EOF` line.
    HeredocMarker,
    /// JSON punctuation, shell operators (`&&`, `||`, `|`, `;`) and line continuations.
    Operator,
    /// An unknown instruction keyword or an invalid directive.
    Error,
}

/// Tokens of `text`, sorted by start and never overlapping.
pub fn highlight(text: &str) -> Vec<(TextRange, TokenKind)> {
    let parse = super::parse(text);
    highlight_parse(text, &parse)
}

/// Tokens of `text` for a parse of it the caller already has.
pub fn highlight_parse(text: &str, parse: &Parse) -> Vec<(TextRange, TokenKind)> {
    let mut out = Vec::new();
    line_tokens(text, parse, &mut out);
    let escape = parse.directives.escape;
    for node in &parse.nodes {
        node_tokens(text, node, escape, &mut out);
    }
    crate::sorting::sort_by_key(&mut out, |&(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut res: Vec<(TextRange, TokenKind)> = Vec::with_capacity(out.len());
    let mut last_end = 0;
    for (r, k) in out {
        if r.is_empty() || r.start < last_end {
            continue;
        }
        last_end = r.end;
        res.push((r, k));
    }
    res
}

/// Whole-line tokens: directives, comments, heredoc bodies and terminators.
fn line_tokens(text: &str, parse: &Parse, out: &mut Vec<(TextRange, TokenKind)>) {
    let mut bodies = parse
        .nodes
        .iter()
        .flat_map(|n| n.heredocs.iter().map(|h| h.range))
        .peekable();
    let mut directives = DirectiveParser::default();
    let mut pos = 0;
    while let Some(pl) = next_line(text, pos) {
        pos = pl.next;
        let line_range = TextRange::new(pl.start, pl.end);
        while bodies
            .peek()
            .is_some_and(|b| (b.end as usize) < pl.start || b.is_empty())
        {
            bodies.next();
        }
        if let Some(b) = bodies.peek().filter(|b| {
            b.contains(pl.start as u32)
                || (b.start as usize == pl.start && b.end as usize == pl.end)
        }) {
            let kind = if b.end as usize == pl.end {
                TokenKind::HeredocMarker
            } else {
                TokenKind::HeredocBody
            };
            out.push((line_range, kind));
            continue;
        }
        let line = text
            .get(pl.start..pl.end)
            .unwrap_or("")
            .trim_start_matches('\u{FEFF}');
        let trimmed = line.trim_start();
        let at = TextRange::new(pl.end - trimmed.len(), pl.end);
        match directives.parse_line(trimmed) {
            Ok(Some(_)) => out.push((at, TokenKind::Directive)),
            Err(_) => out.push((at, TokenKind::Error)),
            Ok(None) if is_comment(trimmed) => out.push((at, TokenKind::Comment)),
            Ok(None) => {}
        }
    }
}

fn node_tokens(text: &str, node: &Node, escape: char, out: &mut Vec<(TextRange, TokenKind)>) {
    let mut n = node;
    let mut json = node.json;
    loop {
        let kind = if is_keyword(&n.cmd) {
            TokenKind::Keyword
        } else {
            TokenKind::Error
        };
        out.push((n.keyword_range, kind));
        out.extend(n.flags.iter().map(|f| (f.range, TokenKind::Flag)));
        match &n.sub {
            Some(sub) => {
                json = sub.json;
                n = sub;
            }
            None => break,
        }
    }
    let end = node
        .heredocs
        .first()
        .map_or(node.range.end, |h| h.range.start);
    let (start, end) = (
        node.keyword_range.end as usize,
        (end as usize).min(text.len()),
    );
    if let Some(args) = text.get(start..end) {
        scan_args(args, start, json, !node.heredocs.is_empty(), escape, out);
    }
}

/// Strings, variables, heredoc markers and punctuation in an instruction's text, line by
/// line (no token crosses a line), so that the work stays linear on any input.
fn scan_args(
    s: &str,
    base: usize,
    json: bool,
    heredocs: bool,
    escape: char,
    out: &mut Vec<(TextRange, TokenKind)>,
) {
    let mut at = 0;
    for line in s.split_inclusive('\n') {
        scan_line(
            line.trim_end_matches(['\n', '\r']),
            base + at,
            json,
            heredocs,
            escape,
            out,
        );
        at += line.len();
    }
}

fn scan_line(
    line: &str,
    base: usize,
    json: bool,
    heredocs: bool,
    escape: char,
    out: &mut Vec<(TextRange, TokenKind)>,
) {
    let tok =
        |out: &mut Vec<_>, a: usize, z: usize, k| out.push((TextRange::new(base + a, base + z), k));
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        // A comment line inside a continuation.
        tok(
            out,
            line.len() - trimmed.len(),
            line.len(),
            TokenKind::Comment,
        );
        return;
    }
    let b = line.as_bytes();
    let esc = escape as u8;
    // The continuation character, if the line ends with one.
    let body = line.trim_end_matches([' ', '\t']);
    let cont = (body.as_bytes().last() == Some(&esc)).then(|| body.len() - 1);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'\'' | b'"' => {
                let esc_in = if json || c == b'"' { Some(b'\\') } else { None };
                let close = find_close(b, i + 1, c, esc_in);
                if c == b'"' && !json {
                    // Variables still expand inside double quotes: show them as such.
                    let mut seg = i;
                    let mut j = i + 1;
                    while j < close {
                        match b.get(j) {
                            Some(b'\\') => j += 2,
                            Some(b'$') => {
                                let z = variable_end(b, j).min(close);
                                if z > j + 1 {
                                    tok(out, seg, j, TokenKind::String);
                                    tok(out, j, z, TokenKind::Variable);
                                    seg = z;
                                }
                                j = z.max(j + 1);
                            }
                            _ => j += 1,
                        }
                    }
                    tok(out, seg, close, TokenKind::String);
                } else {
                    tok(out, i, close, TokenKind::String);
                }
                i = close;
            }
            b'$' if !json => {
                let z = variable_end(b, i);
                if z > i + 1 {
                    tok(out, i, z, TokenKind::Variable);
                }
                i = z.max(i + 1);
            }
            b'[' | b']' | b',' if json => {
                tok(out, i, i + 1, TokenKind::Operator);
                i += 1;
            }
            b'<' if heredocs && b.get(i + 1) == Some(&b'<') => {
                let mut z = i + 2;
                if b.get(z) == Some(&b'-') {
                    z += 1;
                }
                while matches!(b.get(z), Some(b' ' | b'\t')) {
                    z += 1;
                }
                while b.get(z).is_some_and(|x| !x.is_ascii_whitespace()) {
                    z += 1;
                }
                let mut a = i;
                while a > 0 && b.get(a - 1).is_some_and(u8::is_ascii_digit) {
                    a -= 1;
                }
                tok(out, a, z, TokenKind::HeredocMarker);
                i = z;
            }
            b'&' | b'|' if !json => {
                let z = if b.get(i + 1) == Some(&c) {
                    i + 2
                } else {
                    i + 1
                };
                tok(out, i, z, TokenKind::Operator);
                i = z;
            }
            b';' if !json => {
                tok(out, i, i + 1, TokenKind::Operator);
                i += 1;
            }
            _ if c == esc => {
                if cont == Some(i) {
                    tok(out, i, i + 1, TokenKind::Operator);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
}

/// The end of a quoted string starting before `from` (after its closing quote, or at the end
/// of the line when unclosed).
fn find_close(b: &[u8], from: usize, quote: u8, escape: Option<u8>) -> usize {
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        if c == quote {
            return i + 1;
        }
        if c == b'\n' {
            return i;
        }
        if Some(c) == escape {
            i += 1;
        }
        i += 1;
    }
    b.len()
}

/// The end of a variable reference at `b[i] == '$'`.
fn variable_end(b: &[u8], i: usize) -> usize {
    let mut z = i + 1;
    if b.get(z) == Some(&b'{') {
        let mut depth = 0usize;
        while z < b.len() && b[z] != b'\n' {
            match b[z] {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return z + 1;
                    }
                }
                _ => {}
            }
            z += 1;
        }
        return z;
    }
    while z < b.len() && (b[z].is_ascii_alphanumeric() || b[z] == b'_') {
        z += 1;
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, TokenKind)> {
        highlight(text)
            .into_iter()
            .map(|(r, k)| (r.slice(text).to_string(), k))
            .collect()
    }

    #[test]
    fn tokens_cover_the_main_kinds() {
        let text = "# syntax=docker/dockerfile:1\n# hi\nFROM a AS b\nRUN --mount=type=cache,target=/x echo \"$A\" ${B:-c} && \\\n  x\nCMD [\"a\", \"b\"]\nCOPY <<EOF /d\nbody\nEOF\nFROMM x\n";
        let k = kinds(text);
        let has = |s: &str, kind| k.iter().any(|(t, kk)| t == s && *kk == kind);
        assert!(has("# syntax=docker/dockerfile:1", TokenKind::Directive));
        assert!(has("# hi", TokenKind::Comment));
        assert!(has("FROM", TokenKind::Keyword));
        assert!(has("--mount=type=cache,target=/x", TokenKind::Flag));
        assert!(has("\"", TokenKind::String));
        assert!(has("$A", TokenKind::Variable));
        assert!(has("${B:-c}", TokenKind::Variable));
        assert!(has("&&", TokenKind::Operator));
        assert!(has("\\", TokenKind::Operator));
        assert!(has("[", TokenKind::Operator));
        assert!(has("\"a\"", TokenKind::String));
        assert!(has("<<EOF", TokenKind::HeredocMarker));
        assert!(has("body", TokenKind::HeredocBody));
        assert!(has("EOF", TokenKind::HeredocMarker));
        assert!(has("FROMM", TokenKind::Error));
    }

    #[test]
    fn tokens_are_sorted_and_disjoint() {
        for text in [
            "RUN \"unterminated ${x",
            "ENV a=\"b $c\" \\\n# c\n d=e",
            "\u{feff}FROM a\r\nRUN <<-X\n\tb\n\tX\n",
            "",
            "\\",
        ] {
            let t = highlight(text);
            for w in t.windows(2) {
                assert!(w[0].0.end <= w[1].0.start, "{text:?}: {t:?}");
            }
            assert!(t.iter().all(|(r, _)| r.end as usize <= text.len()));
        }
    }
}
