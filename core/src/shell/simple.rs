//! Simple commands: expanding the words and assignments, `set -x` tracing, redirections, the
//! temporary environment of `X=1 cmd`, and dispatch by name to a function, a builtin or an
//! external command (`resolve`); function calls with their positional parameters and `local`s.

use super::ast::*;
use super::exec::{Ctrl, Io, Shell, Status, MAX_CALL_DEPTH};
use super::redirect::route_output;

impl Shell<'_, '_> {
    pub(super) fn run_simple(
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
        // `exec` with redirections only: they become the shell's own.
        if argv.len() == 1 && argv[0] == "exec" && !redirs.is_empty() {
            let stdin = io.stdin.clone();
            return match super::redirect::exec_redirs(self, redirs, &stdin) {
                Ok(()) => Ok(0),
                Err(msg) => {
                    io.eprint(&msg);
                    // A special builtin's redirection error ends a non-interactive shell.
                    Err(Ctrl::Exit(2))
                }
            };
        }
        if argv.is_empty() {
            for (n, v) in values {
                self.set_var(&n, v);
            }
            if !redirs.is_empty() && self.open_redirs(redirs, io).is_none() {
                return Ok(1);
            }
            return Ok(self.status_after_assign());
        }
        let Some((mut sub, table)) = self.open_redirs(redirs, io) else {
            return Ok(1);
        };
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
        // The command's own redirections of fd 1/2 hide the shell's `exec` ones from it.
        let hidden = table.redirected_std_fds();
        let r = self.with_fds_hidden(&hidden, |sh| sh.dispatch(&argv, &mut sub));
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
