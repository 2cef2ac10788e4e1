//! The interpreter: runs a parsed script over the filesystem with the RUN's environment and
//! user, one simple command at a time (builtins, functions, package models, applets), and
//! bounds everything (steps, loop turns, call depth, output) so no input hangs or panics.

use super::ast::*;
use super::parser::parse_script;
use super::redirect::{route_output, setup_redirs};
use super::users::Cred;
use super::RunContext;
use crate::content::Content;
use std::collections::{BTreeMap, BTreeSet};

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

/// Largest file a command may write (1 TiB); bigger fails with "No space left on device".
pub const MAX_FILE_BYTES: u64 = 1 << 40;

pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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

/// How one pass through a loop body ended, for the loop itself.
enum Turn {
    Done(i32),
    Continue,
    Break,
}

/// Which `/bin/sh` the image has: their `echo` differs (dash always interprets `\n`).
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
                io.eprint(&format!("sh: {}\n", e.0));
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

    fn tick(&mut self) -> Result<(), Ctrl> {
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

    /// One pass through a loop body. `break N`/`continue N` aimed at an outer loop go on
    /// outwards with N - 1, as in POSIX sh.
    fn loop_turn(&mut self, body: &List, io: &mut Io) -> Result<Turn, Ctrl> {
        match self.run_list(body, io) {
            Ok(c) => Ok(Turn::Done(c)),
            Err(Ctrl::Break(n)) if n > 1 => Err(Ctrl::Break(n - 1)),
            Err(Ctrl::Break(_)) => Ok(Turn::Break),
            Err(Ctrl::Continue(n)) if n > 1 => Err(Ctrl::Continue(n - 1)),
            Err(Ctrl::Continue(_)) => Ok(Turn::Continue),
            Err(e) => Err(e),
        }
    }

    pub fn run_list(&mut self, list: &List, io: &mut Io) -> Status {
        let mut code = 0;
        for item in &list.items {
            code = self.run_and_or(item, io)?;
        }
        Ok(code)
    }

    fn run_and_or(&mut self, ao: &AndOr, io: &mut Io) -> Status {
        let n = ao.rest.len();
        let mut code = if n > 0 {
            self.cond_depth += 1;
            let r = self.run_pipeline(&ao.first, io);
            self.cond_depth -= 1;
            r?
        } else {
            self.run_pipeline(&ao.first, io)?
        };
        let mut last_negated = ao.first.negate;
        for (i, (op, p)) in ao.rest.iter().enumerate() {
            let run = match op {
                AndOrOp::And => code == 0,
                AndOrOp::Or => code != 0,
            };
            if !run {
                continue;
            }
            let is_last = i + 1 == n;
            if !is_last {
                self.cond_depth += 1;
            }
            let r = self.run_pipeline(p, io);
            if !is_last {
                self.cond_depth -= 1;
            }
            code = r?;
            last_negated = p.negate;
            if is_last {
                // `false && x` as a whole is not an -e failure; only the last pipeline counts.
                return self.check_errexit(code, last_negated);
            }
        }
        if n == 0 {
            return self.check_errexit(code, last_negated);
        }
        Ok(code)
    }

    fn check_errexit(&mut self, code: i32, negated: bool) -> Status {
        self.status = code;
        if code != 0 && self.opt_e && self.cond_depth == 0 && !negated {
            return Err(Ctrl::Exit(code));
        }
        Ok(code)
    }

    fn run_pipeline(&mut self, p: &Pipeline, io: &mut Io) -> Status {
        let mut code = 0;
        let mut failed = 0;
        let count = p.commands.len();
        let mut stdin = std::mem::take(&mut io.stdin);
        for (i, cmd) in p.commands.iter().enumerate() {
            let mut sub = Io::with_stdin(std::mem::take(&mut stdin));
            // Every command of a multi-command pipeline runs in a subshell.
            let r = if count > 1 {
                self.subshell(|sh| sh.run_command(cmd, &mut sub))
            } else {
                self.run_command(cmd, &mut sub)
            };
            // Output produced before an `exit` still counts.
            io.err.extend_from_slice(&sub.err);
            if count == 1 {
                io.stdin = std::mem::take(&mut sub.stdin);
            }
            if i + 1 == count {
                io.out = io.out.append(&sub.out);
            } else {
                stdin = std::mem::take(&mut sub.out);
            }
            code = r?;
            if code != 0 {
                failed = code;
            }
        }
        // `set -o pipefail`: the last command that failed decides.
        let code = if self.opt_pipefail && code == 0 {
            failed
        } else {
            code
        };
        let code = if p.negate { i32::from(code == 0) } else { code };
        self.status = code;
        Ok(code)
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
        let r = f(self);
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

    fn run_command(&mut self, cmd: &Command, io: &mut Io) -> Status {
        // One budget for every kind of nesting (compound commands, functions, `$(...)`,
        // sourced scripts): the browser's wasm stack is small.
        if self.nesting >= MAX_NESTING {
            self.note_limit("commands were nested too deeply and the script was stopped");
            return Err(Ctrl::Exit(2));
        }
        self.nesting += 1;
        let r = self.run_command_inner(cmd, io);
        self.nesting -= 1;
        r
    }

    fn run_command_inner(&mut self, cmd: &Command, io: &mut Io) -> Status {
        match cmd {
            Command::Simple {
                assigns,
                words,
                redirs,
            } => self.run_simple(assigns, words, redirs, io),
            Command::If {
                branches,
                otherwise,
                redirs,
            } => self.with_redirs(redirs, io, |sh, io| {
                for (cond, body) in branches {
                    sh.cond_depth += 1;
                    let c = sh.run_list(cond, io);
                    sh.cond_depth -= 1;
                    if c? == 0 {
                        return sh.run_list(body, io);
                    }
                }
                match otherwise {
                    Some(body) => sh.run_list(body, io),
                    None => Ok(0),
                }
            }),
            Command::For {
                var,
                items,
                body,
                redirs,
            } => self.with_redirs(redirs, io, |sh, io| {
                let values = match items {
                    Some(words) => {
                        let mut v = Vec::new();
                        for w in words {
                            v.extend(sh.expand_fields(w)?);
                        }
                        v
                    }
                    None => sh.positional.clone(),
                };
                let mut code = 0;
                for (turn, value) in values.into_iter().enumerate() {
                    if turn as u64 >= MAX_LOOP_TURNS {
                        sh.note_limit(&format!(
                            "a loop ran more than {MAX_LOOP_TURNS} times and was stopped"
                        ));
                        break;
                    }
                    sh.set_var(var, value);
                    match sh.loop_turn(body, io)? {
                        Turn::Done(c) => code = c,
                        Turn::Continue => {}
                        Turn::Break => break,
                    }
                }
                Ok(code)
            }),
            Command::While {
                cond,
                body,
                until,
                redirs,
            } => self.with_redirs(redirs, io, |sh, io| {
                let mut code = 0;
                for turn in 0..=MAX_LOOP_TURNS {
                    if turn == MAX_LOOP_TURNS {
                        sh.note_limit(&format!(
                            "a loop ran more than {MAX_LOOP_TURNS} times and was stopped"
                        ));
                        break;
                    }
                    sh.cond_depth += 1;
                    let c = sh.run_list(cond, io);
                    sh.cond_depth -= 1;
                    if (c? == 0) == *until {
                        break;
                    }
                    match sh.loop_turn(body, io)? {
                        Turn::Done(c) => code = c,
                        Turn::Continue => {}
                        Turn::Break => break,
                    }
                }
                Ok(code)
            }),
            Command::Case { word, arms, redirs } => self.with_redirs(redirs, io, |sh, io| {
                let value = sh.expand_string(word)?;
                for (pats, body) in arms {
                    for p in pats {
                        let pat = sh.expand_pattern(p)?;
                        if super::expand::fnmatch(&pat, &value) {
                            return sh.run_list(body, io);
                        }
                    }
                }
                Ok(0)
            }),
            Command::Group { body, redirs } => {
                self.with_redirs(redirs, io, |sh, io| sh.run_list(body, io))
            }
            Command::Subshell { body, redirs } => {
                self.with_redirs(redirs, io, |sh, io| sh.subshell(|sh| sh.run_list(body, io)))
            }
            Command::FuncDef { name, body } => {
                self.funcs.insert(name.clone(), (**body).clone());
                Ok(0)
            }
        }
    }

    fn with_redirs(
        &mut self,
        redirs: &[Redir],
        io: &mut Io,
        f: impl FnOnce(&mut Self, &mut Io) -> Status,
    ) -> Status {
        if redirs.is_empty() {
            return f(self, io);
        }
        let (stdin, table) = match setup_redirs(self, redirs, &io.stdin) {
            Ok(x) => x,
            Err(msg) => {
                io.eprint(&msg);
                return Ok(1);
            }
        };
        let mut sub = Io::with_stdin(stdin);
        let r = f(self, &mut sub);
        route_output(self, &table, sub, io);
        r
    }

    fn run_simple(
        &mut self,
        assigns: &[(String, Word)],
        words: &[Word],
        redirs: &[Redir],
        io: &mut Io,
    ) -> Status {
        self.tick()?;
        let mut argv = Vec::new();
        for w in words {
            argv.extend(self.expand_fields(w)?);
        }
        let mut values = Vec::new();
        for (name, w) in assigns {
            values.push((name.clone(), self.expand_string(w)?));
        }
        if !self.subst_err.is_empty() {
            let err = std::mem::take(&mut self.subst_err);
            io.err.extend_from_slice(&err);
        }
        if self.opt_x {
            let mut line = String::from("+");
            for (n, v) in &values {
                line.push_str(&format!(" {n}={v}"));
            }
            for a in &argv {
                line.push(' ');
                line.push_str(a);
            }
            line.push('\n');
            io.eprint(&line);
        }
        if argv.is_empty() {
            for (n, v) in values {
                self.set_var(&n, v);
            }
            if !redirs.is_empty() {
                let r = setup_redirs(self, redirs, &io.stdin);
                if let Err(msg) = r {
                    io.eprint(&msg);
                    return Ok(1);
                }
            }
            return Ok(self.status_after_assign());
        }
        let (stdin, table) = match setup_redirs(self, redirs, &io.stdin) {
            Ok(x) => x,
            Err(msg) => {
                io.eprint(&msg);
                return Ok(1);
            }
        };
        let mut sub = Io::with_stdin(stdin);
        // Assignments before a command are in its environment only (special builtins aside).
        let saved: Vec<(String, Option<String>, bool)> = values
            .iter()
            .map(|(n, _)| {
                (
                    n.clone(),
                    self.vars.get(n).cloned(),
                    self.exported.contains(n),
                )
            })
            .collect();
        let special = matches!(
            argv.first().map(String::as_str),
            Some("export" | "readonly" | "set" | "unset" | ":" | "eval" | ".")
        );
        for (n, v) in &values {
            self.set_var(n, v.clone());
            if !special {
                self.exported.insert(n.clone());
            }
        }
        let r = self.dispatch(&argv, &mut sub);
        if !special {
            for (n, old, was_exported) in saved {
                match old {
                    Some(v) => {
                        self.vars.insert(n.clone(), v);
                    }
                    None => {
                        self.vars.remove(&n);
                    }
                }
                if !was_exported {
                    self.exported.remove(&n);
                }
            }
        }
        route_output(self, &table, sub, io);
        let code = r?;
        self.status = code;
        Ok(code)
    }

    fn status_after_assign(&self) -> i32 {
        // `X=$(false)` has the status of the substitution.
        self.status
    }

    /// Runs one command line (already expanded).
    pub fn dispatch(&mut self, argv: &[String], io: &mut Io) -> Status {
        let Some(name) = argv.first() else {
            return Ok(0);
        };
        if let Some(body) = self.funcs.get(name).cloned() {
            return self.call_function(&body, argv, io);
        }
        if let Some(code) = super::applets::builtins::run_builtin(self, argv, io) {
            return code;
        }
        self.run_external(argv, io, false)
    }

    fn call_function(&mut self, body: &Command, argv: &[String], io: &mut Io) -> Status {
        if self.depth >= MAX_CALL_DEPTH {
            io.eprint("sh: function nesting too deep\n");
            return Ok(2);
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.positional, argv.iter().skip(1).cloned().collect());
        self.locals.push(Vec::new());
        let r = self.run_command(body, io);
        // `local` variables get their outer values back.
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(v) => {
                    self.vars.insert(name, v);
                }
                None => {
                    self.vars.remove(&name);
                }
            }
        }
        self.positional = saved;
        self.depth -= 1;
        match r {
            Err(Ctrl::Return(c)) => Ok(c),
            other => other,
        }
    }
}
