//! Dockerfile syntax: text in, a tree of instruction nodes out, with spans and diagnostics.
//!
//! This layer mirrors BuildKit's *parser* package (frontend/dockerfile/parser): it knows lines,
//! directives, continuations, heredocs, flags and JSON-vs-shell form, but not what an
//! instruction means. Parsing never fails: every call returns a `Parse` with the nodes it could
//! read and the problems it found, and after a bad instruction it resumes at the next one.

mod node;
mod parser;

pub use node::{Directives, Flag, Heredoc, Node, Parse, Word};
pub use parser::parse;
