//! Why an expansion failed, as data with a byte range into the word. `Display` gives
//! BuildKit's inner message; [`ExpandError::buildkit_message`] adds the
//! `failed to process "<word>": ` prefix that `shellWord.process` wraps around it (lex.go).

use crate::text::{go_quote, TextRange};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// `'abc` without its closing quote.
    UnterminatedSingleQuote { range: TextRange },
    /// `"abc` without its closing quote.
    UnterminatedDoubleQuote { range: TextRange },
    /// The word ended while a `${...}` or `${V/p/r}` part was still open (`expected` is `}`).
    Unterminated { expected: char, range: TextRange },
    /// `${` followed by the end of the word, or a `${V:-...` whose `}` never comes.
    MissingBrace { range: TextRange },
    /// `${V/pattern` with no second `/`.
    MissingSlash { range: TextRange },
    /// `${}`, `${:x}`, `${{x}`.
    BadSubstitution { range: TextRange },
    /// `${V=x}`, `${V:x}`, `${V:#x}`: `modifier` is the text after the name, as BuildKit
    /// prints it (`=`, `:x`, `:#`).
    UnsupportedModifier { modifier: String, range: TextRange },
    /// `${V?msg}` / `${V:?msg}` with V unset (or empty for `:?`): the author's error.
    Required {
        name: String,
        message: String,
        empty: bool,
        range: TextRange,
    },
    /// A `#`/`%`/`/` pattern BuildKit cannot convert (`invalid escape '\x'`).
    InvalidPattern {
        pattern: String,
        reason: String,
        range: TextRange,
    },
    /// Nesting deeper than [`super::MAX_NESTING`]: BuildKit would recurse on, we refuse
    /// rather than overflow the stack of a browser tab.
    TooDeep { range: TextRange },
    /// The result grew past [`super::MAX_OUTPUT`] bytes (nested `${V//p/$V...}` can double
    /// it at every level); we stop rather than exhaust a browser tab's memory.
    TooLong { range: TextRange },
}

impl ExpandError {
    /// The bytes of the word the error is about.
    pub fn range(&self) -> TextRange {
        match self {
            ExpandError::UnterminatedSingleQuote { range }
            | ExpandError::UnterminatedDoubleQuote { range }
            | ExpandError::Unterminated { range, .. }
            | ExpandError::MissingBrace { range }
            | ExpandError::MissingSlash { range }
            | ExpandError::BadSubstitution { range }
            | ExpandError::UnsupportedModifier { range, .. }
            | ExpandError::Required { range, .. }
            | ExpandError::InvalidPattern { range, .. }
            | ExpandError::TooDeep { range }
            | ExpandError::TooLong { range } => *range,
        }
    }

    /// A diagnostic for a word that starts at byte `word_start` of the Dockerfile.
    pub fn to_diagnostic(&self, word: &str, word_start: usize) -> crate::diagnostic::Diagnostic {
        let r = self.range();
        let range = TextRange::new(word_start + r.start as usize, word_start + r.end as usize);
        crate::diagnostic::Diagnostic::error("expansion", range, self.buildkit_message(word))
    }

    /// The whole message BuildKit prints: `failed to process "<word>": <inner>`.
    pub fn buildkit_message(&self, word: &str) -> String {
        format!("failed to process {}: {}", go_quote(word), self)
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::UnterminatedSingleQuote { .. } => {
                f.write_str("unexpected end of statement while looking for matching single-quote")
            }
            ExpandError::UnterminatedDoubleQuote { .. } => {
                f.write_str("unexpected end of statement while looking for matching double-quote")
            }
            ExpandError::Unterminated { expected, .. } => {
                write!(
                    f,
                    "unexpected end of statement while looking for matching {expected}"
                )
            }
            ExpandError::MissingBrace { .. } => f.write_str("syntax error: missing '}'"),
            ExpandError::MissingSlash { .. } => f.write_str("syntax error: missing '/' in ${}"),
            ExpandError::BadSubstitution { .. } => f.write_str("syntax error: bad substitution"),
            ExpandError::UnsupportedModifier { modifier, .. } => {
                write!(f, "unsupported modifier ({modifier}) in substitution")
            }
            ExpandError::Required { name, message, .. } => write!(f, "{name}: {message}"),
            ExpandError::InvalidPattern {
                pattern, reason, ..
            } => {
                write!(f, "invalid pattern ({pattern}) in substitution: {reason}")
            }
            ExpandError::TooDeep { .. } => f.write_str("variable substitutions nested too deeply"),
            ExpandError::TooLong { .. } => f.write_str("expanded word too long"),
        }
    }
}

impl std::error::Error for ExpandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_is_quoted_like_go_percent_q() {
        // BuildKit formats the word with `%q`: C escapes (`\a`, not `\x07`) and `\u` escapes
        // for non-printable characters, printable non-ASCII kept.
        let e = ExpandError::MissingBrace {
            range: TextRange::new(0, 1),
        };
        assert_eq!(
            e.buildkit_message("é\u{7}\u{a0}${"),
            r#"failed to process "é\a\u00a0${": syntax error: missing '}'"#
        );
    }
}
