//! JSON (exec) form detection: `CMD ["a", "b"]`.
//!
//! Mirrors BuildKit's `parseJSON` (frontend/dockerfile/parser/line_parsers.go), which calls Go's
//! `json.Unmarshal` into `[]any`: the whole argument must be one valid JSON document starting
//! with `[` (so `["a"] extra` is NOT JSON and falls back to shell form), then every element must
//! be a string, or the parse fails ("arrays must be comprised of strings only"). Strings decode
//! as Go does: `\u0000` gives a NUL, a lone surrogate gives U+FFFD. Nesting is bounded like Go's
//! decoder (10000 levels), with an explicit stack instead of recursion.

/// What an argument string is, seen as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum JsonForm {
    /// Not a valid JSON array: shell form.
    NotJson,
    /// A valid array of strings: decoded text and byte range (quotes included) of each.
    Strings(Vec<(String, usize, usize)>),
    /// A valid JSON array with a non-string element: BuildKit rejects the instruction.
    NotStrings,
}

/// Go's `maxNestingDepth` in encoding/json's scanner.
const MAX_DEPTH: usize = 10_000;

/// Classifies `rest` (already trimmed) as BuildKit's `parseJSON` would.
pub(super) fn parse_json_array(rest: &str) -> JsonForm {
    // parseJSON trims leading Unicode whitespace first (it matters after HEALTHCHECK's type).
    let lead = rest.len() - rest.trim_start().len();
    if !rest.get(lead..).unwrap_or("").starts_with('[') {
        return JsonForm::NotJson;
    }
    let mut cur = Cursor {
        s: rest.as_bytes(),
        text: rest,
        pos: lead + 1,
    };
    let mut elems = Vec::new();
    let mut all_strings = true;
    cur.skip_ws();
    if cur.peek() == Some(b']') {
        cur.pos += 1;
    } else {
        loop {
            cur.skip_ws();
            if cur.peek() == Some(b'"') {
                let start = cur.pos;
                let Some(text) = cur.string() else {
                    return JsonForm::NotJson;
                };
                elems.push((text, start, cur.pos));
            } else {
                if !cur.skip_value() {
                    return JsonForm::NotJson;
                }
                all_strings = false;
            }
            cur.skip_ws();
            match cur.peek() {
                Some(b',') => cur.pos += 1,
                Some(b']') => {
                    cur.pos += 1;
                    break;
                }
                _ => return JsonForm::NotJson,
            }
        }
    }
    cur.skip_ws();
    if cur.pos != rest.len() {
        return JsonForm::NotJson;
    }
    if all_strings {
        JsonForm::Strings(elems)
    } else {
        JsonForm::NotStrings
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A string literal at `pos` (on `"`), decoded; `None` if invalid.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut res = String::new();
        loop {
            let start = self.pos;
            // Copy the run of plain characters in one go.
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            res.push_str(self.text.get(start..self.pos)?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(res);
                }
                b'\\' => {
                    self.pos += 1;
                    let esc = self.peek()?;
                    self.pos += 1;
                    match esc {
                        b'"' => res.push('"'),
                        b'\\' => res.push('\\'),
                        b'/' => res.push('/'),
                        b'b' => res.push('\u{8}'),
                        b'f' => res.push('\u{c}'),
                        b'n' => res.push('\n'),
                        b'r' => res.push('\r'),
                        b't' => res.push('\t'),
                        b'u' => {
                            let c = self.hex4()?;
                            res.push(self.finish_unicode(c));
                        }
                        _ => return None,
                    }
                }
                _ => return None, // a raw control character
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.pos..self.pos + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(v)
    }

    /// Go's `unquote`: a high surrogate followed by `\u` + low surrogate makes one character;
    /// any other surrogate becomes U+FFFD (and a following `\u` is read on its own).
    fn finish_unicode(&mut self, c: u32) -> char {
        if (0xD800..0xE000).contains(&c) {
            if (0xD800..0xDC00).contains(&c) && self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
                let save = self.pos;
                self.pos += 2;
                if let Some(lo) = self.hex4() {
                    if (0xDC00..0xE000).contains(&lo) {
                        let v = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                        return char::from_u32(v).unwrap_or('\u{FFFD}');
                    }
                }
                self.pos = save;
            }
            return '\u{FFFD}';
        }
        char::from_u32(c).unwrap_or('\u{FFFD}')
    }

    /// Skips one JSON value that is not a top-level string; false if invalid.
    fn skip_value(&mut self) -> bool {
        // Each open container: b'[' or b'{'. The top-level array counts as one level.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.skip_ws();
            // Parse one scalar or open a container.
            match self.peek() {
                Some(b'[') | Some(b'{') => {
                    let open = self.peek().unwrap_or(b'[');
                    self.pos += 1;
                    stack.push(open);
                    if stack.len() + 1 > MAX_DEPTH {
                        return false;
                    }
                    self.skip_ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        if open == b'{' && !self.key() {
                            return false;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    if self.string().is_none() {
                        return false;
                    }
                }
                Some(b't') => {
                    if !self.literal(b"true") {
                        return false;
                    }
                }
                Some(b'f') => {
                    if !self.literal(b"false") {
                        return false;
                    }
                }
                Some(b'n') => {
                    if !self.literal(b"null") {
                        return false;
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if !self.number() {
                        return false;
                    }
                }
                _ => return false,
            }
            // After a complete value: close containers or move to the next element.
            loop {
                let Some(&open) = stack.last() else {
                    return true;
                };
                self.skip_ws();
                let close = if open == b'[' { b']' } else { b'}' };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if open == b'{' && !self.key() {
                            return false;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return false,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> bool {
        self.skip_ws();
        if self.peek() != Some(b'"') || self.string().is_none() {
            return false;
        }
        self.skip_ws();
        if self.peek() != Some(b':') {
            return false;
        }
        self.pos += 1;
        true
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.s.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> bool {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return false;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return false;
            }
            self.digits();
        }
        true
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Option<Vec<String>> {
        match parse_json_array(s) {
            JsonForm::Strings(v) => Some(v.into_iter().map(|e| e.0).collect()),
            _ => None,
        }
    }

    #[test]
    fn arrays_of_strings_decode_like_go() {
        assert_eq!(strings("[]"), Some(vec![]));
        assert_eq!(
            strings("[ \"a\",\t\"b\" ]"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            strings(r#"["\" \\ \/ \b \f \n \r \t \u0000"]"#),
            Some(vec!["\" \\ / \u{8} \u{c} \n \r \t \0".into()])
        );
        assert_eq!(
            strings(r#"["\ud83d\ude00", "\ud800x"]"#),
            Some(vec!["😀".into(), "\u{FFFD}x".into()])
        );
    }

    #[test]
    fn leading_unicode_blanks_are_skipped_like_go() {
        assert_eq!(
            parse_json_array("\u{2003}[\"a\"]"),
            JsonForm::Strings(vec![("a".into(), 4, 7)])
        );
    }

    #[test]
    fn trailing_text_or_bad_json_is_shell_form() {
        assert_eq!(parse_json_array("[\"a\"] extra"), JsonForm::NotJson);
        assert_eq!(parse_json_array("['a']"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\",]"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\""), JsonForm::NotJson);
        assert_eq!(parse_json_array("[\"a\tb\"]"), JsonForm::NotJson);
        assert_eq!(parse_json_array("[01]"), JsonForm::NotJson);
    }

    #[test]
    fn valid_non_string_elements_are_rejected() {
        assert_eq!(
            parse_json_array(r#"[ "echo", [ "nested json" ] ]"#),
            JsonForm::NotStrings
        );
        assert_eq!(
            parse_json_array(r#"[1, {"a": [true, null, -1.5e3]}]"#),
            JsonForm::NotStrings
        );
        let deep = format!("[{}{}]", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse_json_array(&deep), JsonForm::NotJson);
    }
}
