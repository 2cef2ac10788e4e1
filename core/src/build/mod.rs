//! The build driver: simulate one build of a Dockerfile over a context against a cache, producing an image.
//!
//! [`simulate`] is the façade the CLI and the UI call: it parses, lowers, resolves the stage
//! graph for the target, transfers the context (with BuildKit's metadata-only comparison),
//! then dispatches every needed stage, deciding CACHED or RUN per step against the
//! [`CacheStore`] the caller keeps across builds, and reports steps, stages and the image.
//!
//! - `driver.rs` orders stages and runs the step protocol (key → cached? → run → record);
//! - `from.rs`, `run.rs`, `copy.rs`, `workdir.rs`, `meta.rs`: one keyword family each;
//! - `history.rs`: `created_by` texts; `report.rs`: the result types;
//! - `context.rs`: the context transfer; `glob.rs`: COPY source globs; `words.rs`: expansion
//!   in BuildKit's three modes; `exec.rs`: the RUN interpreter; `scenario.rs`: buildkit-truth replay.

mod checks;
mod context;
pub mod contract_json;
mod copy;
mod driver;
mod exec;
mod from;
mod glob;
mod history;
mod inflate;
mod meta;
mod op_key;
mod owner;
mod report;
mod run;
pub mod scenario;
mod sources;
mod state;
mod tar;
mod words;
mod workdir;

pub use crate::cache::CacheStore;
pub use crate::context::BuildContext as Context;
pub use report::{
    BuildError, BuildReport, HistoryRow, ImageReport, LayerReport, StageInfo, StepReport,
    StepStatus,
};

use std::collections::BTreeMap;

/// The options of one build (`docker build --target T --build-arg K=V --no-cache`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    pub target: Option<String>,
    pub build_args: BTreeMap<String, String>,
    pub no_cache: bool,
}

/// Simulates one build. `cache` carries what earlier builds left (results by key, cache mounts,
/// the last transferred context); pass the same store to the next build.
/// Base images resolve strictly: an image the catalog does not know fails the build, as a
/// registry miss does (what `replay` needs).
pub fn simulate(
    dockerfile: &str,
    context: &Context,
    options: &BuildOptions,
    cache: &mut CacheStore,
) -> BuildReport {
    driver::simulate(dockerfile, context, options, cache, false)
}

/// Like [`simulate`], but an image the catalog does not know is replaced by a labelled
/// placeholder (with an `unknown-image` warning) so the playground can still build.
pub fn simulate_with_placeholders(
    dockerfile: &str,
    context: &Context,
    options: &BuildOptions,
    cache: &mut CacheStore,
) -> BuildReport {
    driver::simulate(dockerfile, context, options, cache, true)
}

#[cfg(test)]
mod tests;
