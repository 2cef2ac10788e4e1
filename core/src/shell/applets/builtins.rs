//! Shell builtins (cd, export, set, exit, eval, read, local, ...), the small applets every shell
//! also has built in (true, false, pwd; echo and printf are in `print`, test/[ in
//! `conditions`), and `sh` itself.

use crate::shell::exec::{Ctrl, Flavor, Io, Shell, Status, MAX_CALL_DEPTH};

/// Runs `argv` if it names a builtin.
pub fn run_builtin(sh: &mut Shell, argv: &[String], io: &mut Io) -> Option<Status> {
    let name = argv.first()?.as_str();
    let arg = |i: usize| argv.get(i).cloned();
    Some(match name {
        ":" | "true" => Ok(0),
        "false" => Ok(1),
        "echo" => super::print::echo(sh, argv, io),
        "printf" => super::print::printf(sh, argv, io),
        "test" | "[" | "[[" => super::conditions::test(sh, argv, io),
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
            assign_read_words(sh, &names, &line);
            if !complete {
                // The last line without a newline: the variables are set, but read fails.
                return Some(Ok(1));
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
        "trap" => {
            // `trap ACTION SIGNAL...`: only EXIT (0) ever fires in a build; `-` or a lone
            // signal resets, `''` ignores.
            let args = &argv[1..];
            let (action, signals) = match args {
                [] => return Some(Ok(0)),
                [one] => (None, std::slice::from_ref(one)),
                [a, rest @ ..] if a == "-" => (None, rest),
                [a, rest @ ..] => (Some(a.clone()), rest),
            };
            if signals
                .iter()
                .any(|s| matches!(s.as_str(), "EXIT" | "0" | "exit" | "SIGEXIT"))
            {
                sh.exit_trap = action.filter(|a| !a.is_empty());
            }
            Ok(0)
        }
        "umask" | "wait" | "hash" | "alias" | "unalias" | "ulimit" | "times" | "getopts"
        | "jobs" => Ok(0),
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

/// `read a b c`: one word per name, the rest of the line to the last name.
fn assign_read_words(sh: &mut Shell, names: &[String], line: &str) {
    let mut words = line.split_whitespace();
    for (i, n) in names.iter().enumerate() {
        let v = if i + 1 == names.len() {
            words.by_ref().collect::<Vec<_>>().join(" ")
        } else {
            words.next().unwrap_or("").to_string()
        };
        sh.set_var(n, v);
    }
}
