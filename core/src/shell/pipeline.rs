//! Sequencing: lists (`a; b`), and-or chains (`a && b || c`) and pipelines (`a | b`, `! a`),
//! with where `set -e` applies (not in conditions, not left of `&&`/`||`, not negated) and
//! `set -o pipefail`. Each command of a pipeline runs through `compound::run_command`.

use super::ast::*;
use super::exec::{Ctrl, Io, Shell, Status};

impl Shell<'_, '_> {
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
            // A stage that writes into the pipe does not see the shell's `exec >file`.
            let piped: &[u32] = if i + 1 < count { &[1] } else { &[] };
            let r = if count > 1 {
                self.with_fds_hidden(piped, |sh| sh.subshell(|sh| sh.run_command(cmd, &mut sub)))
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
}
