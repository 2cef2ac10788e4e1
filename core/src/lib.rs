//! Layerlab's engine: everything the playground and the CLI know about Dockerfiles and builds.
//!
//! Layers, leaves first: `text` and `diagnostic` (vocabulary) ← `syntax` (BuildKit's parser).
//! This crate has no web dependencies; every byte of it ships to a learner's browser.

pub mod diagnostic;
pub mod syntax;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use syntax::parse;
pub use text::{LineIndex, TextRange};
