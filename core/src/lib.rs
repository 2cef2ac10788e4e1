//! Layerlab's engine: everything the playground and the CLI know about Dockerfiles and builds.
//!
//! Layers, leaves first (`a ← b`: b uses a):
//! - vocabulary: `text` (byte ranges, lines, UTF-16), `diagnostic`, `content` (file bytes/identity);
//! - leaves that know nothing of Dockerfiles: `expand`, `ignore`, `fs`, `image`, `packages`;
//! - `syntax` (BuildKit's parser) ← `instructions` (typed) ← `stages` ← `build`;
//! - `context` uses `ignore`; `shell` (RUN effects) uses `fs` + `packages`; `cache` keys steps;
//! - `build` drives one simulated build over all of them.
//!
//! This crate has no web dependencies; every byte of it ships to a learner's browser.

#![warn(clippy::disallowed_methods)]

pub mod build;
pub mod cache;
pub mod content;
pub mod context;
pub mod diagnostic;
pub mod expand;
pub mod fs;
pub mod ignore;
pub mod image;
pub mod instructions;
pub mod packages;
pub mod shell;
pub mod sorting;
pub mod stages;
pub mod syntax;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod units;

pub use build::{simulate, BuildOptions, BuildReport, CacheStore};
pub use diagnostic::{Diagnostic, Severity};
pub use syntax::parse;
pub use text::{LineIndex, TextRange};
