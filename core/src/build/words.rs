//! Word expansion as the build driver needs it, in the three modes BuildKit's dispatcher uses:
//! full (ENV/LABEL/COPY paths: quotes removed, unset = empty), printing (step names: quotes
//! and escapes kept, unset variables left as written: `processCmdEnv` with `RawQuotes`,
//! `SkipUnsetEnv`), and heredoc bodies (variables only, quotes kept).
//!
//! Adapter: the project's `crate::expand` (BuildKit's full lexer) replaces the core of this
//! when it lands; the modes and the "used names" result stay.

/// How to expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Shell-word semantics: quotes removed, `\x` → `x`, unset → "".
    Word,
    /// Step names: quotes and backslashes kept, unset variables kept literally.
    Print,
    /// Heredoc bodies: only `$` expansions; everything else literal.
    Heredoc,
}

/// Expands `text` with `lookup`; returns the result and the names looked up.
pub fn expand(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    mode: Mode,
) -> (String, Vec<String>) {
    expand_at(text, lookup, mode, 0)
}

/// Nested `${A:-${B:-...}}` deeper than this is left as written (bounds the recursion).
const MAX_DEPTH: usize = 32;

fn expand_at(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    mode: Mode,
    depth: usize,
) -> (String, Vec<String>) {
    if depth > MAX_DEPTH {
        return (text.to_string(), Vec::new());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut used = Vec::new();
    let mut i = 0usize;
    let mut in_single = false;
    let mut in_double = false;
    // Bounded: every iteration consumes at least one char.
    while let Some(&c) = chars.get(i) {
        if mode != Mode::Heredoc {
            if c == '\'' && !in_double {
                in_single = !in_single;
                if mode == Mode::Print {
                    out.push(c);
                }
                i += 1;
                continue;
            }
            if in_single {
                out.push(c);
                i += 1;
                continue;
            }
            if c == '"' {
                in_double = !in_double;
                if mode == Mode::Print {
                    out.push(c);
                }
                i += 1;
                continue;
            }
            if c == '\\' {
                if let Some(&next) = chars.get(i + 1) {
                    if mode == Mode::Print || (in_double && !matches!(next, '"' | '\\' | '$')) {
                        out.push(c);
                    }
                    out.push(next);
                    i += 2;
                } else {
                    out.push(c);
                    i += 1;
                }
                continue;
            }
        }
        if c == '$' {
            let (consumed, replacement) = dollar(&chars[i + 1..], lookup, mode, &mut used, depth);
            match replacement {
                Some(r) => out.push_str(&r),
                None => chars[i..=i + consumed].iter().for_each(|c| out.push(*c)),
            }
            i += consumed + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, used)
}

/// Expands what follows a `$`. Returns how many chars after the `$` were consumed and the
/// replacement (`None` = keep the text literally).
fn dollar(
    rest: &[char],
    lookup: &dyn Fn(&str) -> Option<String>,
    mode: Mode,
    used: &mut Vec<String>,
    depth: usize,
) -> (usize, Option<String>) {
    let keep_unset = mode == Mode::Print;
    match rest.first() {
        Some('{') => {
            let Some(close) = matching_brace(rest) else {
                return (0, None);
            };
            let inner: String = rest[1..close].iter().collect();
            let name_end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let name = &inner[..name_end];
            let op = &inner[name_end..];
            if name.is_empty() {
                return (close, None);
            }
            used.push(name.to_string());
            let val = lookup(name);
            let word = |w: &str| {
                let m = if mode == Mode::Print {
                    Mode::Print
                } else {
                    Mode::Word
                };
                expand_at(w, lookup, m, depth + 1).0
            };
            let res = if op.is_empty() {
                match val {
                    Some(v) => Some(v),
                    None if keep_unset => None,
                    None => Some(String::new()),
                }
            } else if let Some(d) = op.strip_prefix(":-") {
                Some(match val.filter(|v| !v.is_empty()) {
                    Some(v) => v,
                    None => word(d),
                })
            } else if let Some(d) = op.strip_prefix('-') {
                Some(match val {
                    Some(v) => v,
                    None => word(d),
                })
            } else if let Some(a) = op.strip_prefix(":+") {
                Some(if val.is_some_and(|v| !v.is_empty()) {
                    word(a)
                } else {
                    String::new()
                })
            } else if let Some(a) = op.strip_prefix('+') {
                Some(if val.is_some() {
                    word(a)
                } else {
                    String::new()
                })
            } else if keep_unset {
                None
            } else {
                Some(val.unwrap_or_default())
            };
            (close + 1, res)
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let len = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            let name: String = rest[..len].iter().collect();
            used.push(name.clone());
            match lookup(&name) {
                Some(v) => (len, Some(v)),
                None if keep_unset => (len, None),
                None => (len, Some(String::new())),
            }
        }
        _ => (0, None),
    }
}

fn matching_brace(rest: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in rest.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "A" => Some("1".into()),
            "E" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn three_modes() {
        assert_eq!(
            expand(r#""two words" $A-x ${B:-d}"#, &env, Mode::Word).0,
            "two words 1-x d"
        );
        assert_eq!(
            expand(r#"echo "$A" '$A' $B > /x"#, &env, Mode::Print).0,
            r#"echo "1" '$A' $B > /x"#
        );
        assert_eq!(
            expand("g=${A} \"$B\"\n", &env, Mode::Heredoc).0,
            "g=1 \"\"\n"
        );
        assert_eq!(expand("${E:-d}${E-d}${A:+y}", &env, Mode::Word).0, "dy");
        assert_eq!(expand("$", &env, Mode::Word).0, "$");
        // Deep nesting is bounded, not a stack overflow.
        let deep = format!("{}x{}", "${B:-".repeat(10_000), "}".repeat(10_000));
        assert!(!expand(&deep, &env, Mode::Word).0.is_empty());
    }
}
