//! Go's `strconv.Quote` (what `fmt`'s `%q` prints for a string), the one copy the core uses.
//!
//! BuildKit quotes words with `%q` in several places we reproduce byte for byte: the parser's
//! `Node.Dump()` (frontend/dockerfile/parser/parser.go), the lexer's
//! `failed to process "<word>": ...` (frontend/dockerfile/shell/lex.go `ProcessWords`) and the
//! `CMD ["a" "b"]` history rows (dockerfile2llb/convert.go `commitToHistory` callers). It lives
//! here, below `syntax`, `expand` and `build`, so that all of them quote the same way.

/// Go's `strconv.Quote`: double quotes around `s`; `\"` and `\\`; the C escapes `\a \b \f \n
/// \r \t \v`; `\xNN` for the other characters below U+0020 and for U+007F; printable
/// characters (ASCII or not) as they are; `\uNNNN` / `\UNNNNNNNN` (lower-case hex) for other
/// non-printable characters. Go's `IsPrint` is approximated by [`is_printable`]. A `&str` is
/// always valid UTF-8, so Go's `\x` escapes of invalid bytes never arise.
pub fn go_quote(s: &str) -> String {
    let mut res = String::with_capacity(s.len() + 2);
    res.push('"');
    for c in s.chars() {
        push_escaped(&mut res, c);
    }
    res.push('"');
    res
}

/// One character as `strconv.appendEscapedRune` writes it inside double quotes.
fn push_escaped(res: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '"' => res.push_str("\\\""),
        '\\' => res.push_str("\\\\"),
        '\u{7}' => res.push_str("\\a"),
        '\u{8}' => res.push_str("\\b"),
        '\u{c}' => res.push_str("\\f"),
        '\n' => res.push_str("\\n"),
        '\r' => res.push_str("\\r"),
        '\t' => res.push_str("\\t"),
        '\u{b}' => res.push_str("\\v"),
        // `write!` into a String cannot fail.
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(res, "\\x{:02x}", c as u32);
        }
        c if is_printable(c) => res.push(c),
        c if (c as u32) < 0x10000 => {
            let _ = write!(res, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(res, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `strconv.IsPrint` (letters, marks, numbers, punctuation, symbols
/// and the ASCII space): outside ASCII it rejects the C1 controls, the non-ASCII spaces and
/// separators, the common format characters (soft hyphen, bidi and zero-width controls, BOM,
/// tags) and private use; unassigned code points count as printable, unlike Go.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    !matches!(u,
        0x80..=0xa0 | 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x1680 | 0x180e | 0x2000..=0x200f
        | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f | 0x3000 | 0xd800..=0xf8ff | 0xfeff
        | 0xfff9..=0xfffb | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..)
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn ascii_is_kept_between_double_quotes() {
        assert_eq!(go_quote(""), r#""""#);
        assert_eq!(
            go_quote("echo hello $X 'a' ~!@#%^&*()"),
            r#""echo hello $X 'a' ~!@#%^&*()""#
        );
    }

    #[test]
    fn double_quote_and_backslash_are_escaped() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\\\""), r#""\\\"""#);
    }

    #[test]
    fn control_characters_use_c_escapes_then_hex() {
        // fmt.Printf("%q", "\a\b\f\n\r\t\v") == `"\a\b\f\n\r\t\v"`.
        assert_eq!(
            go_quote("\u{7}\u{8}\u{c}\n\r\t\u{b}"),
            r#""\a\b\f\n\r\t\v""#
        );
        assert_eq!(
            go_quote("\0\u{1}\u{1b}\u{1f}\u{7f}"),
            r#""\x00\x01\x1b\x1f\x7f""#
        );
        assert_eq!(go_quote("a\nb\tc"), r#""a\nb\tc""#);
    }

    #[test]
    fn printable_non_ascii_is_kept_as_is() {
        assert_eq!(go_quote("é ♥ ünïcode 🐳 日本"), "\"é ♥ ünïcode 🐳 日本\"");
    }

    #[test]
    fn non_printable_non_ascii_uses_u_escapes() {
        // C1 control, no-break space, zero-width space, BOM: `\u` with four lower-case digits.
        assert_eq!(
            go_quote("\u{85}\u{a0}\u{200b}\u{feff}"),
            r#""\u0085\u00a0\u200b\ufeff""#
        );
        // Above the BMP: `\U` with eight digits (a tag character, private use plane 15).
        assert_eq!(go_quote("\u{e0001}\u{f0000}"), r#""\U000e0001\U000f0000""#);
    }
}
