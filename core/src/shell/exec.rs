//! The interpreter's state: the bounds every script runs under, a command's streams (`Io`),
//! non-local control flow (`Ctrl`), and the `Shell` itself (variables, options, counters),
//! with what every part of the interpreter uses on it: running a source text, variables, the
//! step budget and subshells. Running commands is split by kind: `pipeline` (lists, `&&`/`||`,
//! pipes, `set -e`), `compound` (if/for/while/case, groups, the nesting bound), `simple`
//! (one command line, dispatch, function calls).

use super::ast::*;
use super::parser::parse_script;
use super::users::Cred;
use super::RunContext;
use crate::content::Content;
use std::collections::{BTreeMap, BTreeSet};

/// BuildKit's default PATH, the one a RUN gets when the image sets none.
pub use crate::image::config::DEFAULT_PATH;

/// Bytes of stdout/stderr kept in a `RunOutcome` (and read from a pipe into a string).
pub const OUTPUT_LIMIT: usize = 1 << 20;
/// Simple commands one RUN may execute.
pub const MAX_STEPS: u64 = 100_000;
/// Turns of one loop.
pub const MAX_LOOP_TURNS: u64 = 10_000;
/// Nesting of functions, `eval`, `$(...)`, sourced scripts.
pub const MAX_CALL_DEPTH: usize = 32;
/// Commands nested inside each other at one time, all kinds together.
pub const MAX_NESTING: usize = 120;
/// Bytes a text-processing applet materialises from a file or pipe.
pub const TEXT_LIMIT: u64 = 8 << 20;
/// Bytes one expanded word may hold: `a=$a$a` in a loop doubles a string per turn, and 40
/// turns would ask the learner's tab for a terabyte.
pub const MAX_WORD_BYTES: usize = 8 << 20;

/// Largest file a command may write (1 TiB); bigger fails with "No space left on device".
pub const MAX_FILE_BYTES: u64 = 1 << 40;

/// Standard streams of one command.
#[derive(Debug, Clone, Default)]
pub struct Io {
    pub stdin: Content,
    pub out: Content,
    pub err: Vec<u8>,
}

impl Io {
    pub fn with_stdin(stdin: Content) -> Io {
        Io {
            stdin,
            out: Content::empty(),
            err: Vec::new(),
        }
    }

    pub fn print(&mut self, s: &str) {
        self.out = self.out.append(&Content::from_text(s));
    }

    pub fn eprint(&mut self, s: &str) {
        if self.err.len() < OUTPUT_LIMIT {
            self.err.extend_from_slice(s.as_bytes());
        }
    }
}

/// Non-local control flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ctrl {
    Exit(i32),
    Break(u32),
    Continue(u32),
    Return(i32),
}

pub type Status = Result<i32, Ctrl>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Ash,
    Dash,
    Bash,
}

pub struct Shell<'c, 'a> {
    pub ctx: &'c mut RunContext<'a>,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub positional: Vec<String>,
    pub funcs: BTreeMap<String, Command>,
    pub cwd: String,
    pub cred: Cred,
    pub flavor: Flavor,
    pub opt_e: bool,
    pub opt_x: bool,
    /// `set -o pipefail`
    pub opt_pipefail: bool,
    /// `set -u`
    pub opt_u: bool,
    pub status: i32,
    pub steps: u64,
    pub depth: usize,
    /// >0 while running an `if`/`while` condition or the left of `&&`/`||` (set -e is off).
    pub cond_depth: usize,
    pub unknown: Vec<String>,
    pub notes: Vec<String>,
    pub estimated: bool,
    pub random_counter: u64,
    /// What `$(...)` printed on stderr, flushed into the enclosing command's stderr.
    pub subst_err: Vec<u8>,
    /// True once a bound (steps, loop turns) cut the script short; reported once in `notes`.
    pub limited: bool,
    /// Current nesting of `run_command` (see `MAX_NESTING`).
    pub nesting: usize,
    /// True when this run attached the `/dev` view (detached in `finish`).
    pub dev_attached: bool,
    /// One frame per running function: the outer values of its `local` variables.
    pub locals: Vec<Vec<(String, Option<String>)>>,
    /// `trap 'cmd' EXIT`: run when the script ends (signals never arrive in a build).
    pub exit_trap: Option<String>,
    /// File descriptors `exec` redirected for the rest of the shell (`exec >log 2>&1`,
    /// `exec 3>f`): where output written to them goes. See `redirect`.
    pub exec_fds: BTreeMap<u32, super::redirect::Sink>,
    /// The file mode creation mask (runc starts every RUN with 022; `umask 077` changes it).
    pub umask: u32,
    /// Loop bodies running now (`break`/`continue` outside a loop do nothing, as in ash).
    pub loop_depth: u32,
}

impl<'c, 'a> Shell<'c, 'a> {
    /// Parses and runs `script`; syntax errors end it with status 2 like ash.
    pub fn run_source(&mut self, script: &str, io: &mut Io) -> i32 {
        match parse_script(script) {
            Ok(list) => match self.run_list(&list, io) {
                Ok(c) => c,
                Err(Ctrl::Exit(c)) | Err(Ctrl::Return(c)) => c,
                Err(_) => self.status,
            },
            Err(e) => {
                // ash prints `arg0: msg`, arg0 being `/bin/sh` for a RUN (`/bin/sh -c`).
                let prefix = if self.flavor == Flavor::Ash {
                    "/bin/sh"
                } else {
                    "sh"
                };
                io.eprint(&format!("{prefix}: {}\n", e.0));
                2
            }
        }
    }

    // ---- variables ----

    pub fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "$" => Some("1".to_string()),
            "!" => Some(String::new()),
            "-" => Some(format!(
                "{}{}",
                if self.opt_e { "e" } else { "" },
                if self.opt_x { "x" } else { "" }
            )),
            "0" => Some("sh".to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(0);
                self.positional.get(i.wrapping_sub(1)).cloned()
            }
            n => self.vars.get(n).cloned(),
        }
    }

    pub fn set_var(&mut self, name: &str, value: String) {
        self.vars.insert(name.to_string(), value);
    }

    /// Environment of a child command: exported variables.
    pub fn env_pairs(&self) -> Vec<(String, String)> {
        self.exported
            .iter()
            .filter_map(|k| self.vars.get(k).map(|v| (k.clone(), v.clone())))
            .collect()
    }

    // ---- execution ----

    pub(super) fn tick(&mut self) -> Result<(), Ctrl> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.note_limit(&format!(
                "the script ran more than {MAX_STEPS} commands and was stopped"
            ));
            return Err(Ctrl::Exit(124));
        }
        Ok(())
    }

    /// Records (once) that a simulation bound cut the script short.
    pub fn note_limit(&mut self, why: &str) {
        if !self.limited {
            self.limited = true;
            self.notes.push(format!("layerlab: {why}"));
        }
    }

    /// Runs `f` with a copy of the shell state (variables, cwd, options) that is restored after;
    /// filesystem changes stay. `exit` inside only ends the subshell.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Status) -> Status {
        let saved = (
            self.vars.clone(),
            self.exported.clone(),
            self.cwd.clone(),
            self.opt_e,
            self.opt_x,
            self.funcs.clone(),
            self.positional.clone(),
        );
        // A trap or an `exec` redirection set inside the subshell is not the parent's.
        let outer_trap = self.exit_trap.clone();
        let outer_fds = self.exec_fds.clone();
        let outer_umask = self.umask;
        let r = f(self);
        self.exit_trap = outer_trap;
        self.exec_fds = outer_fds;
        self.umask = outer_umask;
        (
            self.vars,
            self.exported,
            self.cwd,
            self.opt_e,
            self.opt_x,
            self.funcs,
            self.positional,
        ) = saved;
        match r {
            Ok(c) | Err(Ctrl::Exit(c)) | Err(Ctrl::Return(c)) => Ok(c),
            Err(_) => Ok(self.status),
        }
    }
}
