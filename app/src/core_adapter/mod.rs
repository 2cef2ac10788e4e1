//! The only module that calls `layerlab_core`: runs the core and maps its results to plain view
//! models the components render (style.md house rule 15, rust-analyzer's POD `ide` boundary).
//!
//! - `editor.rs`: parse → highlighted lines and diagnostics (byte spans → lines, UTF-16);
//! - `context.rs`: the virtual context → which files `.dockerignore` excludes;
//! - `build.rs`: `build::simulate` against a cache the page keeps → steps, stages, image;
//! - `image.rs`: the built image → history rows, sizes, config;
//! - `layers.rs`: per-layer file changes and dive's efficiency score.

mod build;
mod context;
mod editor;
mod image;
mod layers;

pub use build::Engine;
pub use context::context_view;
pub use editor::editor_view;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sev {
    Error,
    Warning,
    Info,
}

impl Sev {
    pub fn as_str(self) -> &'static str {
        match self {
            Sev::Error => "error",
            Sev::Warning => "warning",
            Sev::Info => "info",
        }
    }
}

/// One problem, located for people (1-based line and column) and for the textarea (UTF-16).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DiagnosticView {
    pub line: u32,
    pub col: u32,
    /// UTF-16 offsets into the Dockerfile (what `setSelectionRange` takes).
    pub start16: u32,
    pub end16: u32,
    pub severity: Sev,
    pub code: String,
    pub message: String,
}

/// A run of text of one highlight class on one line of the editor overlay.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segment {
    pub text: String,
    /// CSS class (`tk-keyword`, `tk-flag`, ...), empty for plain text.
    pub class: &'static str,
    /// Set when a diagnostic covers this run (drawn as a wavy underline).
    pub squiggle: Option<Sev>,
}

/// One line of the editor overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    /// Changes when anything shown on the line changes (the line list is keyed by it).
    pub key: u64,
    /// 1-based.
    pub number: u32,
    pub segments: Vec<Segment>,
    /// The worst diagnostic on the line.
    pub severity: Option<Sev>,
    /// The messages of the line's diagnostics, one per line (gutter tooltip).
    pub messages: String,
}

/// What the editor shows for the current text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EditorView {
    pub lines: Vec<LineView>,
    pub diagnostics: Vec<DiagnosticView>,
    pub n_instructions: usize,
}

/// One entry of the context tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntryView {
    pub path: String,
    pub name: String,
    pub depth: usize,
    pub is_dir: bool,
    pub size: u64,
    /// True when the build does not receive it (`.dockerignore`).
    pub excluded: bool,
    /// True for a text file (editable), false for a sized file or a directory.
    pub is_text: bool,
}

/// The context as the build will see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContextView {
    pub entries: Vec<ContextEntryView>,
    pub sent_files: usize,
    pub sent_bytes: u64,
    pub total_bytes: u64,
    /// A `.dockerignore` BuildKit refuses (the whole build fails with this message).
    pub ignore_error: Option<String>,
    /// Set when the Dockerfile is in the context and `.dockerignore` excludes it.
    pub dockerfile_excluded: bool,
}

/// One build step (`[stage n/m] RUN ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub stage: String,
    /// `[label i/n]` as BuildKit's progress prints it.
    pub prefix: String,
    pub line: u32,
    /// `CACHED`, `RUN` or `ERROR`.
    pub status: &'static str,
    pub instruction: String,
    pub text: String,
    pub reason: Option<String>,
    pub pos: usize,
    pub of: usize,
    pub size: u64,
    pub output: String,
}

/// Why a stage depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DepKind {
    From,
    CopyFrom,
    MountFrom,
}

/// One stage of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StageView {
    pub index: usize,
    pub label: String,
    pub built: bool,
    /// Why it was not built.
    pub reason: Option<String>,
    /// The stage the image comes from (the target).
    pub is_final: bool,
    /// The image it starts from, or the stage label for `FROM <stage>`.
    pub base: String,
    pub deps: Vec<(usize, DepKind)>,
    pub line: u32,
}

/// How a file changed in a layer (dive's `DiffType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    /// Deleted by a whiteout (`.wh.<name>`): the bytes stay in the layer below.
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Modified => "modified",
            Change::Removed => "removed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChangeView {
    pub path: String,
    pub change: Change,
    pub size: u64,
    /// `file`, `dir`, `symlink`, `hardlink`, `whiteout`.
    pub kind: &'static str,
}

/// One `docker history` row, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRowView {
    pub index: usize,
    pub created_by: String,
    pub size: u64,
    pub empty: bool,
    /// 1-based Dockerfile line, None for rows of the base image.
    pub line: Option<u32>,
    pub is_base: bool,
    /// Files changed by the row's layer (at most [`MAX_CHANGES_SHOWN`]).
    pub changes: Vec<FileChangeView>,
    pub n_changes: usize,
}

/// Change lists longer than this are cut (a base layer has thousands of files).
pub const MAX_CHANGES_SHOWN: usize = 400;

/// A path whose layers store bytes the final image does not show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WastedPath {
    pub path: String,
    /// The bytes a rewrite could reclaim: every copy but the one the image shows.
    pub bytes: u64,
    /// How many layers store a copy (a file the image still shows).
    pub copies: usize,
    /// How many files a later layer deleted here (0: a file the image still shows; more than
    /// 1: `path` is their directory).
    pub deleted_files: usize,
}

/// The final image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageView {
    pub size: u64,
    /// A rough estimate of what a registry would store (gzip'd layers).
    pub compressed_estimate: u64,
    pub layer_count: usize,
    pub rows: Vec<LayerRowView>,
    /// dive's efficiency: 1.0 means no byte is stored twice (percentage ×100 shown).
    pub efficiency: f64,
    pub wasted_bytes: u64,
    pub wasted: Vec<WastedPath>,
    pub config: Vec<(String, String)>,
    pub stage: String,
}

/// A failed build: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    pub line: Option<u32>,
    pub message: String,
}

/// What one build did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildView {
    pub ok: bool,
    pub error: Option<ErrorView>,
    pub steps: Vec<StepView>,
    pub stages: Vec<StageView>,
    pub image: Option<ImageView>,
    pub diagnostics: Vec<DiagnosticView>,
    /// Stage names `--target` accepts.
    pub targets: Vec<String>,
    /// Which build this is on the current cache (1 = cold).
    pub build_number: u32,
}

impl BuildView {
    pub fn n_run(&self) -> usize {
        self.steps.iter().filter(|s| s.status != "CACHED").count()
    }
}

/// Converts a byte offset into `text` to UTF-16 code units (for `setSelectionRange`).
pub fn utf16_offset(text: &str, byte_offset: usize) -> u32 {
    layerlab_core::text::utf8_to_utf16(text, byte_offset) as u32
}

/// Converts a UTF-16 offset (from the textarea) to a byte offset into `text`.
pub fn utf8_offset(text: &str, utf16_offset: usize) -> usize {
    layerlab_core::text::utf16_to_utf8(text, utf16_offset)
}
