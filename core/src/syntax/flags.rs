//! Splitting an instruction line into keyword, `--flags` and arguments.
//!
//! Mirrors BuildKit's `splitCommand` and `extractBuilderFlags`
//! (frontend/dockerfile/parser/split_command.go). Every instruction gets its flags extracted
//! here, whatever its keyword: `RUN --mount=...`, `COPY --link`, `FROM --platform=...`, even an
//! unknown keyword's. A word `--` ends the flags. Offsets are relative to the line given.

use super::node::Flag;
use crate::text::TextRange;

/// The three parts of an instruction line, as byte ranges of that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SplitLine {
    pub cmd: (usize, usize),
    /// The flags, their ranges relative to the line (the caller maps them to the source).
    pub flags: Vec<Flag>,
    /// The arguments, trimmed (`strings.TrimSpace`); empty when there are none.
    pub args: (usize, usize),
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]` (no `\n`, no Unicode spaces).
pub(super) fn is_re_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\x0b' | b'\x0c' | b'\r' | b' ')
}

/// `unicode.IsSpace(rune(b))` for a single byte, as split_command.go tests bytes, not runes:
/// besides ASCII blanks, 0x85 and 0xA0 count (they can be continuation bytes of UTF-8 text).
fn is_space_byte(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' | 0x85 | 0xA0
    )
}

/// The byte range of `s[start..end]` trimmed of Unicode whitespace on both sides.
pub(super) fn trim_range(s: &str, start: usize, end: usize) -> (usize, usize) {
    let Some(sub) = s.get(start..end) else {
        return (start, start);
    };
    let left = sub.len() - sub.trim_start().len();
    let right = sub.trim_end().len();
    if right <= left {
        return (start + left, start + left);
    }
    (start + left, start + right)
}

/// BuildKit's `splitCommand(line)`.
pub(super) fn split_command(line: &str, escape: u8) -> SplitLine {
    let (start, end) = trim_range(line, 0, line.len());
    let bytes = line.as_bytes();
    let ws = bytes
        .get(start..end)
        .and_then(|b| b.iter().position(|&c| is_re_whitespace(c)));
    let Some(ws) = ws.map(|i| start + i) else {
        return SplitLine {
            cmd: (start, end),
            flags: Vec::new(),
            args: (end, end),
        };
    };
    let mut rest = ws;
    while rest < end && bytes.get(rest).is_some_and(|&c| is_re_whitespace(c)) {
        rest += 1;
    }
    let (args_at, flags) = extract_flags(line, rest, end, escape);
    let args = match args_at {
        Some(at) => trim_range(line, char_boundary(line, at), end),
        None => (end, end),
    };
    SplitLine {
        cmd: (start, ws),
        flags,
        args,
    }
}

/// BuildKit's `extractBuilderFlags` over `line[from..to]`: returns where the arguments start
/// (`None` when the line holds flags only) and the flags. Like the Go code, it walks bytes and
/// turns each byte of a flag into a character of its own (so a non-ASCII flag value is
/// mangled as BuildKit mangles it: `é` becomes `Ã©`).
fn extract_flags(line: &str, from: usize, to: usize, escape: u8) -> (Option<usize>, Vec<Flag>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = line.as_bytes();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut word_start = from;
    let mut pos = from;
    let mut ch = 0u8;
    while pos <= to {
        if pos != to {
            ch = b.get(pos).copied().unwrap_or(b' ');
        }
        if phase == Phase::Spaces {
            if pos == to {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == to || b.get(pos + 1) != Some(&b'-') {
                return (Some(pos), flags);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == to {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(make_flag(word, word_start, pos));
            }
            break;
        }
        if phase == Phase::Word {
            // Fast path: a run of plain ASCII bytes is copied as is (same result as the
            // byte-by-byte loop below, which handles quotes, escapes and non-ASCII bytes).
            let run = b.get(pos..to).map_or(0, |r| {
                r.iter()
                    .take_while(|&&c| {
                        c < 0x80 && !is_space_byte(c) && c != b'\'' && c != b'"' && c != escape
                    })
                    .count()
            });
            if run > 0 {
                word.push_str(line.get(pos..pos + run).unwrap_or(""));
                pos += run;
                continue;
            }
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (Some(pos), flags);
                }
                if blank_ok || !word.is_empty() {
                    flags.push(make_flag(std::mem::take(&mut word), word_start, pos));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == escape {
                if pos + 1 == to {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = b.get(pos).copied().unwrap_or(b' ');
            }
            word.push(char::from(ch));
            pos += 1;
            continue;
        }
        // Inside quotes: everything but the closing quote is kept; the escape still escapes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == escape {
            if pos + 1 == to {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = b.get(pos).copied().unwrap_or(b' ');
        }
        word.push(char::from(ch));
        pos += 1;
    }
    (None, flags)
}

/// The first character boundary at or after `at` (BuildKit may cut inside a character when a
/// byte 0x85/0xA0 of UTF-8 text counts as a space; we move to the next whole character).
fn char_boundary(s: &str, mut at: usize) -> usize {
    while at < s.len() && !s.is_char_boundary(at) {
        at += 1;
    }
    at.min(s.len())
}

fn make_flag(word: String, start: usize, end: usize) -> Flag {
    let (name, value) = flag_parts(word);
    Flag {
        name,
        value,
        range: TextRange::new(start, end),
    }
}

/// Splits a flag word `--name=value` into name and value (`None` for a bare `--name`),
/// reusing the word's buffer for the name.
fn flag_parts(mut word: String) -> (String, Option<String>) {
    let value = word.find('=').map(|eq| {
        let v = word.get(eq + 1..).unwrap_or("").to_string();
        word.truncate(eq);
        v
    });
    if word.starts_with("--") {
        word.drain(..2);
    }
    (word, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (String, Vec<String>, String) {
        let s = split_command(line, b'\\');
        (
            line[s.cmd.0..s.cmd.1].to_string(),
            s.flags.into_iter().map(|f| f.original()).collect(),
            line[s.args.0..s.args.1].to_string(),
        )
    }

    #[test]
    fn flags_are_extracted_like_buildkit() {
        assert_eq!(
            split("COPY --from=a --link x y"),
            (
                "COPY".into(),
                vec!["--from=a".into(), "--link".into()],
                "x y".into()
            )
        );
        assert_eq!(
            split("COPY --doit=true -- foo /tmp/"),
            (
                "COPY".into(),
                vec!["--doit=true".into()],
                "foo /tmp/".into()
            )
        );
        assert_eq!(
            split("CMD --doit -- [ ]"),
            ("CMD".into(), vec!["--doit".into()], "[ ]".into())
        );
        assert_eq!(
            split("RUN --mount=\"type=cache,target=/a b\" x"),
            (
                "RUN".into(),
                vec!["--mount=type=cache,target=/a b".into()],
                "x".into()
            )
        );
        assert_eq!(split("  FROM  "), ("FROM".into(), vec![], "".into()));
        assert_eq!(
            split("RUN --a --b"),
            ("RUN".into(), vec!["--a".into(), "--b".into()], "".into())
        );
        assert_eq!(split("RUN -x"), ("RUN".into(), vec![], "-x".into()));
    }

    #[test]
    fn non_ascii_flag_bytes_are_mangled_as_in_buildkit() {
        assert_eq!(
            split("COPY --chown=é a b").1,
            vec!["--chown=Ã©".to_string()]
        );
    }
}
