//! One command of any kind: the nesting bound every command passes, the compound commands
//! (`if`, `for`, `while`/`until`, `case`, `{ }`, `( )`), function definitions, and the
//! redirections on a compound command. Simple commands go on to `simple`.

use super::ast::*;
use super::exec::{Ctrl, Io, Shell, Status, MAX_LOOP_TURNS, MAX_NESTING};
use super::redirect::{route_output, setup_redirs, FdTable};

/// How one pass through a loop body ended, for the loop itself.
enum Turn {
    Done(i32),
    Continue,
    Break,
}

impl Shell<'_, '_> {
    pub(super) fn run_command(&mut self, cmd: &Command, io: &mut Io) -> Status {
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
                    if !sh.may_start_turn(turn as u64) {
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
                    if !sh.may_start_turn(turn) {
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

    /// False when a loop has had its `MAX_LOOP_TURNS` turns (0-based `turn`); the stop is noted.
    fn may_start_turn(&mut self, turn: u64) -> bool {
        if turn < MAX_LOOP_TURNS {
            return true;
        }
        self.note_limit(&format!(
            "a loop ran more than {MAX_LOOP_TURNS} times and was stopped"
        ));
        false
    }

    /// One pass through a loop body. `break N`/`continue N` aimed at an outer loop go on
    /// outwards with N - 1, as in POSIX sh.
    fn loop_turn(&mut self, body: &List, io: &mut Io) -> Result<Turn, Ctrl> {
        self.loop_depth += 1;
        let r = self.run_list(body, io);
        self.loop_depth -= 1;
        match r {
            Ok(c) => Ok(Turn::Done(c)),
            Err(Ctrl::Break(n)) if n > 1 => Err(Ctrl::Break(n - 1)),
            Err(Ctrl::Break(_)) => Ok(Turn::Break),
            Err(Ctrl::Continue(n)) if n > 1 => Err(Ctrl::Continue(n - 1)),
            Err(Ctrl::Continue(_)) => Ok(Turn::Continue),
            Err(e) => Err(e),
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
        let Some((mut sub, table)) = self.open_redirs(redirs, io) else {
            return Ok(1);
        };
        let hidden = table.redirected_std_fds();
        let r = self.with_fds_hidden(&hidden, |sh| f(sh, &mut sub));
        route_output(self, &table, sub, io);
        r
    }

    /// Opens `redirs` over `io.stdin`: the command's own streams and where their output goes.
    /// `None` when a redirection fails; its message is then on `io`'s stderr (status 1).
    pub(super) fn open_redirs(&mut self, redirs: &[Redir], io: &mut Io) -> Option<(Io, FdTable)> {
        match setup_redirs(self, redirs, &io.stdin) {
            Ok((stdin, table)) => Some((Io::with_stdin(stdin), table)),
            Err(msg) => {
                io.eprint(&msg);
                None
            }
        }
    }
}
