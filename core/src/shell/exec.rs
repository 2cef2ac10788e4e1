//! The interpreter: runs a parsed script over the filesystem with the RUN's environment and
//! user, one simple command at a time (builtins, functions, package models, applets), and
//! bounds everything (steps, loop turns, call depth, output) so no input hangs or panics.

use super::applets;
use super::ast::*;
use super::parser::parse_script;
use super::redirect::{route_output, setup_redirs};
use super::users::{resolve_user, Cred};
use super::{RunContext, RunOutcome};
use crate::content::Content;
use crate::fs::{path::join_abs, FsError, Meta};
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

pub fn run_shell_form(script: &str, ctx: &mut RunContext) -> RunOutcome {
    let shell_argv = if ctx.shell.is_empty() {
        vec!["/bin/sh".to_string(), "-c".to_string()]
    } else {
        ctx.shell.clone()
    };
    let shell_path = shell_argv.first().cloned().unwrap_or_default();
    let shell_name = crate::fs::path::base_name(&crate::fs::path::key_of(&shell_path)).to_string();
    let mut sh = match Shell::new(ctx) {
        Ok(sh) => sh,
        Err(o) => return o,
    };
    // The shell binary itself must exist (runc: exec: "/bin/sh": stat /bin/sh: no such file).
    let found = if shell_path.contains('/') {
        Some(join_abs("/", &shell_path))
    } else {
        sh.find_in_path(&shell_path)
    };
    let Some(found) = found.filter(|p| sh.ctx.fs.stat(p).is_ok_and(|s| s.is_file())) else {
        let msg = format!(
            "runc run failed: unable to start container process: exec: \"{shell_path}\": stat {shell_path}: no such file or directory\n"
        );
        return RunOutcome {
            exit_code: 127,
            stderr: msg,
            ..Default::default()
        };
    };
    let real = sh.ctx.fs.canonical(&found).unwrap_or(found);
    let real_name = crate::fs::path::base_name(&crate::fs::path::key_of(&real)).to_string();
    sh.flavor = match (shell_name.as_str(), real_name.as_str()) {
        (_, "busybox") => Flavor::Ash,
        ("bash", _) | (_, "bash") => Flavor::Bash,
        ("sh" | "dash", _) | (_, "dash") => Flavor::Dash,
        _ => Flavor::Ash,
    };
    let shell_like = matches!(
        shell_name.as_str(),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh"
    ) || real_name == "busybox";
    if !shell_like {
        sh.unknown
            .push(format!("SHELL {shell_name} is not modelled"));
        return sh.finish(0, Io::default());
    }
    // What the shell itself exports to its commands: PWD (ash, dash, bash `setpwd`), and SHLVL
    // (ash with bash compatibility, as Debian builds busybox; bash).
    sh.exported.insert("PWD".to_string());
    if matches!(sh.flavor, Flavor::Ash | Flavor::Bash) {
        sh.set_var("SHLVL", "1".to_string());
        sh.exported.insert("SHLVL".to_string());
    }
    // Options before `-c` (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, `-eux`).
    let mut opts = shell_argv.iter().skip(1).take_while(|a| *a != "-c");
    while let Some(a) = opts.next() {
        if a == "-o" || a == "+o" {
            let on = a == "-o";
            match opts.next().map(String::as_str) {
                Some("pipefail") => sh.opt_pipefail = on,
                Some("errexit") => sh.opt_e = on,
                Some("xtrace") => sh.opt_x = on,
                Some("nounset") => sh.opt_u = on,
                _ => {}
            }
        } else if let Some(flags) = a.strip_prefix('-') {
            for f in flags.chars() {
                match f {
                    'e' => sh.opt_e = true,
                    'x' => sh.opt_x = true,
                    'u' => sh.opt_u = true,
                    'o' => {
                        if opts.next().map(String::as_str) == Some("pipefail") {
                            sh.opt_pipefail = true;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    sh.attach_dev();
    let mut io = Io::with_stdin(sh.ctx.stdin.clone());
    // `RUN <<EOF` whose body starts with a shebang: BuildKit runs the body as a script file, so
    // the interpreter named there runs it (dockerfile2llb `dispatchRun`, heredoc with `#!`).
    if let Some(interp) = script.strip_prefix("#!").and_then(|s| s.lines().next()) {
        let mut words = interp.split_whitespace();
        let mut prog = words.next().unwrap_or("").to_string();
        if prog.ends_with("/env") {
            let name = words.next().unwrap_or("").to_string();
            prog = sh.find_in_path(&name).unwrap_or(name);
        }
        let base = crate::fs::path::base_name(&crate::fs::path::key_of(&prog)).to_string();
        if !matches!(base.as_str(), "sh" | "bash" | "dash" | "ash") {
            if prog.starts_with('/') && sh.ctx.fs.stat(&prog).is_ok() {
                sh.unknown
                    .push(format!("a heredoc script run by {prog} is not modelled"));
                return sh.finish(0, io);
            }
            io.eprint(&format!("/bin/sh: {prog}: not found\n"));
            return sh.finish(127, io);
        }
    }
    let code = sh.run_source(script, &mut io);
    sh.finish(code, io)
}

pub fn run_exec_form(argv: &[String], ctx: &mut RunContext) -> RunOutcome {
    let mut sh = match Shell::new(ctx) {
        Ok(sh) => sh,
        Err(o) => return o,
    };
    sh.attach_dev();
    let mut io = Io::with_stdin(sh.ctx.stdin.clone());
    if argv.is_empty() {
        return sh.finish(0, io);
    }
    let code = match sh.run_external(argv, &mut io, true) {
        Ok(c) | Err(Ctrl::Exit(c)) | Err(Ctrl::Return(c)) => c,
        Err(_) => 0,
    };
    sh.finish(code, io)
}

impl<'c, 'a> Shell<'c, 'a> {
    fn new(ctx: &'c mut RunContext<'a>) -> Result<Shell<'c, 'a>, RunOutcome> {
        let cred = match resolve_user(ctx.fs, &ctx.user) {
            Ok(c) => c,
            Err(msg) => {
                return Err(RunOutcome {
                    exit_code: 1,
                    stderr: format!("{msg}\n"),
                    ..Default::default()
                })
            }
        };
        let mut vars = BTreeMap::new();
        let mut exported = BTreeSet::new();
        vars.insert("PATH".to_string(), DEFAULT_PATH.to_string());
        exported.insert("PATH".to_string());
        // runc sets HOME from the passwd entry when the image's Env has none.
        vars.insert("HOME".to_string(), cred.home.clone());
        exported.insert("HOME".to_string());
        for (k, v) in &ctx.env {
            vars.insert(k.clone(), v.clone());
            exported.insert(k.clone());
        }
        vars.insert("IFS".to_string(), " \t\n".to_string());
        let cwd = join_abs("/", &ctx.workdir);
        vars.insert("PWD".to_string(), cwd.clone());
        Ok(Shell {
            ctx,
            vars,
            exported,
            positional: Vec::new(),
            funcs: BTreeMap::new(),
            cwd,
            cred,
            flavor: Flavor::Ash,
            opt_e: false,
            opt_x: false,
            opt_pipefail: false,
            opt_u: false,
            status: 0,
            steps: 0,
            depth: 0,
            cond_depth: 0,
            unknown: Vec::new(),
            notes: Vec::new(),
            estimated: false,
            random_counter: 0,
            subst_err: Vec::new(),
            limited: false,
            nesting: 0,
            dev_attached: false,
            locals: Vec::new(),
        })
    }

    /// Shows runc's `/dev` while the command runs (unless the caller mounted something there).
    fn attach_dev(&mut self) {
        if !self.ctx.fs.mounts().iter().any(|m| m.target == "dev") {
            self.ctx.fs.attach_mount(crate::fs::Mount::run_dev());
            self.dev_attached = true;
        }
    }

    fn finish(self, code: i32, io: Io) -> RunOutcome {
        if self.dev_attached {
            let _ = self.ctx.fs.detach_mount("/dev");
        }
        let mut out = RunOutcome {
            exit_code: code,
            stdout: String::from_utf8_lossy(
                &io.out
                    .to_bytes_bounded(OUTPUT_LIMIT as u64)
                    .unwrap_or_else(|| b"(binary output)".to_vec()),
            )
            .into_owned(),
            stderr: String::from_utf8_lossy(&io.err).into_owned(),
            unknown_effects: self.unknown,
            notes: self.notes,
            estimated: self.estimated,
        };
        if let Some(forced) = super::pragma::forced_exit(&self.ctx.pragmas).filter(|_| code == 0) {
            // `# layerlab: fails N`: the learner says the real command fails.
            out.exit_code = forced;
            out.notes.push(format!(
                "layerlab pragma: the command fails with exit code {forced}"
            ));
            out.unknown_effects.clear();
        } else if code == 0 && !self.ctx.pragmas.is_empty() {
            let pragmas = self.ctx.pragmas.clone();
            match super::pragma::apply(&pragmas, self.ctx.fs, &self.cred) {
                Ok(notes) => {
                    if !out.unknown_effects.is_empty() {
                        out.notes.push(format!(
                            "effects stated by a layerlab pragma replace: {}",
                            out.unknown_effects.join("; ")
                        ));
                        out.unknown_effects.clear();
                    }
                    out.notes.extend(notes);
                }
                Err(e) => out.notes.push(format!("layerlab pragma not applied: {e}")),
            }
        }
        out
    }

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

    pub fn abs(&self, path: &str) -> String {
        join_abs(&self.cwd, path)
    }

    /// Meta for a file this user creates (umask 022).
    pub fn new_file_meta(&self) -> Meta {
        Meta::new(0o644, self.cred.uid, self.cred.gid)
    }

    pub fn new_dir_meta(&self) -> Meta {
        Meta::new(0o755, self.cred.uid, self.cred.gid)
    }

    // ---- permissions ----

    fn allowed(&self, meta: Meta, bit: u32) -> bool {
        if self.cred.is_root() {
            return true;
        }
        let shift = if meta.uid == self.cred.uid {
            6
        } else if meta.gid == self.cred.gid || self.cred.groups.contains(&meta.gid) {
            3
        } else {
            0
        };
        meta.mode & (bit << shift) != 0
    }

    /// May this user create or remove entries in the directory holding `path`?
    pub fn check_create(&self, path: &str) -> Result<(), FsError> {
        let parent = crate::fs::path::parent_key(&crate::fs::path::key_of(path)).to_string();
        match self.ctx.fs.stat(&format!("/{parent}")) {
            Ok(st) if !self.allowed(st.meta, 0o2) || !self.allowed(st.meta, 0o1) => {
                Err(FsError::PermissionDenied)
            }
            _ => Ok(()),
        }
    }

    /// May this user write `path` (an existing file, or create it)?
    pub fn check_write(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if st.is_dir() => Err(FsError::IsDir),
            Ok(st) if !self.allowed(st.meta, 0o2) => Err(FsError::PermissionDenied),
            Ok(_) => Ok(()),
            Err(_) => self.check_create(path),
        }
    }

    pub fn check_read(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if !self.allowed(st.meta, 0o4) => Err(FsError::PermissionDenied),
            _ => Ok(()),
        }
    }

    pub fn owns_or_root(&self, path: &str) -> Result<(), FsError> {
        match self.ctx.fs.stat(path) {
            Ok(st) if self.cred.is_root() || st.meta.uid == self.cred.uid => Ok(()),
            Ok(_) => Err(FsError::NotPermitted),
            Err(e) => Err(e),
        }
    }

    /// Writes (or appends) a file as this user.
    pub fn write_file(
        &mut self,
        path: &str,
        content: Content,
        append: bool,
    ) -> Result<(), FsError> {
        if path == "/dev/null" {
            return Ok(());
        }
        // No build host has a petabyte to spare: a runaway size fails like a full disk.
        let existing = if append {
            self.ctx.fs.stat(path).map(|s| s.size).unwrap_or(0)
        } else {
            0
        };
        if content.len().saturating_add(existing) > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        self.check_write(path)?;
        let meta = self.new_file_meta();
        if append {
            self.ctx.fs.append(path, content, meta)
        } else {
            self.ctx.fs.write(path, content, meta)
        }
    }

    /// Reads a file, with the devices commands read from.
    pub fn read_file(&mut self, path: &str, want: Option<u64>) -> Result<Content, FsError> {
        match path {
            "/dev/null" => return Ok(Content::empty()),
            "/dev/zero" => return Ok(Content::zeros(want.unwrap_or(0))),
            "/dev/urandom" | "/dev/random" => {
                self.random_counter += 1;
                return Ok(Content::opaque(
                    want.unwrap_or(0),
                    0x5eed_0000 + self.random_counter,
                ));
            }
            _ => {}
        }
        self.check_read(path)?;
        self.ctx.fs.read(path)
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
                    match sh.run_list(body, io) {
                        Ok(c) => code = c,
                        Err(Ctrl::Break(n)) => {
                            if n > 1 {
                                return Err(Ctrl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctrl::Continue(n)) => {
                            if n > 1 {
                                return Err(Ctrl::Continue(n - 1));
                            }
                        }
                        Err(e) => return Err(e),
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
                    match sh.run_list(body, io) {
                        Ok(c) => code = c,
                        Err(Ctrl::Break(n)) => {
                            if n > 1 {
                                return Err(Ctrl::Break(n - 1));
                            }
                            break;
                        }
                        Err(Ctrl::Continue(n)) => {
                            if n > 1 {
                                return Err(Ctrl::Continue(n - 1));
                            }
                        }
                        Err(e) => return Err(e),
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

    /// The first `PATH` entry holding `name`.
    pub fn find_in_path(&self, name: &str) -> Option<String> {
        let path = self
            .vars
            .get("PATH")
            .cloned()
            .unwrap_or_else(|| DEFAULT_PATH.to_string());
        path.split(':')
            .filter(|d| !d.is_empty())
            .map(|d| join_abs(d, name))
            .find(|p| self.ctx.fs.lstat(p).is_ok())
    }

    /// A command that is not a builtin or function: package models, then the image's files.
    pub fn run_external(&mut self, argv: &[String], io: &mut Io, exec_form: bool) -> Status {
        let Some(name) = argv.first().cloned() else {
            return Ok(0);
        };
        // Package managers and builds first (they know whether their tool exists).
        if let Some(code) = self.try_packages(argv, io) {
            return Ok(code);
        }
        let found = if name.contains('/') {
            let p = self.abs(&name);
            self.ctx.fs.lstat(&p).ok().map(|_| p)
        } else {
            self.find_in_path(&name)
        };
        let Some(found) = found else {
            return Ok(self.not_found(&name, io, exec_form));
        };
        let stat = match self.ctx.fs.stat(&found) {
            Ok(s) => s,
            Err(_) => {
                // A dangling symlink: the kernel reports ENOENT for the command.
                return Ok(self.not_found(&name, io, exec_form));
            }
        };
        if stat.is_dir() || stat.meta.mode & 0o111 == 0 || !self.allowed(stat.meta, 0o1) {
            io.eprint(&format!("sh: {name}: Permission denied\n"));
            return Ok(126);
        }
        let real = self
            .ctx
            .fs
            .canonical(&found)
            .unwrap_or_else(|_| found.clone());
        let real_base = crate::fs::path::base_name(&crate::fs::path::key_of(&real)).to_string();
        let invoked = crate::fs::path::base_name(&crate::fs::path::key_of(&found)).to_string();
        if real_base == "busybox" {
            return self.run_busybox(&invoked, argv, io);
        }
        // A script with a shell shebang is interpreted.
        if let Ok(content) = self.ctx.fs.read(&real) {
            if let Some(bytes) = content.to_bytes_bounded(1 << 20) {
                if let Some(code) = self.run_shebang_script(&bytes, argv, io) {
                    return code;
                }
            }
        }
        // A real binary (coreutils `ls`, `cat` ...): modelled like the applet of that name.
        if applets::lookup(&invoked).is_some()
            && !matches!(invoked.as_str(), "sh" | "ash" | "bash" | "dash")
        {
            return applets::run_applet(self, &invoked, argv, io);
        }
        if matches!(invoked.as_str(), "sh" | "ash" | "bash" | "dash") {
            return applets::run_applet(self, "sh", argv, io);
        }
        self.unknown.push(format!(
            "`{}` runs {} which the simulator does not model",
            argv.join(" "),
            real
        ));
        Ok(0)
    }

    fn not_found(&mut self, name: &str, io: &mut Io, exec_form: bool) -> i32 {
        if exec_form {
            io.eprint(&format!("runc run failed: unable to start container process: exec: \"{name}\": executable file not found in $PATH\n"));
        } else {
            match self.flavor {
                Flavor::Dash => io.eprint(&format!("/bin/sh: 1: {name}: not found\n")),
                Flavor::Bash => {
                    io.eprint(&format!("/bin/bash: line 1: {name}: command not found\n"))
                }
                Flavor::Ash => io.eprint(&format!("/bin/sh: {name}: not found\n")),
            }
        }
        127
    }

    fn applet_available(&self, applet: &str) -> bool {
        if let Some(f) = self.ctx.applet_available {
            return f(applet);
        }
        if self.ctx.fs.exists("/etc/alpine-release") {
            return true;
        }
        crate::image::lab_busybox::is_applet(applet)
    }

    fn run_busybox(&mut self, invoked: &str, argv: &[String], io: &mut Io) -> Status {
        let mut argv = argv.to_vec();
        let mut applet = invoked.to_string();
        if applet == "busybox" {
            if argv.len() < 2 {
                io.print("BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n");
                return Ok(0);
            }
            argv.remove(0);
            applet = crate::fs::path::base_name(&crate::fs::path::key_of(&argv[0])).to_string();
            if applet == "--list" {
                let list: Vec<&str> = crate::image::lab_busybox::applets().collect();
                io.print(&(list.join("\n") + "\n"));
                return Ok(0);
            }
        }
        if !self.applet_available(&applet) {
            io.eprint(&format!("{applet}: applet not found\n"));
            return Ok(127);
        }
        if applets::lookup(&applet).is_some() {
            return applets::run_applet(self, &applet, &argv, io);
        }
        self.unknown.push(format!(
            "busybox applet `{}` is not modelled",
            argv.join(" ")
        ));
        Ok(0)
    }

    fn run_shebang_script(&mut self, bytes: &[u8], argv: &[String], io: &mut Io) -> Option<Status> {
        let text = String::from_utf8_lossy(bytes);
        let first = text.lines().next().unwrap_or("");
        let interp = first.strip_prefix("#!")?.trim();
        let mut parts = interp.split_whitespace();
        let mut prog = parts.next().unwrap_or("");
        if prog.ends_with("/env") {
            prog = parts.next().unwrap_or("");
        }
        let base = prog.rsplit('/').next().unwrap_or("");
        if !matches!(base, "sh" | "bash" | "ash" | "dash") {
            return None;
        }
        Some(self.run_script_text(&text, argv.iter().skip(1).cloned().collect(), io))
    }

    /// Runs a script file's text in a child shell (`sh script.sh`, `./script.sh`).
    pub fn run_script_text(&mut self, text: &str, args: Vec<String>, io: &mut Io) -> Status {
        if self.depth >= MAX_CALL_DEPTH {
            io.eprint("sh: nesting too deep\n");
            return Ok(2);
        }
        self.depth += 1;
        let r = self.subshell(|sh| {
            sh.positional = args;
            sh.opt_e = false;
            sh.opt_x = false;
            let exported: Vec<String> = sh.exported.iter().cloned().collect();
            sh.vars.retain(|k, _| exported.contains(k) || k == "IFS");
            sh.funcs.clear();
            Ok(sh.run_source(text, io))
        });
        self.depth -= 1;
        r
    }

    fn try_packages(&mut self, argv: &[String], io: &mut Io) -> Option<i32> {
        use crate::packages::{run, PkgEnv, PkgOutcome};
        let vars = self.env_pairs();
        let env_fn = move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let outcome = {
            let env = PkgEnv {
                fs: &*self.ctx.fs,
                cwd: &self.cwd,
                env: &env_fn,
                uid: self.cred.uid,
            };
            run(argv, &env)
        };
        match outcome {
            PkgOutcome::NotMine => None,
            PkgOutcome::Done(effect) => {
                for d in &effect.removes {
                    let _ = self.ctx.fs.remove(d, true);
                }
                for d in &effect.mkdirs {
                    let meta = self.new_dir_meta();
                    let _ = self.ctx.fs.mkdir_all(d, meta);
                }
                for w in effect.writes {
                    let parent =
                        crate::fs::path::parent_key(&crate::fs::path::key_of(&w.path)).to_string();
                    let dir_meta = self.new_dir_meta();
                    let _ = self.ctx.fs.mkdir_all(&format!("/{parent}"), dir_meta);
                    let meta = Meta::new(w.mode, self.cred.uid, self.cred.gid);
                    let _ = self.ctx.fs.put_file(&w.path, w.content, meta);
                }
                io.print(&effect.stdout);
                if effect.estimated {
                    self.estimated = true;
                }
                if !effect.note.is_empty() {
                    self.notes.push(effect.note);
                }
                Some(0)
            }
            PkgOutcome::Failed { exit_code, message } => {
                io.eprint(&message);
                if !message.ends_with('\n') {
                    io.eprint("\n");
                }
                Some(exit_code)
            }
            PkgOutcome::Unknown { reason } => {
                self.unknown.push(reason);
                Some(0)
            }
        }
    }
}
