//! The RUN interpreter: the POSIX shell subset and busybox applets learners write, over the
//! layered fs.
//!
//! # Use from the build driver
//! ```
//! use layerlab_core::fs::{Fs, Meta};
//! use layerlab_core::content::Content;
//! use layerlab_core::shell::{run_script, RunContext};
//! let mut fs = Fs::new();
//! fs.mkdir_all("/bin", Meta::root(0o755)).unwrap();
//! fs.put_file("/bin/busybox", Content::opaque(1_982_256, 1), Meta::root(0o755)).unwrap();
//! fs.symlink("busybox", "/bin/sh", Meta::root(0o777)).unwrap();
//! let mut fs = Fs::from_layers(vec![fs.commit()]);
//! fs.ensure_run_mount_points();                 // before every RUN (runc mount points)
//! // attach `--mount`s here: fs.attach_mount(Mount::cache(..)) ...
//! let mut ctx = RunContext::new(&mut fs);
//! ctx.env = vec![("GREETING".into(), "hello".into())];
//! let out = run_script("echo \"$GREETING\" > /greeting", &mut ctx);
//! assert_eq!(out.exit_code, 0);
//! // then: fs.unmount_all() (keep cache trees), and fs.commit() on success / fs.discard() on failure
//! let layer = fs.commit();
//! assert_eq!(layer.size, 6);
//! ```
//! - [`run_script`]: shell form (`RUN cmd`, and the body of `RUN <<EOF`): the script runs under
//!   `ctx.shell` (default `["/bin/sh", "-c"]`), which must exist in the image.
//! - [`run_exec`]: exec form (`RUN ["a", "b"]`): no shell; `argv[0]` resolves through PATH.
//! - [`pragma::parse_pragma`]: `# layerlab: writes /app/model.bin 150MB` on the line above a RUN
//!   states effects the model cannot know; [`pragma::pragmas_above`]`(dockerfile_text,
//!   instr_start_byte)` reads the comment block above a RUN; pass the effects in
//!   `RunContext::pragmas` (errors are the driver's to report as diagnostics).
//! - While a command runs, runc's `/dev` (null, zero, urandom, stdio links) is shown as a mount
//!   and removed again; it never reaches the layer (the empty `/dev` dir from
//!   `Fs::ensure_run_mount_points` does, as BuildKit stores it).
//! - Commands resolve like in the container: builtins, functions, `crate::packages::run`, then
//!   PATH in the image's fs. A symlink to `busybox` runs the applet named by the link if this
//!   busybox has it (`RunContext::applet_available`, default: the lab busybox 1.35 list, or all
//!   on Alpine), else `X: applet not found` (127); a missing command is `sh: X: not found` (127).
//! - Users: `RunContext::user` resolves through the image's /etc/passwd and /etc/group (an
//!   unknown name fails the RUN like BuildKit); non-root writes are permission-checked.
//! - Everything is bounded (`exec::MAX_STEPS`, loop turns, nesting, output, file sizes); a bound
//!   that stops a script is reported in `RunOutcome::notes`.
//! - A command that exists in the image but is not modelled (`python app.py`) succeeds and is
//!   reported in [`RunOutcome::unknown_effects`]: the layer size is then unknown.
//! - Package managers (`apt-get`, `pip`, ...) are delegated to `crate::packages::run`.

mod access;
mod applets;
pub mod ast;
mod compound;
mod entry;
mod exec;
mod expand;
pub mod lexer;
pub mod parser;
mod pipeline;
pub mod pragma;
mod redirect;
mod resolve;
mod simple;
pub mod users;

#[cfg(test)]
mod busybox_rules_tests;
#[cfg(test)]
mod tests;

use crate::content::Content;
use crate::fs::Fs;

pub use pragma::{parse_pragma, PragmaEffect, PragmaError};

/// Everything one RUN executes with.
pub struct RunContext<'a> {
    /// The stage's filesystem; mounts for this RUN are attached by the caller beforehand.
    pub fs: &'a mut Fs,
    /// ENV and ARG values in scope (ARG first, ENV overriding, in Dockerfile order).
    pub env: Vec<(String, String)>,
    /// `USER` as written (`app`, `1000`, `1000:1000`, `app:staff`); empty means root.
    pub user: String,
    /// Absolute working directory (WORKDIR; `/` by default).
    pub workdir: String,
    /// The `SHELL` instruction's argv (default `["/bin/sh", "-c"]`).
    pub shell: Vec<String>,
    /// Standard input of the command (normally empty).
    pub stdin: Content,
    /// Which applets the image's busybox binary has, when the catalog knows; `None` uses the
    /// lab busybox 1.35 list for a Debian-built busybox and "all modelled" for Alpine's.
    pub applet_available: Option<&'a dyn Fn(&str) -> bool>,
    /// Effects declared with a `# layerlab:` comment above the RUN, applied after the script.
    pub pragmas: Vec<PragmaEffect>,
}

impl<'a> RunContext<'a> {
    pub fn new(fs: &'a mut Fs) -> RunContext<'a> {
        RunContext {
            fs,
            env: Vec::new(),
            user: String::new(),
            workdir: "/".to_string(),
            shell: vec!["/bin/sh".to_string(), "-c".to_string()],
            stdin: Content::empty(),
            applet_available: None,
            pragmas: Vec::new(),
        }
    }
}

/// How a RUN ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunOutcome {
    /// 0 on success; BuildKit fails the build on anything else.
    pub exit_code: i32,
    /// What the command printed (bounded; see `exec::OUTPUT_LIMIT`).
    pub stdout: String,
    pub stderr: String,
    /// Why the layer's content/size is not known (commands not modelled), one reason each.
    pub unknown_effects: Vec<String>,
    /// Remarks for the learner (package summaries, estimates, pragmas applied).
    pub notes: Vec<String>,
    /// True when a size comes from an estimate (package data marked estimated).
    pub estimated: bool,
}

/// Runs a shell-form RUN.
pub fn run_script(script: &str, ctx: &mut RunContext) -> RunOutcome {
    entry::run_shell_form(script, ctx)
}

/// Runs an exec-form RUN (`RUN ["/bin/echo", "hi"]`).
pub fn run_exec(argv: &[String], ctx: &mut RunContext) -> RunOutcome {
    entry::run_exec_form(argv, ctx)
}
