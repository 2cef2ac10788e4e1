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
                    Flavor::Dash => {
                        io.eprint(&format!("/bin/sh: 1: cd: can't cd to {target}\n"));
                        Ok(2)
                    }
                    Flavor::Bash => {
                        io.eprint(&format!("/bin/bash: line 1: cd: {target}: {why}\n"));
                        Ok(1)
                    }
                    // ash `cdcmd`: ash_msg_and_raise_perror sets the status to 2 and names the
                    // builtin and the line (`/bin/sh: cd: line 1: can't cd to ...`); the line
                    // number is not tracked, a one-line RUN's is 1.
                    Flavor::Ash => {
                        io.eprint(&format!(
                            "/bin/sh: cd: line 1: can't cd to {target}: {why}\n"
                        ));
                        Ok(2)
                    }
                }
            }
        }
        "export" | "readonly" | "local" => {
            // ash `localcmd`: "not in a function" is raised (status 2, the script goes on).
            if name == "local" && sh.locals.is_empty() {
                io.eprint("/bin/sh: local: line 1: not in a function\n");
                return Some(Ok(2));
            }
            for a in argv.iter().skip(1) {
                if a.starts_with('-') {
                    continue;
                }
                let (n, v) = match a.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (a.clone(), None),
                };
                let valid = n.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
                    && n.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
                if !valid {
                    // ash `setvar`: "bad variable name" raised; export/readonly are special
                    // builtins, so the shell ends with 2.
                    io.eprint(&format!(
                        "/bin/sh: {name}: line 1: {n}: bad variable name\n"
                    ));
                    return Some(if name == "local" {
                        Ok(2)
                    } else {
                        Err(Ctrl::Exit(2))
                    });
                }
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
                // ash `optletters_optnames` (Debian's build has pipefail); anything else is
                // "illegal option", raised: set is special, so the shell ends with 2.
                let sign = if on { '-' } else { '+' };
                // (bash and dash know other options: only ash's list is checked.)
                let ash = sh.flavor == Flavor::Ash;
                let illegal = |io: &mut Io, what: String| {
                    if !ash {
                        return None;
                    }
                    io.eprint(&format!("/bin/sh: set: line 1: illegal option {what}\n"));
                    Some(Err(Ctrl::Exit(2)))
                };
                if flags == "o" {
                    if let Some(o) = rest.next() {
                        match o.as_str() {
                            "errexit" => sh.opt_e = on,
                            "xtrace" => sh.opt_x = on,
                            "pipefail" => sh.opt_pipefail = on,
                            "nounset" => sh.opt_u = on,
                            "noglob" | "ignoreeof" | "monitor" | "noexec" | "verbose"
                            | "noclobber" | "allexport" | "notify" | "errtrace" | "vi" => {}
                            other => {
                                if let Some(r) = illegal(io, format!("{sign}o {other}")) {
                                    return Some(r);
                                }
                            }
                        }
                    }
                    continue;
                }
                for f in flags.chars() {
                    match f {
                        'e' => sh.opt_e = on,
                        'x' => sh.opt_x = on,
                        'u' => sh.opt_u = on,
                        'f' | 'I' | 'i' | 'm' | 'n' | 's' | 'c' | 'v' | 'C' | 'a' | 'b' | 'E' => {}
                        other => {
                            if let Some(r) = illegal(io, format!("{sign}{other}")) {
                                return Some(r);
                            }
                        }
                    }
                }
            }
            Ok(0)
        }
        "exit" => match arg(1) {
            None => Err(Ctrl::Exit(sh.status)),
            // ash `number()`: digits only, else "Illegal number" raised (status 2; exit is a
            // special builtin, so the shell ends).
            Some(a) => match a
                .parse::<u32>()
                .ok()
                .filter(|_| a.bytes().all(|b| b.is_ascii_digit()))
            {
                Some(c) => Err(Ctrl::Exit((c & 0xff) as i32)),
                None => {
                    io.eprint(&format!("/bin/sh: exit: line 1: Illegal number: {a}\n"));
                    Err(Ctrl::Exit(2))
                }
            },
        },
        "return" => Err(Ctrl::Return(
            arg(1).and_then(|a| a.parse().ok()).unwrap_or(sh.status),
        )),
        // ash `breakcmd`: outside a loop nothing happens; N is capped at the loops running.
        "break" | "continue" if sh.loop_depth == 0 => Ok(0),
        "break" => Err(Ctrl::Break(
            arg(1)
                .and_then(|a| a.parse().ok())
                .unwrap_or(1)
                .clamp(1, sh.loop_depth),
        )),
        "continue" => Err(Ctrl::Continue(
            arg(1)
                .and_then(|a| a.parse().ok())
                .unwrap_or(1)
                .clamp(1, sh.loop_depth),
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
            // Options: -r (raw), and -p PROMPT -t SECS -n N -d DELIM -u FD take a value.
            let mut names: Vec<String> = Vec::new();
            let mut raw = false;
            let mut i = 1;
            while let Some(a) = argv.get(i) {
                if names.is_empty() && a.starts_with('-') && a.len() > 1 {
                    let flags = &a[1..];
                    raw |= flags.contains('r');
                    if flags.ends_with(['p', 't', 'n', 'd', 'u']) {
                        i += 1;
                    }
                } else {
                    names.push(a.clone());
                }
                i += 1;
            }
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
            // Without -r a backslash quotes the next character: it is kept and never splits.
            let mut chars: Vec<(char, bool)> = Vec::new();
            let mut it = line.chars();
            while let Some(c) = it.next() {
                if c == '\\' && !raw {
                    if let Some(n) = it.next() {
                        chars.push((n, true));
                    }
                } else {
                    chars.push((c, false));
                }
            }
            assign_read_words(sh, &names, &chars);
            if !complete {
                // The last line without a newline: the variables are set, but read fails.
                return Some(Ok(1));
            }
            if names.is_empty() {
                sh.set_var("REPLY", chars.iter().map(|(c, _)| *c).collect());
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
            // `type` and `command -V` describe (ash `describe_command`, verbose); `command -v`
            // prints the name or path only.
            let verbose = name == "type" || argv.iter().any(|a| a == "-V");
            const KEYWORDS: &[&str] = &[
                "!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if",
                "in", "then", "until", "while", "{", "}", "[[",
            ];
            const SPECIAL: &[&str] = &[
                "break", ":", ".", "continue", "eval", "exec", "exit", "export", "readonly",
                "return", "set", "shift", "times", "trap", "unset",
            ];
            let mut code = 0;
            for n in rest {
                let text = if KEYWORDS.contains(&n.as_str()) {
                    if verbose {
                        format!("{n} is a shell keyword")
                    } else {
                        n.clone()
                    }
                } else if sh.funcs.contains_key(&n) {
                    if verbose {
                        format!("{n} is a function")
                    } else {
                        n.clone()
                    }
                } else if run_builtin_names().contains(&n.as_str()) {
                    match (verbose, SPECIAL.contains(&n.as_str())) {
                        (false, _) => n.clone(),
                        (true, true) => format!("{n} is a special shell builtin"),
                        (true, false) => format!("{n} is a shell builtin"),
                    }
                } else if let Some(p) = sh.find_in_path(&n) {
                    if verbose {
                        format!("{n} is {p}")
                    } else {
                        p
                    }
                } else {
                    code = 127;
                    if verbose {
                        format!("{n}: not found")
                    } else {
                        continue;
                    }
                };
                io.print(&format!("{text}\n"));
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
        "umask" => Ok(umask(sh, argv, io)),
        "wait" | "hash" | "alias" | "unalias" | "ulimit" | "times" | "getopts" | "jobs" => Ok(0),
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

/// `umask [-S] [MODE]`: prints the mask (`0022`, or `u=rwx,g=rx,o=rx` with -S) or sets it
/// (octal, or symbolic as the permissions to keep).
fn umask(sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
    let symbolic = argv.get(1).is_some_and(|a| a == "-S");
    let mode = argv.iter().skip(1).find(|a| *a != "-S");
    match mode {
        None => {
            if symbolic {
                let keep = !sh.umask & 0o777;
                let part = |shift: u32| {
                    let b = (keep >> shift) & 7;
                    let mut s = String::new();
                    for (bit, c) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                        if b & bit != 0 {
                            s.push(c);
                        }
                    }
                    s
                };
                io.print(&format!("u={},g={},o={}\n", part(6), part(3), part(0)));
            } else {
                io.print(&format!("{:04o}\n", sh.umask));
            }
            0
        }
        Some(m) => {
            // ash `umaskcmd`: a numeric mask is taken as is, a symbolic one names the bits to
            // keep; anything bb_parse_mode rejects (or above 0777) raises "illegal mode"
            // (status 2).
            let numeric = m.starts_with(|c: char| c.is_ascii_digit());
            let parsed = if numeric {
                super::perms::apply_mode(m, sh.umask, false)
                    .filter(|_| m.chars().all(|c| ('0'..='7').contains(&c)))
            } else {
                super::perms::apply_mode(m, !sh.umask & 0o777, true).map(|keep| !keep & 0o777)
            };
            match parsed.filter(|v| *v <= 0o777) {
                Some(v) => {
                    sh.umask = v;
                    0
                }
                None => {
                    io.eprint(&format!("/bin/sh: umask: line 1: illegal mode: {m}\n"));
                    2
                }
            }
        }
    }
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
/// Splits a line read by `read` over `names` by IFS (POSIX): IFS white space around fields
/// is dropped, each other IFS character ends a field; the last name gets the rest of the line
/// (its trailing IFS white space removed).
fn assign_read_words(sh: &mut Shell, names: &[String], chars: &[(char, bool)]) {
    let ifs = sh.var("IFS").unwrap_or_else(|| " \t\n".to_string());
    // A quoted (backslash-escaped) character is never a separator.
    let is_ws = |(c, q): (char, bool)| !q && ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
    let is_sep = |(c, q): (char, bool)| !q && ifs.contains(c);
    let mut i = 0;
    while i < chars.len() && is_ws(chars[i]) {
        i += 1;
    }
    for (k, n) in names.iter().enumerate() {
        if k + 1 == names.len() {
            let mut end = chars.len();
            while end > i && is_ws(chars[end - 1]) {
                end -= 1;
            }
            let rest: String = chars[i.min(end)..end].iter().map(|(c, _)| *c).collect();
            sh.set_var(n, rest);
            break;
        }
        let start = i;
        while i < chars.len() && !is_sep(chars[i]) {
            i += 1;
        }
        let field: String = chars[start..i].iter().map(|(c, _)| *c).collect();
        // Skip the separator: IFS white space, then at most one other IFS character and the
        // white space after it.
        while i < chars.len() && is_ws(chars[i]) {
            i += 1;
        }
        if i < chars.len() && is_sep(chars[i]) && !is_ws(chars[i]) {
            i += 1;
            while i < chars.len() && is_ws(chars[i]) {
                i += 1;
            }
        }
        sh.set_var(n, field);
    }
}
