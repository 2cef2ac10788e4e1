//! Dockerfile syntax: text in, a tree of instruction nodes out, with spans and diagnostics.
//!
//! This layer mirrors BuildKit's *parser* package (frontend/dockerfile/parser): it knows lines,
//! directives, continuations, heredocs, flags and JSON-vs-shell form, but not what an
//! instruction means. Parsing never fails: every call returns a `Parse` with the nodes it could
//! read and the problems it found, and after a bad instruction it resumes at the next one.
//!
//! Files, in reading order: `lines` (physical/logical lines, continuations), `directives`,
//! `flags` (splitCommand), `words`, `json_form`, `line_parsers` (per keyword), `shell_words` +
//! `heredoc` (heredoc headers), `parser` (the driver), `dump` (BuildKit's test dump),
//! `suggest` (did you mean), `highlight` (editor tokens).

mod directives;
mod dump;
mod flags;
mod heredoc;
mod highlight;
mod json_form;
mod line_parsers;
mod lines;
mod node;
mod parser;
mod shell_words;
mod suggest;
mod words;

#[cfg(test)]
mod tests;

pub use dump::{dump, dump_node, go_quote};
pub use highlight::{highlight, highlight_parse, TokenKind};
pub use line_parsers::{is_keyword, KEYWORDS};
pub use node::{Directives, Flag, Heredoc, Node, Parse, Word};
pub use parser::parse;
pub use suggest::suggest_keyword;

use crate::diagnostic::Diagnostic;

/// The diagnostic codes the syntax layer emits.
pub mod codes {
    /// "file with no instructions" (BuildKit rejects).
    pub const EMPTY_DOCKERFILE: &str = "empty-dockerfile";
    /// "unterminated heredoc" (BuildKit rejects).
    pub const UNTERMINATED_HEREDOC: &str = "unterminated-heredoc";
    /// A heredoc delimiter the shell lexer cannot read (BuildKit rejects).
    pub const HEREDOC_SYNTAX: &str = "heredoc-syntax";
    /// "when using JSON array syntax, arrays must be comprised of strings only" (BuildKit rejects).
    pub const JSON_NOT_STRINGS: &str = "json-not-strings";
    /// "ENV must have two arguments" / "LABEL must have two arguments" (BuildKit rejects).
    pub const MISSING_ARGUMENTS: &str = "missing-arguments";
    /// "Syntax error - can't find = in ..." (BuildKit rejects).
    pub const MISSING_EQUALS: &str = "missing-equals";
    /// "only one X parser directive can be used" (BuildKit rejects).
    pub const DUPLICATE_DIRECTIVE: &str = "duplicate-directive";
    /// "invalid escape token 'x' does not match ` or \" (BuildKit rejects).
    pub const INVALID_ESCAPE: &str = "invalid-escape";
    /// "dockerfile line greater than max allowed size of 65535" (BuildKit rejects).
    pub const LINE_TOO_LONG: &str = "line-too-long";
    /// An instruction BuildKit does not know: its parser accepts it (`parseIgnore`), the
    /// instructions layer rejects it. An error for us, but not fatal in the parse contract.
    pub const UNKNOWN_INSTRUCTION: &str = "unknown-instruction";
    /// BuildKit's parser warning "Empty continuation line found in: ...".
    pub const EMPTY_CONTINUATION: &str = "empty-continuation";

    /// The codes of errors BuildKit's parser (parser.go) itself stops at.
    pub const FATAL_IN_BUILDKIT: [&str; 9] = [
        EMPTY_DOCKERFILE,
        UNTERMINATED_HEREDOC,
        HEREDOC_SYNTAX,
        JSON_NOT_STRINGS,
        MISSING_ARGUMENTS,
        MISSING_EQUALS,
        DUPLICATE_DIRECTIVE,
        INVALID_ESCAPE,
        LINE_TOO_LONG,
    ];
}

/// Returns true if and only if BuildKit's parser itself would reject the file for this
/// diagnostic (so `layerlab parse --json` prints `"ok": false`).
pub fn is_fatal_in_buildkit(d: &Diagnostic) -> bool {
    d.is_error() && codes::FATAL_IN_BUILDKIT.contains(&d.code)
}

/// BuildKit's `ParseHeredoc(word)`: the delimiter name when `word` (e.g. `<<-'EOF'`) opens a
/// heredoc, `Ok(None)` when it does not, `Err` with BuildKit's message for a broken delimiter.
pub fn parse_heredoc_word(word: &str) -> Result<Option<String>, String> {
    heredoc::parse_heredoc(word).map(|h| h.map(|h| h.name))
}

/// BuildKit's `heredocsFromLine(line)`: the delimiter names a RUN/COPY/ADD line opens, in order.
pub fn heredoc_names_in_line(line: &str) -> Result<Vec<String>, String> {
    heredoc::heredocs_from_line(line).map(|hs| hs.into_iter().map(|h| h.name).collect())
}
