//! One `.dockerignore` pattern: its original line, the cleaned text BuildKit matches with, and
//! the compiled glob. Built by `patternmatcher.New`'s rules: trim, `filepath.Clean`, a leading
//! `!` makes an exception (`!` alone is an error), and Go's `filepath.Match` must accept it.

use super::clean::clean;
use super::glob::{compile, Glob};
use super::regex::RegexError;
use super::validate::is_valid_filepath_pattern;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// 1-based line in the `.dockerignore` (0 when built from a list).
    pub line: u32,
    /// The line as the user wrote it (without its line ending).
    pub original: String,
    /// The cleaned pattern without `!` (`Pattern.String()` in patternmatcher).
    pub text: String,
    /// A `!` exception: a match re-includes the path.
    pub exclusion: bool,
    /// The matcher, or why Go's regexp refuses it (BuildKit fails when the pattern is used).
    pub(crate) glob: Result<Glob, RegexError>,
}

/// Why a pattern is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternErrorKind {
    /// A line that is just `!`.
    IllegalExclusion,
    /// Rejected by Go's `filepath.Match` (unclosed `[`, `[]a]`, `[a-b-c]`, trailing `\`).
    BadSyntax,
    /// Accepted by `filepath.Match` but not by Go's regexp (e.g. `[z-a]`): BuildKit fails
    /// with `syntax error in pattern` only when a path is matched against it.
    BadRegex(RegexError),
    /// Longer than `bufio.Scanner` reads (64 KiB): the whole file is refused.
    LineTooLong,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub line: u32,
    /// The pattern as `ReadAll` returned it.
    pub pattern: String,
    /// Byte range of the line in the `.dockerignore` text (empty when built from a list).
    pub start: usize,
    pub end: usize,
    pub kind: PatternErrorKind,
}

impl PatternError {
    /// Returns true if and only if BuildKit refuses the whole pattern list up front
    /// (`patternmatcher.New` or `ReadAll` fails), rather than on first use.
    pub fn is_fatal(&self) -> bool {
        !matches!(self.kind, PatternErrorKind::BadRegex(_))
    }
}

impl PatternError {
    /// A diagnostic located in the `.dockerignore` text (fatal errors are errors, patterns
    /// that only fail when used are warnings).
    pub fn to_diagnostic(&self) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::Diagnostic;
        let range = crate::text::TextRange::new(self.start, self.end.max(self.start));
        let message = format!("line {}: {}: {}", self.line, self.pattern, self);
        if self.is_fatal() {
            Diagnostic::error("dockerignore-pattern", range, message)
        } else {
            Diagnostic::warning("dockerignore-pattern", range, message)
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PatternErrorKind::IllegalExclusion => f.write_str("illegal exclusion pattern: \"!\""),
            PatternErrorKind::BadSyntax | PatternErrorKind::BadRegex(_) => {
                f.write_str("syntax error in pattern")
            }
            PatternErrorKind::LineTooLong => f.write_str("bufio.Scanner: token too long"),
        }
    }
}

/// What `patternmatcher.New` does with one entry: `None` for a blank entry.
pub(crate) fn build(
    entry: &str,
    line: u32,
    original: &str,
) -> Option<Result<Pattern, PatternErrorKind>> {
    let trimmed = entry.trim();
    if trimmed.is_empty() {
        return None;
    }
    let cleaned = clean(trimmed);
    let (exclusion, text) = match cleaned.strip_prefix('!') {
        Some("") => return Some(Err(PatternErrorKind::IllegalExclusion)),
        Some(rest) => (true, rest.to_string()),
        None => (false, cleaned.clone()),
    };
    if !is_valid_filepath_pattern(&text) {
        return Some(Err(PatternErrorKind::BadSyntax));
    }
    let glob = compile(&text);
    Some(Ok(Pattern {
        line,
        original: original.to_string(),
        text,
        exclusion,
        glob,
    }))
}

impl Pattern {
    /// `Pattern.match`: `Err` when Go's regexp refuses the pattern (ErrBadPattern).
    pub fn is_match(&self, path: &str) -> Result<bool, &RegexError> {
        match &self.glob {
            Ok(g) => Ok(g.is_match(path)),
            Err(e) => Err(e),
        }
    }

    /// The Go regular expression BuildKit builds for this pattern, if it builds one.
    pub fn regex_source(&self) -> Option<&str> {
        self.glob.as_ref().ok().and_then(Glob::regex_source)
    }

    /// patternmatcher's match type: `exact`, `prefix`, `suffix` or `regexp`.
    pub fn match_kind(&self) -> &'static str {
        match &self.glob {
            Ok(Glob::Exact(_)) => "exact",
            Ok(Glob::Prefix(_)) => "prefix",
            Ok(Glob::Suffix(_)) => "suffix",
            Ok(Glob::Regex(_)) | Err(_) => "regexp",
        }
    }
}
