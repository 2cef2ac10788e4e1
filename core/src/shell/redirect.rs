//! Redirections of one command: where fds 0, 1, 2 and 3-9 go (`> f`, `>> f`, `< f`, `2>&1`,
//! `2>/dev/null`, `3>f`, `>&3`, heredocs), set up left to right before it runs, and its output
//! routed after. A `> file` target is truncated at setup, so `cat f > f` reads an empty file,
//! as in a shell. `exec` without a command makes its redirections the shell's own
//! (`Shell::exec_fds`): output that reaches the shell's fd 1 or 2 then goes where they point;
//! a pipe or a redirected compound hides them from the commands writing into it.

use super::ast::{Redir, RedirOp};
use super::exec::{Io, Shell};
use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// The enclosing stdout (1) or stderr (2).
    Parent(u32),
    File(String),
    Null,
    /// `>&-`: the fd is closed.
    Closed,
    /// The shell's own stdout (1) or stderr (2) as it was before any `exec` (what
    /// `exec 4>&1` saves): not redirected again by later `exec`s.
    Orig(u32),
}

#[derive(Debug, Clone)]
pub struct FdTable {
    pub out: Sink,
    pub err: Sink,
    /// Fds 3-9 this command opened (`3>f`, `4>&1`).
    pub extra: Vec<(u32, Sink)>,
    /// True when fd 0 was redirected: what the command leaves unread is not the caller's.
    pub stdin_redirected: bool,
}

impl FdTable {
    fn fresh() -> FdTable {
        FdTable {
            out: Sink::Parent(1),
            err: Sink::Parent(2),
            extra: Vec::new(),
            stdin_redirected: false,
        }
    }

    /// Where fd `fd` points in this table (`None`: not open here).
    fn get(&self, fd: u32) -> Option<Sink> {
        match fd {
            1 => Some(self.out.clone()),
            2 => Some(self.err.clone()),
            _ => self
                .extra
                .iter()
                .rev()
                .find(|(f, _)| *f == fd)
                .map(|(_, s)| s.clone()),
        }
    }

    /// The fds (1, 2) this table sends somewhere else than the enclosing streams.
    pub fn redirected_std_fds(&self) -> Vec<u32> {
        let mut v = Vec::new();
        if self.out != Sink::Parent(1) {
            v.push(1);
        }
        if self.err != Sink::Parent(2) {
            v.push(2);
        }
        v
    }
}

/// Applies the redirections; returns stdin and where output goes, or the shell's error text.
pub fn setup_redirs(
    sh: &mut Shell,
    redirs: &[Redir],
    stdin: &Content,
) -> Result<(Content, FdTable), String> {
    let mut input = stdin.clone();
    let mut table = FdTable::fresh();
    for r in redirs {
        match &r.op {
            RedirOp::HereDoc { body, expand } => {
                let text = if *expand {
                    sh.expand_heredoc(body).unwrap_or_else(|_| body.clone())
                } else {
                    body.clone()
                };
                if r.fd == 0 {
                    input = Content::from_text(&text);
                    table.stdin_redirected = true;
                }
            }
            RedirOp::Dup => {
                let target = sh.expand_string(&r.target).unwrap_or_default();
                let sink = match target.as_str() {
                    "-" => Sink::Closed,
                    "0" => continue,
                    n if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
                        let fd = u32::from(n.as_bytes()[0] - b'0');
                        // An fd this command opened, else one `exec` opened, else none: ash
                        // `dup2_or_raise` fails with EBADF (status 1).
                        let open = match fd {
                            1 | 2 => table.get(fd),
                            _ => table.get(fd).or_else(|| sh.exec_fds.get(&fd).cloned()),
                        };
                        match open {
                            Some(Sink::Closed) | None => {
                                return Err(format!("/bin/sh: {fd}: Bad file descriptor\n"))
                            }
                            Some(s) => s,
                        }
                    }
                    other => {
                        // `>&file` (bash): both streams to the file.
                        let path = sh.abs(other);
                        open_for_write(sh, &path, false)?;
                        Sink::File(path)
                    }
                };
                set(&mut table, r.fd, sink);
            }
            RedirOp::In | RedirOp::ReadWrite => {
                let target = sh.expand_string(&r.target).unwrap_or_default();
                let path = sh.abs(&target);
                if r.fd != 0 {
                    continue;
                }
                match sh.read_file(&path, None) {
                    Ok(c) => {
                        input = c;
                        table.stdin_redirected = true;
                    }
                    Err(e) => {
                        return Err(format!("/bin/sh: can't open '{target}': {}\n", e.message()))
                    }
                }
            }
            RedirOp::Out | RedirOp::Append => {
                let target = sh.expand_string(&r.target).unwrap_or_default();
                let sink = match target.as_str() {
                    "/dev/null" => Sink::Null,
                    "/dev/stdout" | "/proc/self/fd/1" => table.out.clone(),
                    "/dev/stderr" | "/proc/self/fd/2" => table.err.clone(),
                    _ => {
                        let path = sh.abs(&target);
                        open_for_write(sh, &path, r.op == RedirOp::Append)
                            .map_err(|m| m.replace("{T}", &target))?;
                        Sink::File(path)
                    }
                };
                set(&mut table, r.fd, sink);
            }
        }
    }
    Ok((input, table))
}

fn set(table: &mut FdTable, fd: u32, sink: Sink) {
    match fd {
        1 => table.out = sink,
        2 => table.err = sink,
        3..=9 => table.extra.push((fd, sink)),
        _ => {}
    }
}

/// `exec` without a command: its redirections become the shell's (`exec >log 2>&1`,
/// `exec 3>f`, `exec 3>&-`). Returns the shell's error text when one fails.
pub fn exec_redirs(sh: &mut Shell, redirs: &[Redir], stdin: &Content) -> Result<(), String> {
    let (_, table) = setup_redirs(sh, redirs, stdin)?;
    let mut changes: Vec<(u32, Sink)> = Vec::new();
    for fd in [1, 2] {
        if let Some(s) = table.get(fd).filter(|s| *s != Sink::Parent(fd)) {
            changes.push((fd, s));
        }
    }
    changes.extend(table.extra.iter().cloned());
    // Resolve against the shell's current fds first (`exec 2>&1` after `exec >log`).
    // What is still the enclosing stream is the shell's original one.
    let resolved: Vec<(u32, Sink)> = changes
        .into_iter()
        .map(|(fd, s)| match resolve(sh, s) {
            Sink::Parent(n) => (fd, Sink::Orig(n)),
            other => (fd, other),
        })
        .collect();
    for (fd, s) in resolved {
        if s == Sink::Orig(fd) || (fd > 2 && s == Sink::Closed) {
            sh.exec_fds.remove(&fd);
        } else {
            sh.exec_fds.insert(fd, s);
        }
    }
    Ok(())
}

/// Where a sink really goes: the enclosing stream, unless `exec` redirected it.
fn resolve(sh: &Shell, sink: Sink) -> Sink {
    let mut s = sink;
    for _ in 0..4 {
        match &s {
            Sink::Parent(n) => match sh.exec_fds.get(n) {
                Some(next) if *next != s => s = next.clone(),
                _ => return s,
            },
            _ => return s,
        }
    }
    s
}

impl Shell<'_, '_> {
    /// Runs `f` with the shell's `exec` redirections of `fds` hidden (their output goes into
    /// the enclosing Io: a pipe, a substitution, a redirected compound).
    pub fn with_fds_hidden<T>(&mut self, fds: &[u32], f: impl FnOnce(&mut Self) -> T) -> T {
        if fds.iter().all(|fd| !self.exec_fds.contains_key(fd)) {
            return f(self);
        }
        let saved: Vec<(u32, Sink)> = fds
            .iter()
            .filter_map(|fd| self.exec_fds.remove(fd).map(|s| (*fd, s)))
            .collect();
        let r = f(self);
        for (fd, s) in saved {
            self.exec_fds.insert(fd, s);
        }
        r
    }
}

fn open_for_write(sh: &mut Shell, path: &str, append: bool) -> Result<(), String> {
    let r = if append {
        sh.write_file(path, Content::empty(), true)
    } else {
        sh.write_file(path, Content::empty(), false)
    };
    r.map_err(|e| format!("/bin/sh: can't create {{T}}: {}\n", e.message()))
}

/// Sends a finished command's output where its table says.
pub fn route_output(sh: &mut Shell, table: &FdTable, sub: Io, parent: &mut Io) {
    let Io { out, err, stdin } = sub;
    // A shared stdin: `while read l` consumes its input line by line.
    if !table.stdin_redirected {
        parent.stdin = stdin;
    }
    deliver(sh, &table.out, out, parent);
    deliver(sh, &table.err, Content::from_bytes(err), parent);
}

fn deliver(sh: &mut Shell, sink: &Sink, data: Content, parent: &mut Io) {
    if data.is_empty() {
        return;
    }
    let sink = &resolve(sh, sink.clone());
    match sink {
        Sink::Parent(1) | Sink::Orig(1) => parent.out = parent.out.append(&data),
        Sink::Parent(_) | Sink::Orig(_) => {
            if let Some(b) = data.to_bytes_bounded(super::exec::OUTPUT_LIMIT as u64) {
                parent.err.extend_from_slice(&b);
            }
        }
        Sink::File(path) => {
            let _ = sh.write_file(path, data, true);
        }
        // Output to a closed fd is lost (the writer gets EBADF).
        Sink::Null | Sink::Closed => {}
    }
}
