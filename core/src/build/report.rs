//! The result of one simulated build: plain data for the CLI and the UI (no behaviour).

use crate::diagnostic::Diagnostic;
use crate::fs::LayerEntry;
use crate::image::ImageConfig;
use crate::stages::StageGraph;
use crate::text::TextRange;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What one build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub ok: bool,
    pub error: Option<BuildError>,
    /// Stages reachable from the target, in index order.
    pub stages_built: Vec<StageInfo>,
    /// The other stages, with why they were skipped.
    pub stages_not_built: Vec<StageInfo>,
    /// Printed steps (FROM, RUN, COPY, ADD, WORKDIR except `WORKDIR /`), each vertex once.
    pub steps: Vec<StepReport>,
    pub image: Option<ImageReport>,
    /// Warnings and errors found on the way (lowering, stale context files, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// The stage graph the build used (bases, `FROM`/`--from` edges, target), for views that
    /// draw it; None when the file did not get that far (a syntax error).
    pub graph: Option<Arc<StageGraph>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub message: String,
    /// The instruction that failed (empty range when the failure is not tied to one).
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageInfo {
    pub index: usize,
    pub name: Option<String>,
    /// `name` or `stage-<index>`.
    pub label: String,
    /// Why the stage was not built (None for built stages).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Cached,
    Run,
    Error,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Cached => "CACHED",
            StepStatus::Run => "RUN",
            StepStatus::Error => "ERROR",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    pub stage: String,
    pub stage_index: usize,
    /// `FROM`, `RUN`, `COPY`, `ADD`, `WORKDIR`.
    pub instruction: String,
    /// As BuildKit prints it: keyword upper-case, in-scope variables expanded.
    pub text: String,
    pub status: StepStatus,
    /// Why it re-ran (None when CACHED).
    pub reason: Option<String>,
    pub range: TextRange,
    pub start_line: u32,
    pub end_line: u32,
    /// `[pos/of]` as BuildKit numbers the stage's steps.
    pub pos: usize,
    pub of: usize,
    /// Size of the layer the step produced (bytes).
    pub size: u64,
    /// What the command printed (RUN), when the interpreter reports it.
    pub output: String,
}

impl StepReport {
    /// The `[label i/n]` prefix BuildKit's progress puts before the step's text: `i`
    /// right-aligned to the width of `n`, no label when the build has one dispatch state
    /// (dockerfile2llb `prefixCommand`).
    pub fn progress_prefix(&self) -> String {
        let width = self.of.to_string().len();
        let label = if self.stage.is_empty() {
            String::new()
        } else {
            format!("{} ", self.stage)
        };
        format!("[{label}{:>width$}/{}]", self.pos, self.of)
    }
}

/// One `docker history` row, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub created_by: String,
    pub size: u64,
    pub empty_layer: bool,
    /// The layer this row made (index into `ImageReport::layers`), None for empty rows.
    pub layer: Option<usize>,
    /// 1-based line of the instruction, None for base-image rows.
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerReport {
    pub size: u64,
    pub entries: Vec<LayerEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReport {
    pub size: u64,
    pub layer_count: usize,
    pub history: Vec<HistoryRow>,
    pub layers: Vec<LayerReport>,
    pub config: ImageConfig,
    /// The stage whose result the image is.
    pub stage: String,
    /// Extra facts for people (e.g. estimated figures), by topic.
    pub notes: BTreeMap<String, String>,
}
