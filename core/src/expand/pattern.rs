//! The shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}`, matched as BuildKit matches them:
//! `convertShellPatternToRegex` turns `*` into `.*` (greedy) or `.*?` (shortest), `?` into `.`,
//! and Go's regexp then picks the leftmost-first match. We do the same without a regex
//! engine: a backtracking search in the same priority order, with a memo of failed states
//! and a step budget so no input can make it run away (lex.go `trimPrefix`, `trimSuffix`,
//! `reversePattern`, and the `/` case of `processDollar`).

use super::MAX_OUTPUT;
use std::collections::HashSet;

/// Why a pattern operation gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PatternFailure {
    /// BuildKit's `invalid pattern` reason (`invalid escape '\x'`).
    Invalid(String),
    /// The replacement result passed [`MAX_OUTPUT`].
    TooLong,
}

impl From<String> for PatternFailure {
    fn from(reason: String) -> PatternFailure {
        PatternFailure::Invalid(reason)
    }
}

/// One element of a converted pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// Go's `.`: any character but a newline.
    Any,
    /// `.*` or `.*?`: a run of characters without a newline.
    Star,
}

/// Work allowed to one search before it gives up (and reports no match).
const STEP_BUDGET: u64 = 500_000;

/// `convertShellPatternToRegex`: `\` escapes `*`, `?` and `\`; a `\` before `}` or `/` is
/// dropped (it was only needed to keep the `${...}` open); any other escape is an error,
/// reported as BuildKit words it (`invalid escape '\x'`).
fn convert(pattern: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    // text/scanner skips a byte order mark at the very start.
    let pattern = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => {
                // `.*.*` matches what `.*` matches, in the same order: fold runs of stars so
                // deep backtracking cannot come from `****`.
                if toks.last() != Some(&Tok::Star) {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '\\' => match chars.peek().copied() {
                Some('}') | Some('/') => {}
                next => {
                    chars.next();
                    match next {
                        Some(e @ ('*' | '?' | '\\')) => toks.push(Tok::Lit(e)),
                        Some(e) => return Err(format!("invalid escape '\\{e}'")),
                        None => return Err("invalid escape '\\\u{fffd}'".to_string()),
                    }
                }
            },
            c => toks.push(Tok::Lit(c)),
        }
    }
    Ok(toks)
}

/// A compiled pattern over the characters of one value.
struct Search<'a> {
    toks: &'a [Tok],
    text: &'a [char],
    greedy: bool,
    /// `(token index of a star, text index)` states known to fail.
    failed: HashSet<(usize, usize)>,
    steps: u64,
}

struct Frame {
    star: usize,
    from: usize,
    cur: usize,
    hi: usize,
}

impl<'a> Search<'a> {
    fn new(toks: &'a [Tok], text: &'a [char], greedy: bool) -> Search<'a> {
        Search {
            toks,
            text,
            greedy,
            failed: HashSet::new(),
            steps: 0,
        }
    }

    /// The end of the first match (in Go's priority order) starting at `start`.
    fn match_at(&mut self, start: usize) -> Option<usize> {
        let mut stack: Vec<Frame> = Vec::new();
        let (mut pi, mut ti) = (0usize, start);
        loop {
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return None;
            }
            // Walk the plain tokens up to the next star or the end.
            let mut ok = true;
            loop {
                match self.toks.get(pi) {
                    None => return Some(ti),
                    Some(Tok::Lit(c)) => {
                        if self.text.get(ti) == Some(c) {
                            pi += 1;
                            ti += 1;
                        } else {
                            ok = false;
                            break;
                        }
                    }
                    Some(Tok::Any) => match self.text.get(ti) {
                        Some(c) if *c != '\n' => {
                            pi += 1;
                            ti += 1;
                        }
                        _ => {
                            ok = false;
                            break;
                        }
                    },
                    Some(Tok::Star) => break,
                }
                self.steps += 1;
            }
            if ok && !self.failed.contains(&(pi, ti)) {
                let mut hi = ti;
                while self.text.get(hi).is_some_and(|c| *c != '\n') {
                    hi += 1;
                }
                let cur = if self.greedy { hi } else { ti };
                stack.push(Frame {
                    star: pi,
                    from: ti,
                    cur,
                    hi,
                });
                pi += 1;
                ti = cur;
                continue;
            }
            // Backtrack to the innermost star with a candidate left.
            loop {
                let frame = stack.last_mut()?;
                let next = if self.greedy {
                    (frame.cur > frame.from).then(|| frame.cur - 1)
                } else {
                    (frame.cur < frame.hi).then(|| frame.cur + 1)
                };
                match next {
                    Some(n) => {
                        frame.cur = n;
                        pi = frame.star + 1;
                        ti = n;
                        break;
                    }
                    None => {
                        self.failed.insert((frame.star, frame.from));
                        stack.pop();
                    }
                }
                self.steps += 1;
            }
        }
    }

    /// The leftmost match at or after `from`: `(start, end)` in characters.
    fn find_from(&mut self, from: usize) -> Option<(usize, usize)> {
        (from..=self.text.len()).find_map(|s| self.match_at(s).map(|e| (s, e)))
    }
}

/// `trimPrefix`: remove the shortest (or, `greedy`, longest) prefix matching `pattern`.
pub(super) fn trim_prefix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, PatternFailure> {
    let toks = convert(pattern)?;
    let text: Vec<char> = value.chars().collect();
    let mut search = Search::new(&toks, &text, greedy);
    Ok(match search.match_at(0) {
        Some(end) => text.get(end..).unwrap_or_default().iter().collect(),
        None => value.to_string(),
    })
}

/// `trimSuffix`: BuildKit reverses pattern and value and trims a prefix.
pub(super) fn trim_suffix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, PatternFailure> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// `reversePattern`: reverse, keeping each `\x` escape in order.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<&[char]> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let take = if chars[i] == '\\' && i + 1 < chars.len() {
            2
        } else {
            1
        };
        units.push(&chars[i..i + take]);
        i += take;
    }
    units.iter().rev().flat_map(|u| u.iter()).collect()
}

/// `${V/p/r}` (first match, replacement taken literally) and `${V//p/r}` (Go's
/// `ReplaceAllString`, whose replacement expands `$0`/`${0}` to the match, `$$` to `$`).
pub(super) fn replace(
    pattern: &str,
    value: &str,
    replacement: &str,
    all: bool,
) -> Result<String, PatternFailure> {
    let toks = convert(pattern)?;
    let text: Vec<char> = value.chars().collect();
    let mut search = Search::new(&toks, &text, true);
    let slice =
        |a: usize, b: usize| -> String { text.get(a..b).unwrap_or_default().iter().collect() };
    if !all {
        return Ok(match search.find_from(0) {
            Some((a, b)) => format!("{}{}{}", slice(0, a), replacement, slice(b, text.len())),
            None => value.to_string(),
        });
    }
    // regexp.(*Regexp).replaceAll, in characters.
    let mut out = String::new();
    let (mut last_end, mut pos) = (0usize, 0usize);
    while pos <= text.len() {
        let Some((a, b)) = search.find_from(pos) else {
            break;
        };
        out.push_str(&slice(last_end, a));
        // No replacement for an empty match right after the previous match.
        if b > last_end || a == 0 {
            out.push_str(&expand_template(replacement, &slice(a, b)));
        }
        last_end = b;
        pos = if b > pos { b } else { pos + 1 };
        if out.len() > MAX_OUTPUT {
            return Err(PatternFailure::TooLong);
        }
    }
    out.push_str(&slice(last_end, text.len()));
    Ok(out)
}

/// Go's `regexp.expand` for a regex without groups: `$$` is `$`, `$0`/`${0}` the match,
/// other names (there are no groups) nothing, and a malformed `$` stays.
fn expand_template(template: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match extract_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

/// `regexp.extract`: a name (letters, digits, `_`) or `{name}` after a `$`.
fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|c| super::lexer::is_letter(*c) || super::lexer::is_digit(*c) || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut after = &body[len..];
    if brace {
        after = after.strip_prefix('}')?;
    }
    Some((name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_and_longest_prefixes_and_suffixes() {
        assert_eq!(trim_prefix("a*", "abcabc", false).unwrap(), "bcabc");
        assert_eq!(trim_prefix("a*", "abcabc", true).unwrap(), "");
        assert_eq!(trim_suffix("b*", "abcabc", false).unwrap(), "abca");
        assert_eq!(trim_suffix("b*", "abcabc", true).unwrap(), "a");
        assert_eq!(trim_prefix("x", "abc", true).unwrap(), "abc");
        assert!(trim_prefix("a\\b", "abc", true).is_err());
    }

    #[test]
    fn conversion_and_reversal_as_in_lex_test_go() {
        // TestConvertShellPatternToRegex: `\}` loses its backslash, specials are literal.
        let toks = convert("(()[]{\\}^$.\\*\\?|\\\\").unwrap();
        let lits: String = toks
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => *c,
                _ => '#',
            })
            .collect();
        assert_eq!(lits, "(()[]{}^$.*?|\\");
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(convert(bad).is_err(), "{bad}");
        }
        // TestReversePattern.
        for (p, want) in [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
        ] {
            assert_eq!(reverse_pattern(p), want, "{p}");
        }
    }

    #[test]
    fn replace_first_and_all_like_go() {
        assert_eq!(replace("b", "abcb", "X", false).unwrap(), "aXcb");
        assert_eq!(replace("b", "abcb", "X", true).unwrap(), "aXcX");
        assert_eq!(replace("*", "ab", "-", true).unwrap(), "-");
        assert_eq!(replace("x*", "abc", "-", true).unwrap(), "abc");
        assert_eq!(replace("?", "abc", "-", true).unwrap(), "---");
        assert_eq!(replace("b", "abc", "[$0$$]", true).unwrap(), "a[b$]c");
    }
}
