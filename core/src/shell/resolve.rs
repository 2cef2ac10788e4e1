//! Command resolution: package models first, then the image's files through PATH: a symlink to
//! busybox runs the applet it names (if this busybox has it), a shell script with a shebang is
//! interpreted, a known binary runs the applet of its name, anything else is "not modelled".

use super::applets;
use super::exec::{Flavor, Io, Shell, Status, DEFAULT_PATH, MAX_CALL_DEPTH};
use crate::fs::{path::join_abs, Meta};

impl Shell<'_, '_> {
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
