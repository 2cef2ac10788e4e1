//! Entry points: one RUN in shell form or exec form, from its context (user, env, workdir,
//! SHELL) to its outcome, with the shell's own setup (flavor, exported PWD/SHLVL, SHELL options,
//! runc's `/dev`) and the pragma effects applied at the end.

use super::exec::{Ctrl, Flavor, Io, Shell, DEFAULT_PATH, OUTPUT_LIMIT};
use super::users::resolve_user;
use super::{RunContext, RunOutcome};
use crate::fs::path::join_abs;
use std::collections::{BTreeMap, BTreeSet};

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
                    'o' if opts.next().map(String::as_str) == Some("pipefail") => {
                        sh.opt_pipefail = true;
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
    // ash `exitshell`: the EXIT trap runs once, with `$?` the script's status, which stays the
    // shell's exit status.
    if let Some(trap) = sh.exit_trap.take() {
        sh.status = code;
        let _ = sh.run_source(&trap, &mut io);
    }
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
            exit_trap: None,
            exec_fds: BTreeMap::new(),
            umask: 0o022,
            loop_depth: 0,
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
            // What an expansion that ended the shell printed (`${X:?}`, `$((1/0))`).
            stderr: String::from_utf8_lossy(&[io.err, self.subst_err].concat()).into_owned(),
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
}
