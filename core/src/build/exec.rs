//! Runs a RUN on a stage filesystem through the project's interpreter (`crate::shell`).
//!
//! Adapter: until the interpreter lands this runs nothing (exit 0, no changes), so RUN layers
//! are empty; cache decisions and everything else do not depend on it.

use crate::fs::Fs;

#[derive(Debug, Clone, Default)]
pub struct ExecResult {
    pub exit_code: i32,
    /// What the command printed (stdout then stderr).
    pub output: String,
    /// Commands whose effects are not modelled (the layer size is then unknown).
    pub unknown: Vec<String>,
    pub notes: Vec<String>,
}

/// What to run: a shell-form script under `shell`, or an exec-form argv.
pub enum Form<'a> {
    Shell { shell: &'a [String], script: &'a str },
    Exec(&'a [String]),
}

pub fn run(fs: &mut Fs, form: Form, env: &[String], cwd: &str, user: &str) -> ExecResult {
    let _ = (fs, env, cwd, user);
    match form {
        Form::Shell { shell, script } => {
            let _ = (shell, script);
        }
        Form::Exec(argv) => {
            let _ = argv;
        }
    }
    ExecResult::default()
}
