//! Package managers and builds (apt, apk, pip, npm, go, cargo, mvn): what they add to a layer,
//! from measured sizes (../shared/package-sizes) kept as our own table with its sources.
//!
//! The RUN interpreter (`crate::shell`) calls [`run`] for every simple command before trying its
//! own applets; this module answers with the files the command would write, or says the command
//! is not one it models. It sees the filesystem only through [`FsView`], so it knows nothing of
//! layers.

use crate::content::Content;

/// Read access to the filesystem a command runs on (implemented by the RUN interpreter).
pub trait FsView {
    /// Returns true if and only if something exists at the absolute `path` (after symlinks).
    fn exists(&self, path: &str) -> bool;
    fn is_dir(&self, path: &str) -> bool;
    /// The content of a regular file.
    fn read(&self, path: &str) -> Option<Content>;
    /// Names (not paths) of a directory's entries, sorted.
    fn list_dir(&self, path: &str) -> Vec<String>;
}

/// What a package command runs with.
pub struct PkgEnv<'a> {
    pub fs: &'a dyn FsView,
    /// The absolute working directory.
    pub cwd: &'a str,
    /// Environment variables of the command (ENV, ARG, shell assignments).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The effective user id: package installs as non-root fail like the real tools.
    pub uid: u32,
}

/// A file a command writes (absolute path; parents are created as needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    pub path: String,
    pub content: Content,
    pub mode: u32,
}

/// The filesystem changes of one package command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    pub writes: Vec<FileWrite>,
    /// Absolute directories to create (like `mkdir -p`).
    pub mkdirs: Vec<String>,
    /// Absolute paths to remove recursively (like `rm -rf`).
    pub removes: Vec<String>,
    /// Text the command prints on stdout.
    pub stdout: String,
    /// True when a figure comes from an estimate rather than a measurement.
    pub estimated: bool,
    /// Human-readable summary for the layer view, e.g. "apt-get install curl: 22 packages, 9.1 MB".
    pub note: String,
}

/// How a command ended, as the interpreter needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PkgOutcome {
    /// Not a command this module models: the interpreter handles it (or reports it unknown).
    NotMine,
    /// The command succeeded with these changes.
    Done(Effect),
    /// The command fails, as the real tool would (e.g. `apt-get install` without lists,
    /// an unknown package, not root): the RUN fails with this exit code and message on stderr.
    Failed { exit_code: i32, message: String },
    /// A package or build command whose effect cannot be modelled: the layer is marked
    /// "size unknown" with this reason, and the command counts as successful.
    Unknown { reason: String },
}

/// Runs `argv` (`argv[0]` is the command name as typed, e.g. `apt-get` or `/usr/bin/pip3`).
pub fn run(argv: &[String], env: &PkgEnv) -> PkgOutcome {
    let _ = (argv, env);
    PkgOutcome::NotMine
}
