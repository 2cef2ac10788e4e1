//! Turning one cleaned pattern into a matcher, exactly as moby/patternmatcher's
//! `Pattern.compile` does: a literal pattern is an exact match, `dir/**` a prefix match,
//! `**/name` a suffix match, and everything else a Go regular expression built from the
//! pattern (`*` → `[^/]*`, `?` → `[^/]`, `**/` → `(.*/)?`, `[...]` passed through). The regex
//! is then parsed and run by our small engine in `regex.rs`, so odd inputs such as `[*]` (whose
//! class swallows the generated `[^/]*`) behave as they do in BuildKit.

use super::regex::{Regex, RegexError};

/// How a compiled pattern matches (`matchType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    /// The path equals the pattern.
    Exact(String),
    /// The path starts with this (the pattern minus its trailing `**`).
    Prefix(String),
    /// The path ends with this (the pattern minus its leading `**`), or equals it minus a
    /// leading `/` (`**/foo` matches `foo`).
    Suffix(String),
    Regex(Regex),
}

/// Compiles a cleaned pattern (without its `!`). `Err` is a regex BuildKit cannot compile
/// (e.g. `[Local-Only]`, an inverted range): matching with it fails with ErrBadPattern.
pub fn compile(pattern: &str) -> Result<Glob, RegexError> {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    // text/scanner skips a byte order mark at the very start.
    let scanned = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
    let mut chars = scanned.chars().peekable();
    let mut i = 0usize;
    while let Some(ch) = chars.next() {
        if ch == '*' {
            if chars.peek() == Some(&'*') {
                chars.next();
                // `**/` is `**`: eat the slash.
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                if chars.peek().is_none() {
                    // `**` at the end accepts everything, as in .gitignore.
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    // Any number of directories, even none.
                    re.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                if i == 0 {
                    kind = Kind::Suffix;
                }
            } else {
                re.push_str("[^/]*");
                kind = Kind::Regex;
            }
        } else if ch == '?' {
            re.push_str("[^/]");
            kind = Kind::Regex;
        } else if ".+()|{}$".contains(ch) {
            re.push('\\');
            re.push(ch);
        } else if ch == '\\' {
            match chars.next() {
                Some(next) => {
                    re.push('\\');
                    re.push(next);
                    kind = Kind::Regex;
                }
                None => re.push('\\'),
            }
        } else if ch == '[' || ch == ']' {
            re.push(ch);
            kind = Kind::Regex;
        } else {
            re.push(ch);
        }
        i += 1;
    }
    Ok(match kind {
        Kind::Exact => Glob::Exact(pattern.to_string()),
        Kind::Prefix => Glob::Prefix(
            pattern
                .get(..pattern.len().saturating_sub(2))
                .unwrap_or("")
                .to_string(),
        ),
        Kind::Suffix => Glob::Suffix(pattern.get(2..).unwrap_or("").to_string()),
        Kind::Regex => {
            re.push('$');
            Glob::Regex(Regex::new(&re)?)
        }
    })
}

impl Glob {
    /// `Pattern.match` for a cleaned slash path.
    pub fn is_match(&self, path: &str) -> bool {
        match self {
            Glob::Exact(p) => path == p,
            Glob::Prefix(p) => path.starts_with(p.as_str()),
            Glob::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Glob::Regex(re) => re.is_match(path),
        }
    }

    /// The regular expression BuildKit builds, for display (`None` for the non-regex kinds).
    pub fn regex_source(&self) -> Option<&str> {
        match self {
            Glob::Regex(re) => Some(re.source()),
            _ => None,
        }
    }
}
