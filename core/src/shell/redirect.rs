//! Redirections of one command: where fds 0, 1 and 2 go (`> f`, `>> f`, `< f`, `2>&1`,
//! `2>/dev/null`, heredocs), set up left to right before it runs, and its output routed after.
//! A `> file` target is truncated at setup, so `cat f > f` reads an empty file, as in a shell.

use super::ast::{Redir, RedirOp};
use super::exec::{Io, Shell};
use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// The enclosing stdout (1) or stderr (2).
    Parent(u32),
    File(String),
    Null,
}

#[derive(Debug, Clone)]
pub struct FdTable {
    pub out: Sink,
    pub err: Sink,
    /// True when fd 0 was redirected: what the command leaves unread is not the caller's.
    pub stdin_redirected: bool,
}

/// Applies the redirections; returns stdin and where output goes, or the shell's error text.
pub fn setup_redirs(
    sh: &mut Shell,
    redirs: &[Redir],
    stdin: &Content,
) -> Result<(Content, FdTable), String> {
    let mut input = stdin.clone();
    let mut table = FdTable {
        out: Sink::Parent(1),
        err: Sink::Parent(2),
        stdin_redirected: false,
    };
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
                    "1" => table.out.clone(),
                    "2" => table.err.clone(),
                    "-" => Sink::Null,
                    "0" => continue,
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
        _ => {}
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
    match sink {
        Sink::Parent(1) => parent.out = parent.out.append(&data),
        Sink::Parent(_) => {
            if let Some(b) = data.to_bytes_bounded(super::exec::OUTPUT_LIMIT as u64) {
                parent.err.extend_from_slice(&b);
            }
        }
        Sink::File(path) => {
            let _ = sh.write_file(path, data, true);
        }
        Sink::Null => {}
    }
}
