//! `test` / `[` / `[[`: file tests, string and integer comparisons, `! -a -o ( )`; `[[ == ]]`
//! matches shell patterns.

use crate::shell::exec::{Io, Shell, Status};

pub fn test(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let name = argv.first().map(String::as_str).unwrap_or("test");
    let mut args: Vec<String> = argv.iter().skip(1).cloned().collect();
    if name == "[" || name == "[[" {
        let close = if name == "[" { "]" } else { "]]" };
        if args.last().map(String::as_str) != Some(close) {
            io.eprint(&format!("/bin/sh: {name}: missing {close}\n"));
            return Ok(2);
        }
        args.pop();
    }
    let mut t = TestEval {
        sh,
        args: &args,
        i: 0,
        depth: 0,
        patterns: name == "[[",
    };
    match t.or() {
        Ok(v) if t.i == args.len() => Ok(i32::from(!v)),
        Ok(_) | Err(_) => {
            io.eprint(&format!("/bin/sh: {name}: syntax error\n"));
            Ok(2)
        }
    }
}

struct TestEval<'s, 'c, 'a, 'v> {
    sh: &'s Shell<'c, 'a>,
    args: &'v [String],
    i: usize,
    depth: usize,
    /// `[[ a == pat ]]` matches a shell pattern (the words arrive already expanded).
    patterns: bool,
}

impl TestEval<'_, '_, '_, '_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(String::as_str)
    }

    fn or(&mut self) -> Result<bool, ()> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") || self.peek() == Some("||") {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, ()> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") || self.peek() == Some("&&") {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, ()> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(());
        }
        let r = if self.peek() == Some("!") && self.args.len() > self.i + 1 {
            self.i += 1;
            self.not().map(|v| !v)
        } else {
            self.primary()
        };
        self.depth -= 1;
        r
    }

    fn primary(&mut self) -> Result<bool, ()> {
        let a = self.peek().ok_or(())?.to_string();
        if a == "(" {
            self.i += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err(());
            }
            self.i += 1;
            return Ok(v);
        }
        // Binary operators.
        if let (Some(op), Some(rhs)) = (
            self.args.get(self.i + 1).cloned(),
            self.args.get(self.i + 2).cloned(),
        ) {
            let num = |s: &str| s.trim().parse::<i64>().map_err(|_| ());
            let r = match op.as_str() {
                "=" | "==" if self.patterns => Some(Ok(crate::shell::expand::fnmatch(&rhs, &a))),
                "!=" if self.patterns => Some(Ok(!crate::shell::expand::fnmatch(&rhs, &a))),
                "=" | "==" => Some(Ok(a == rhs)),
                "!=" => Some(Ok(a != rhs)),
                "<" => Some(Ok(a < rhs)),
                ">" => Some(Ok(a > rhs)),
                "-eq" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x == y))),
                "-ne" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x != y))),
                "-lt" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x < y))),
                "-le" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x <= y))),
                "-gt" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x > y))),
                "-ge" => Some(num(&a).and_then(|x| num(&rhs).map(|y| x >= y))),
                // Same file (device and inode, symlinks followed).
                "-ef" => {
                    let fs = &*self.sh.ctx.fs;
                    let (pa, pb) = (self.sh.abs(&a), self.sh.abs(&rhs));
                    Some(Ok(match (fs.stat(&pa), fs.stat(&pb)) {
                        // Hard links share a (non-zero) inode; else the same resolved path.
                        (Ok(x), Ok(y)) if x.is_file() && y.is_file() && x.ino != 0 => {
                            x.ino == y.ino
                        }
                        (Ok(_), Ok(_)) => fs.canonical(&pa).ok() == fs.canonical(&pb).ok(),
                        _ => false,
                    }))
                }
                // File times are not modelled: no file is newer or older than another (one
                // that exists is newer than one that does not).
                "-nt" | "-ot" => {
                    let fs = &*self.sh.ctx.fs;
                    let (ea, eb) = (fs.exists(&self.sh.abs(&a)), fs.exists(&self.sh.abs(&rhs)));
                    Some(Ok(if op == "-nt" { ea && !eb } else { !ea && eb }))
                }
                _ => None,
            };
            if let Some(r) = r {
                self.i += 3;
                return r;
            }
        }
        if a.len() == 2 && a.starts_with('-') && self.args.len() > self.i + 1 {
            let operand = self.args[self.i + 1].clone();
            let path = self.sh.abs(&operand);
            let fs = &*self.sh.ctx.fs;
            let v = match a.as_str() {
                "-z" => Some(operand.is_empty()),
                "-n" => Some(!operand.is_empty()),
                "-e" | "-a" => Some(fs.exists(&path)),
                "-f" => Some(fs.stat(&path).is_ok_and(|s| s.is_file())),
                "-d" => Some(fs.is_dir(&path)),
                "-L" | "-h" => Some(fs.lstat(&path).is_ok_and(|s| s.is_symlink())),
                "-s" => Some(fs.stat(&path).is_ok_and(|s| s.size > 0)),
                "-r" | "-w" => Some(fs.exists(&path)),
                "-x" => Some(fs.stat(&path).is_ok_and(|s| s.meta.mode & 0o111 != 0)),
                "-u" => Some(fs.stat(&path).is_ok_and(|s| s.meta.mode & 0o4000 != 0)),
                "-g" => Some(fs.stat(&path).is_ok_and(|s| s.meta.mode & 0o2000 != 0)),
                "-k" => Some(fs.stat(&path).is_ok_and(|s| s.meta.mode & 0o1000 != 0)),
                "-p" | "-S" | "-b" | "-c" | "-t" => Some(false),
                _ => None,
            };
            if let Some(v) = v {
                self.i += 2;
                return Ok(v);
            }
        }
        self.i += 1;
        Ok(!a.is_empty())
    }
}
