//! Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top of a Dockerfile.
//!
//! Mirrors BuildKit's `DirectiveParser.ParseLine` (frontend/dockerfile/parser/directives.go):
//! directives are read until the first line that is not one (an empty line, an instruction,
//! any other comment), each may appear once, and the line must match
//! `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` after `#` and leading whitespace. No regex engine:
//! the match is spelled out by hand, including the regex's backtracking on a blank value.

/// One of the directives BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DirectiveKey {
    Syntax,
    Escape,
    Check,
}

/// A directive found on a line: its key and value (a slice of that line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DirectiveLine<'a> {
    pub key: DirectiveKey,
    pub value: &'a str,
}

/// State of the directive reader: which keys were seen, and whether directives are over.
#[derive(Debug, Default)]
pub(super) struct DirectiveParser {
    done: bool,
    seen: [bool; 3],
}

impl DirectiveParser {
    /// Reads one line (already stripped of its line ending and leading whitespace).
    /// `Err` carries BuildKit's message for a repeated directive.
    pub fn parse_line<'a>(&mut self, line: &'a str) -> Result<Option<DirectiveLine<'a>>, String> {
        if self.done {
            return Ok(None);
        }
        let Some((key, value)) = line
            .strip_prefix('#')
            .and_then(|rest| match_directive(rest.trim_start()))
        else {
            self.done = true;
            return Ok(None);
        };
        let key = match key.to_ascii_lowercase().as_str() {
            "syntax" => DirectiveKey::Syntax,
            "escape" => DirectiveKey::Escape,
            "check" => DirectiveKey::Check,
            _ => {
                self.done = true;
                return Ok(None);
            }
        };
        let seen = &mut self.seen[key as usize];
        if *seen {
            return Err(format!(
                "only one {} parser directive can be used",
                key.name()
            ));
        }
        *seen = true;
        Ok(Some(DirectiveLine { key, value }))
    }
}

impl DirectiveKey {
    pub fn name(self) -> &'static str {
        match self {
            DirectiveKey::Syntax => "syntax",
            DirectiveKey::Escape => "escape",
            DirectiveKey::Check => "check",
        }
    }
}

/// RE2's `\s`: `[\t\n\f\r ]` (no vertical tab).
fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` → `(key, value)`.
fn match_directive(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let key_end = b
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    let mut i = key_end;
    while b.get(i).is_some_and(|&c| is_re_space(c)) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    let after = &s[i + 1..];
    let lead = after.bytes().take_while(|&c| is_re_space(c)).count();
    let value = if lead < after.len() {
        after[lead..].trim_end_matches(|c: char| c.is_ascii() && is_re_space(c as u8))
    } else if lead > 0 {
        // Only blanks after `=`: `\s*` gives back one so that `.+?` matches something.
        &after[lead - 1..]
    } else {
        return None;
    };
    Some((&s[..key_end], value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_lines_match_buildkit_regex() {
        assert_eq!(match_directive("escape=`"), Some(("escape", "`")));
        assert_eq!(
            match_directive("syntax = docker/dockerfile:1  "),
            Some(("syntax", "docker/dockerfile:1"))
        );
        assert_eq!(
            match_directive("check=skip=all; error=true"),
            Some(("check", "skip=all; error=true"))
        );
        assert_eq!(match_directive("escape = "), Some(("escape", " ")));
        assert_eq!(match_directive("escape="), None);
        assert_eq!(match_directive("Comment here. x=y"), None);
        assert_eq!(match_directive("1x=y"), None);
    }

    #[test]
    fn directives_stop_at_first_other_line_and_reject_repeats() {
        let mut p = DirectiveParser::default();
        assert!(p.parse_line("# syntax=a").unwrap().is_some());
        assert!(p.parse_line("# syntax=b").is_err());
        assert!(p.parse_line("# escape=`").unwrap().is_some());
        assert!(p.parse_line("# unknown=x").unwrap().is_none());
        assert!(p.parse_line("# check=x").unwrap().is_none());
    }
}
