//! Runs a RUN's argv on a stage filesystem through the project's interpreter (`crate::shell`).
//!
//! Adapter: until the interpreter lands this runs nothing (exit 0, no changes), so RUN layers
//! are empty; cache decisions and everything else do not depend on it.

use crate::fs::Fs;

#[derive(Debug, Clone, Default)]
pub struct ExecResult {
    pub exit_code: i32,
    /// What the command printed (stdout and stderr, interleaved as the interpreter reports).
    pub output: String,
}

pub fn run(fs: &mut Fs, argv: &[String], env: &[String], cwd: &str, user: &str) -> ExecResult {
    let _ = (fs, argv, env, cwd, user);
    ExecResult::default()
}
