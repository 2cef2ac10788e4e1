//! Shell builtins (cd, export, set, exit, eval, ...) and the applets every shell also has built
//! in (echo, printf, test/[, true, false, pwd), plus `sh` itself.

use crate::shell::exec::{Ctrl, Flavor, Io, Shell, Status, MAX_CALL_DEPTH};

/// Runs `argv` if it names a builtin.
pub fn run_builtin(sh: &mut Shell, argv: &[String], io: &mut Io) -> Option<Status> {
    let name = argv.first()?.as_str();
    let arg = |i: usize| argv.get(i).cloned();
    Some(match name {
        ":" | "true" => Ok(0),
        "false" => Ok(1),
        "echo" => echo(sh, argv, io),
        "printf" => printf(sh, argv, io),
        "test" | "[" | "[[" => test(sh, argv, io),
        "pwd" => pwd(sh, argv, io),
        "cd" => {
            let target = match arg(1).as_deref() {
                None | Some("~") => sh.var("HOME").unwrap_or_else(|| "/".into()),
                Some("-") => sh.var("OLDPWD").unwrap_or_else(|| sh.cwd.clone()),
                Some(t) => t.to_string(),
            };
            let abs = sh.abs(&target);
            if sh.ctx.fs.is_dir(&abs) {
                let old = std::mem::replace(&mut sh.cwd, abs.clone());
                sh.set_var("OLDPWD", old);
                sh.exported.insert("OLDPWD".to_string());
                sh.set_var("PWD", abs);
                Ok(0)
            } else {
                let why = if sh.ctx.fs.exists(&abs) {
                    "Not a directory"
                } else {
                    "No such file or directory"
                };
                match sh.flavor {
                    Flavor::Dash => io.eprint(&format!("/bin/sh: 1: cd: can't cd to {target}\n")),
                    _ => io.eprint(&format!("/bin/sh: cd: can't cd to {target}: {why}\n")),
                }
                Ok(if sh.flavor == Flavor::Dash { 2 } else { 1 })
            }
        }
        "export" | "readonly" | "local" => {
            for a in argv.iter().skip(1) {
                if a.starts_with('-') {
                    continue;
                }
                let (n, v) = match a.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (a.clone(), None),
                };
                if name == "local" {
                    let old = sh.vars.get(&n).cloned();
                    if let Some(frame) = sh.locals.last_mut() {
                        if !frame.iter().any(|(k, _)| *k == n) {
                            frame.push((n.clone(), old));
                        }
                    }
                }
                if let Some(v) = v {
                    sh.set_var(&n, v);
                }
                if name == "export" {
                    sh.exported.insert(n);
                }
            }
            Ok(0)
        }
        "unset" => {
            for a in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
                sh.vars.remove(a);
                sh.exported.remove(a);
                sh.funcs.remove(a);
            }
            Ok(0)
        }
        "set" => {
            let mut rest = argv.iter().skip(1).peekable();
            while let Some(a) = rest.peek().map(|s| s.to_string()) {
                if a == "--" {
                    rest.next();
                    sh.positional = rest.cloned().collect();
                    return Some(Ok(0));
                }
                let (on, flags) = if let Some(f) = a.strip_prefix('-') {
                    (true, f.to_string())
                } else if let Some(f) = a.strip_prefix('+') {
                    (false, f.to_string())
                } else {
                    sh.positional = rest.cloned().collect();
                    return Some(Ok(0));
                };
                rest.next();
                if flags == "o" {
                    if let Some(o) = rest.next() {
                        match o.as_str() {
                            "errexit" => sh.opt_e = on,
                            "xtrace" => sh.opt_x = on,
                            "pipefail" => sh.opt_pipefail = on,
                            "nounset" => sh.opt_u = on,
                            _ => {}
                        }
                    }
                    continue;
                }
                for f in flags.chars() {
                    match f {
                        'e' => sh.opt_e = on,
                        'x' => sh.opt_x = on,
                        'u' => sh.opt_u = on,
                        _ => {}
                    }
                }
            }
            Ok(0)
        }
        "exit" => Err(Ctrl::Exit(
            arg(1)
                .and_then(|a| a.parse::<i32>().ok())
                .map(|c| c & 0xff)
                .unwrap_or(sh.status),
        )),
        "return" => Err(Ctrl::Return(
            arg(1).and_then(|a| a.parse().ok()).unwrap_or(sh.status),
        )),
        "break" => Err(Ctrl::Break(
            arg(1).and_then(|a| a.parse().ok()).unwrap_or(1).max(1),
        )),
        "continue" => Err(Ctrl::Continue(
            arg(1).and_then(|a| a.parse().ok()).unwrap_or(1).max(1),
        )),
        "shift" => {
            let n: usize = arg(1).and_then(|a| a.parse().ok()).unwrap_or(1);
            if n > sh.positional.len() {
                Ok(1)
            } else {
                sh.positional.drain(..n);
                Ok(0)
            }
        }
        "eval" => {
            let script = argv[1..].join(" ");
            if sh.depth >= MAX_CALL_DEPTH {
                return Some(Ok(2));
            }
            sh.depth += 1;
            let r = match crate::shell::parser::parse_script(&script) {
                Ok(list) => sh.run_list(&list, io),
                Err(e) => {
                    io.eprint(&format!("/bin/sh: {}\n", e.0));
                    Ok(2)
                }
            };
            sh.depth -= 1;
            r
        }
        "." | "source" => {
            let Some(file) = arg(1) else {
                return Some(Ok(0));
            };
            let path = if file.contains('/') {
                Some(sh.abs(&file))
            } else {
                sh.find_in_path(&file).or_else(|| Some(sh.abs(&file)))
            };
            let text = path
                .and_then(|p| sh.ctx.fs.read(&p).ok())
                .and_then(|c| c.to_bytes_bounded(1 << 20));
            match text {
                Some(b) => {
                    if sh.depth >= MAX_CALL_DEPTH {
                        return Some(Ok(2));
                    }
                    sh.depth += 1;
                    let text = String::from_utf8_lossy(&b).into_owned();
                    let r = match crate::shell::parser::parse_script(&text) {
                        Ok(list) => sh.run_list(&list, io),
                        Err(e) => {
                            io.eprint(&format!("/bin/sh: {}\n", e.0));
                            Ok(2)
                        }
                    };
                    sh.depth -= 1;
                    r
                }
                None => {
                    io.eprint(&format!(
                        "/bin/sh: .: can't open '{file}': No such file or directory\n"
                    ));
                    Err(Ctrl::Exit(2))
                }
            }
        }
        "read" => {
            let names: Vec<String> = argv
                .iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .cloned()
                .collect();
            // One line off the front of stdin, copying little (the input may be megabytes).
            let input = std::mem::take(&mut io.stdin).chunked();
            if input.is_empty() {
                for n in &names {
                    sh.set_var(n, String::new());
                }
                return Some(Ok(1));
            }
            let total = input.len();
            let (line_len, rest_start, complete) = match input.find_byte(b'\n') {
                Some(i) => (i, i + 1, true),
                None => (total, total, false),
            };
            let line_bytes = input
                .slice(0, line_len.min(1 << 20))
                .to_bytes_bounded(1 << 20)
                .unwrap_or_default();
            let line = String::from_utf8_lossy(&line_bytes).into_owned();
            io.stdin = input.slice(rest_start, total - rest_start);
            if !complete {
                // The last line without a newline: the variables are set, but read fails.
                let mut words: Vec<&str> = line.split_whitespace().collect();
                for (i, n) in names.iter().enumerate() {
                    let v = if i + 1 == names.len() {
                        words.join(" ")
                    } else if words.is_empty() {
                        String::new()
                    } else {
                        words.remove(0).to_string()
                    };
                    sh.set_var(n, v);
                }
                return Some(Ok(1));
            }
            let mut words: Vec<&str> = line.split_whitespace().collect();
            for (i, n) in names.iter().enumerate() {
                let v = if i + 1 == names.len() {
                    words.join(" ")
                } else if words.is_empty() {
                    String::new()
                } else {
                    words.remove(0).to_string()
                };
                sh.set_var(n, v);
            }
            if names.is_empty() {
                sh.set_var("REPLY", line);
            }
            Ok(0)
        }
        "command" | "type" => {
            let v = argv.iter().any(|a| a == "-v" || a == "-V") || name == "type";
            let rest: Vec<String> = argv
                .iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .cloned()
                .collect();
            if !v {
                return Some(sh.run_external(&rest, io, false));
            }
            let mut code = 0;
            for n in rest {
                if run_builtin_names().contains(&n.as_str()) || sh.funcs.contains_key(&n) {
                    io.print(&format!("{n}\n"));
                } else if let Some(p) = sh.find_in_path(&n) {
                    io.print(&format!("{p}\n"));
                } else {
                    code = 127;
                }
            }
            Ok(code)
        }
        "exec" => {
            if argv.len() < 2 {
                return Some(Ok(0));
            }
            let r = sh.dispatch(&argv[1..], io);
            match r {
                Ok(c) => Err(Ctrl::Exit(c)),
                other => other,
            }
        }
        "umask" | "wait" | "trap" | "hash" | "alias" | "unalias" | "ulimit" | "times"
        | "getopts" | "jobs" => Ok(0),
        _ => return None,
    })
}

fn run_builtin_names() -> &'static [&'static str] {
    &[
        ":", "true", "false", "echo", "printf", "test", "[", "pwd", "cd", "export", "unset", "set",
        "exit", "return", "break", "continue", "shift", "eval", ".", "source", "read", "command",
        "type", "exec", "umask", "wait", "trap", "local", "readonly",
    ]
}

pub fn true_(_: &mut Shell, _: &[String], _: &mut Io) -> Status {
    Ok(0)
}

pub fn false_(_: &mut Shell, _: &[String], _: &mut Io) -> Status {
    Ok(1)
}

pub fn pwd(sh: &mut Shell, _: &[String], io: &mut Io) -> Status {
    let cwd = sh.cwd.clone();
    io.print(&format!("{cwd}\n"));
    Ok(0)
}

/// Interprets `\` escapes as `echo -e` / `printf %b` do. Returns the text and whether `\c` stopped it.
pub fn escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        i += 1;
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let Some(&e) = c.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0'..='7' => {
                // `\0nnn` (echo) or `\nnn` (printf): up to 3 octal digits after an optional 0.
                let mut v = if e == '0' { 0 } else { e as u32 - '0' as u32 };
                let mut n = 0;
                while n < 3 && c.get(i).is_some_and(|d| ('0'..='7').contains(d)) {
                    v = v * 8 + (c[i] as u32 - '0' as u32);
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && c.get(i).is_some_and(|d| d.is_ascii_hexdigit()) {
                    v = v * 16 + c[i].to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `echo`: busybox/bash take `-n -e -E` (clustered); dash takes only `-n` and always
/// interprets escapes.
pub fn echo(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut newline = true;
    let mut interpret = sh.flavor == Flavor::Dash;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let ok = if sh.flavor == Flavor::Dash {
            a == "-n"
        } else {
            a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c))
        };
        if !ok {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => interpret = true,
                _ => interpret = false,
            }
        }
        i += 1;
    }
    let text = argv.get(i..).unwrap_or(&[]).join(" ");
    let (mut text, stopped) = if interpret {
        escapes(&text)
    } else {
        (text, false)
    };
    if newline && !stopped {
        text.push('\n');
    }
    io.print(&text);
    Ok(0)
}

pub fn printf(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let Some(fmt) = argv.get(1) else {
        io.eprint("printf: usage: printf FORMAT [ARGUMENT...]\n");
        return Ok(1);
    };
    let args: Vec<String> = argv.iter().skip(2).cloned().collect();
    let mut out = String::new();
    let mut ai = 0usize;
    let mut code = 0;
    for _round in 0..10_000 {
        let (s, consumed, stop, bad) = format_once(fmt, &args, ai);
        out.push_str(&s);
        if bad {
            code = 1;
        }
        ai += consumed;
        if stop || consumed == 0 || ai >= args.len() {
            break;
        }
    }
    io.print(&out);
    Ok(code)
}

/// One pass of a printf format: (text, args consumed, `\c` seen, a bad number seen).
fn format_once(fmt: &str, args: &[String], start: usize) -> (String, usize, bool, bool) {
    let c: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut used = 0;
    let mut bad = false;
    while let Some(&ch) = c.get(i) {
        if ch == '\\' {
            let mut j = i + 1;
            while j < c.len() && j < i + 4 && (j == i + 1 || c[j].is_ascii_digit()) {
                j += 1;
            }
            let seq: String = c[i..j.min(c.len())].iter().collect();
            let (s, stop) = escapes(&seq);
            out.push_str(&s);
            if stop {
                return (out, used, true, bad);
            }
            i = j;
            continue;
        }
        if ch != '%' {
            out.push(ch);
            i += 1;
            continue;
        }
        i += 1;
        if c.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let st = i;
        while c.get(i).is_some_and(|d| "-+ #0".contains(*d)) {
            i += 1;
        }
        while c.get(i).is_some_and(|d| d.is_ascii_digit() || *d == '.') {
            i += 1;
        }
        let spec: String = c[st..i].iter().collect();
        let Some(&conv) = c.get(i) else { break };
        i += 1;
        let arg = args.get(start + used).cloned();
        used += 1;
        let left = spec.contains('-');
        let zero = spec.starts_with('0') || spec.contains("-0") || spec.starts_with("+0");
        let (w, prec) = match spec
            .trim_start_matches(['-', '+', ' ', '#', '0'])
            .split_once('.')
        {
            Some((w, p)) => (
                w.parse::<usize>().unwrap_or(0),
                Some(p.parse::<usize>().unwrap_or(0)),
            ),
            None => (
                spec.trim_start_matches(['-', '+', ' ', '#', '0'])
                    .parse::<usize>()
                    .unwrap_or(0),
                None,
            ),
        };
        let body = match conv {
            's' => {
                let s = arg.unwrap_or_default();
                match prec {
                    Some(p) => s.chars().take(p).collect(),

                    None => s,
                }
            }
            'b' => escapes(&arg.unwrap_or_default()).0,
            'c' => arg
                .and_then(|a| a.chars().next())
                .map(String::from)
                .unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = arg.unwrap_or_default();
                let t = a.trim();
                let n: i64 = if t.is_empty() {
                    0
                } else if let Some(q) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
                    q.chars().next().map(|c| c as i64).unwrap_or(0)
                } else {
                    t.parse().unwrap_or_else(|_| {
                        bad = true;
                        0
                    })
                };
                match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.to_string(),
                }
            }
            'f' | 'e' | 'g' => {
                let n: f64 = arg.and_then(|a| a.trim().parse().ok()).unwrap_or(0.0);
                format!("{:.*}", prec.unwrap_or(6).min(64), n)
            }
            other => {
                used -= 1;
                format!("%{spec}{other}")
            }
        };
        let pad = w.saturating_sub(body.chars().count()).min(1 << 16);
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && "diuxXof".contains(conv) {
            let (sign, digits) = if let Some(d) = body.strip_prefix('-') {
                ("-", d.to_string())
            } else {
                ("", body.clone())
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
    }
    (out, used.min(args.len().saturating_sub(start)), false, bad)
}

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

/// `sh -c 'script' [name args...]`, `sh file [args]`, or a script on stdin.
pub fn sh(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut i = 1;
    let mut opt_e = false;
    let mut opt_x = false;
    let mut command: Option<String> = None;
    while let Some(a) = argv.get(i) {
        if a == "-c" {
            command = argv.get(i + 1).cloned();
            i += 2;
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'e' => opt_e = true,
                    'x' => opt_x = true,
                    'c' => {}
                    _ => {}
                }
            }
            if a.contains('c') {
                command = argv.get(i + 1).cloned();
                i += 2;
                break;
            }
            i += 1;
            continue;
        }
        break;
    }
    let (text, args) = match command {
        Some(c) => (c, argv.get(i + 1..).map(|s| s.to_vec()).unwrap_or_default()),
        None => match argv.get(i) {
            Some(file) => {
                let p = sh.abs(file);
                match sh
                    .ctx
                    .fs
                    .read(&p)
                    .ok()
                    .and_then(|c| c.to_bytes_bounded(1 << 20))
                {
                    Some(b) => (
                        String::from_utf8_lossy(&b).into_owned(),
                        argv[i + 1..].to_vec(),
                    ),
                    None => {
                        io.eprint(&format!(
                            "/bin/sh: can't open '{file}': No such file or directory\n"
                        ));
                        return Ok(2);
                    }
                }
            }
            None => {
                let b = io.stdin.to_bytes_bounded(1 << 20).unwrap_or_default();
                (String::from_utf8_lossy(&b).into_owned(), Vec::new())
            }
        },
    };
    let text = if opt_e || opt_x {
        format!(
            "set -{}{}\n{text}",
            if opt_e { "e" } else { "" },
            if opt_x { "x" } else { "" }
        )
    } else {
        text
    };
    // `bash -c` under dash behaves like bash (echo, messages), and so on.
    let invoked = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let saved = sh.flavor;
    sh.flavor = match invoked.as_str() {
        "bash" => Flavor::Bash,
        "dash" => Flavor::Dash,
        "ash" => Flavor::Ash,
        _ => saved,
    };
    let r = sh.run_script_text(&text, args, io);
    sh.flavor = saved;
    r
}
