//! `sed`: scripts of `s/re/rep/[g][p][I]`, `d` and `p` commands, each with an optional address
//! (`/re/`, a line number, `$`), separated by `;` or newlines; `-n`, `-e` (repeatable), `-i`,
//! `-E`/`-r`. Other commands make the effect unknown rather than guessed.

use super::opts::parse;
use super::regex::Regex;
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status, TEXT_LIMIT};

enum Addr {
    All,
    Line(usize),
    Last,
    Re(Regex),
}

enum Cmd {
    Subst {
        re: Regex,
        rep: String,
        global: bool,
        print: bool,
    },
    Delete,
    Print,
}

struct Program {
    cmds: Vec<(Addr, Cmd)>,
}

/// Reads up to an unescaped `delim`; returns the text (with `\delim` unescaped) and the rest.
fn until_delim(s: &str, delim: char) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut it = s.char_indices();
    while let Some((i, c)) = it.next() {
        if c == '\\' {
            match it.next() {
                Some((_, n)) if n == delim => out.push(n),
                Some((_, n)) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else if c == delim {
            return Some((out, &s[i + c.len_utf8()..]));
        } else {
            out.push(c);
        }
    }
    None
}

fn parse_program(scripts: &[String], extended: bool) -> Option<Program> {
    let mut cmds = Vec::new();
    for script in scripts {
        let mut rest = script.as_str();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
            if rest.is_empty() {
                break;
            }
            let addr = if let Some(r) = rest.strip_prefix('/') {
                let (re, after) = until_delim(r, '/')?;
                rest = after;
                Addr::Re(Regex::new(&re, extended, false))
            } else if let Some(r) = rest.strip_prefix('$') {
                rest = r;
                Addr::Last
            } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
                let end = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                let n = rest[..end].parse().ok()?;
                rest = &rest[end..];
                Addr::Line(n)
            } else {
                Addr::All
            };
            rest = rest.trim_start();
            let mut chars = rest.chars();
            let cmd = match chars.next()? {
                's' => {
                    let delim = chars.next()?;
                    let body = &rest[1 + delim.len_utf8()..];
                    let (pat, after) = until_delim(body, delim)?;
                    let (rep, after) = until_delim(after, delim)?;
                    let flags_end = after.find([';', '\n', '}']).unwrap_or(after.len());
                    let flags = after[..flags_end].trim();
                    if !flags.chars().all(|c| matches!(c, 'g' | 'p' | 'I' | 'i')) {
                        return None;
                    }
                    rest = &after[flags_end..];
                    let icase = flags.contains('I') || flags.contains('i');
                    Cmd::Subst {
                        re: Regex::new(&pat, extended, icase),
                        rep,
                        global: flags.contains('g'),
                        print: flags.contains('p'),
                    }
                }
                'd' => {
                    rest = &rest[1..];
                    Cmd::Delete
                }
                'p' => {
                    rest = &rest[1..];
                    Cmd::Print
                }
                _ => return None,
            };
            cmds.push((addr, cmd));
        }
    }
    Some(Program { cmds })
}

/// A replacement: `&` is the match, `\&` a literal `&`, `\n` a newline.
fn substitute(rep: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut chars = rep.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(matched),
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            },
            o => out.push(o),
        }
    }
    out
}

fn subst_line(re: &Regex, rep: &str, global: bool, body: &str) -> (String, bool) {
    let mut res = String::new();
    let mut pos = 0;
    let mut any = false;
    while let Some((start, end)) = re.find_at(body, pos) {
        any = true;
        res.push_str(body.get(pos..start).unwrap_or(""));
        res.push_str(&substitute(rep, body.get(start..end).unwrap_or("")));
        if end == start {
            // An empty match: copy one character and go on, as sed does.
            match body.get(end..).and_then(|r| r.chars().next()) {
                Some(c) => {
                    res.push(c);
                    pos = end + c.len_utf8();
                }
                None => {
                    pos = end;
                    break;
                }
            }
        } else {
            pos = end;
        }
        if !global || pos >= body.len() {
            break;
        }
    }
    res.push_str(body.get(pos..).unwrap_or(""));
    (res, any)
}

fn run_program(p: &Program, text: &str, quiet: bool) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len();
    let mut out = String::new();
    'lines: for (idx, line) in lines.iter().enumerate() {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (*line, ""),
        };
        let mut cur = body.to_string();
        for (addr, cmd) in &p.cmds {
            let hit = match addr {
                Addr::All => true,
                Addr::Line(k) => idx + 1 == *k,
                Addr::Last => idx + 1 == n,
                Addr::Re(re) => re.is_match(&cur),
            };
            if !hit {
                continue;
            }
            match cmd {
                Cmd::Delete => continue 'lines,
                Cmd::Print => {
                    out.push_str(&cur);
                    out.push('\n');
                }
                Cmd::Subst {
                    re,
                    rep,
                    global,
                    print,
                } => {
                    let (new, any) = subst_line(re, rep, *global, &cur);
                    cur = new;
                    if any && *print {
                        out.push_str(&cur);
                        out.push('\n');
                    }
                }
            }
        }
        if !quiet {
            out.push_str(&cur);
            out.push_str(nl);
        }
    }
    out
}

pub fn sed(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "ef", true);
    let mut args = o.args.clone();
    let mut scripts: Vec<String> = o
        .flags
        .iter()
        .filter(|(f, _)| *f == 'e')
        .filter_map(|(_, v)| v.clone())
        .collect();
    if scripts.is_empty() {
        if args.is_empty() {
            io.eprint("sed: no script\n");
            return Ok(1);
        }
        scripts.push(args.remove(0));
    }
    let Some(program) = parse_program(&scripts, o.has('E') || o.has('r')) else {
        sh.unknown.push(format!(
            "sed script `{}` is not modelled",
            scripts.join("; ")
        ));
        return Ok(0);
    };
    let quiet = o.has('n');
    let mut code = 0;
    if o.has('i') {
        for f in &args {
            let p = sh.abs(f);
            let c = match sh.ctx.fs.read(&p) {
                Ok(c) => c,
                Err(e) => {
                    io.eprint(&format!("sed: {f}: {}\n", e.message()));
                    code = 1;
                    continue;
                }
            };
            let Some(bytes) = c.to_bytes_bounded(TEXT_LIMIT) else {
                sh.unknown
                    .push(format!("sed -i on a {}-byte file is not modelled", c.len()));
                continue;
            };
            let new = run_program(&program, &String::from_utf8_lossy(&bytes), quiet);
            // sed -i writes a temporary file and renames it over the original: a new inode
            // with the old mode and owner.
            let meta = sh
                .ctx
                .fs
                .stat(&p)
                .map(|s| s.meta)
                .unwrap_or(sh.new_file_meta());
            if let Err(e) = sh
                .check_create(&p)
                .and_then(|_| sh.ctx.fs.put_file(&p, Content::from_text(&new), meta))
            {
                io.eprint(&format!("sed: {f}: {}\n", e.message()));
                code = 4;
            }
        }
        return Ok(code);
    }
    let inputs: Vec<Content> = if args.is_empty() {
        vec![std::mem::take(&mut io.stdin)]
    } else {
        let mut v = Vec::new();
        for f in &args {
            match sh.read_file(&sh.abs(f), Some(0)) {
                Ok(c) => v.push(c),
                Err(e) => {
                    io.eprint(&format!("sed: {f}: {}\n", e.message()));
                    code = 2;
                }
            }
        }
        v
    };
    let mut all = String::new();
    for c in inputs {
        match c.to_bytes_bounded(TEXT_LIMIT) {
            Some(b) => all.push_str(&String::from_utf8_lossy(&b)),
            None => sh
                .unknown
                .push(format!("sed on a {}-byte input is not modelled", c.len())),
        }
    }
    io.print(&run_program(&program, &all, quiet));
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::{parse_program, run_program};

    #[test]
    fn sed_table() {
        for (script, input, quiet, want) in [
            ("s/l/L/g", "hello\n", false, "heLLo\n"),
            ("s/l/L/", "hello\n", false, "heLlo\n"),
            ("s|/usr|/opt|", "/usr/bin\n", false, "/opt/bin\n"),
            ("s/a\\/b/x/", "a/b\n", false, "x\n"),
            ("/^#/d", "#c\nx\n#d\n", false, "x\n"),
            ("s/x/y/;s/y/z/", "x\n", false, "z\n"),
            ("2p", "a\nb\n", true, "b\n"),
            ("$d", "a\nb\n", false, "a\n"),
            ("s/[0-9][0-9]*/<&>/g", "a1b22\n", false, "a<1>b<22>\n"),
            ("s/^/> /", "q\n", false, "> q\n"),
        ] {
            let p = parse_program(&[script.to_string()], false).expect(script);
            assert_eq!(run_program(&p, input, quiet), want, "{script}");
        }
        assert!(parse_program(&["y/abc/xyz/".to_string()], false).is_none());
    }
}
