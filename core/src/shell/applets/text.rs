//! Text applets: head tail wc grep cut tr (sed, sort/uniq and awk have their own files).
//! Output formats are busybox 1.35's (`wc -c f` prints `10 f`, unpadded for one count).

use super::errors::fail;
use super::opts::{parse, parse_size};
use super::regex::Regex;
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status, TEXT_LIMIT};

/// The inputs of a filter: each named file (or stdin), with its name.
pub(super) fn inputs(
    sh: &mut Shell,
    applet: &str,
    files: &[String],
    io: &mut Io,
) -> (Vec<(String, Content)>, i32) {
    inputs_of(sh, applet, files, io, None)
}

/// Like `inputs`, reading `want` bytes from endless devices (`head -c N /dev/urandom`).
fn inputs_of(
    sh: &mut Shell,
    applet: &str,
    files: &[String],
    io: &mut Io,
    want: Option<u64>,
) -> (Vec<(String, Content)>, i32) {
    let mut out = Vec::new();
    let mut code = 0;
    if files.is_empty() {
        out.push(("-".to_string(), std::mem::take(&mut io.stdin)));
    }
    for f in files {
        if f == "-" {
            out.push((f.clone(), std::mem::take(&mut io.stdin)));
            continue;
        }
        let p = sh.abs(f);
        match sh.read_file(&p, Some(want.unwrap_or(0))) {
            Ok(c) => out.push((f.clone(), c)),
            // busybox: `fopen_or_warn` (head, wc, grep, cut, sort) prints `applet: FILE: error`,
            // `open_or_warn` (cat, tail, md5sum, ...) `applet: can't open 'FILE': error`.
            Err(e) if matches!(applet, "head" | "wc" | "grep" | "cut" | "sort") => {
                code = fail(io, format!("{applet}: {f}: {}", e.message()))
            }
            Err(e) => code = fail(io, format!("{applet}: can't open '{f}': {}", e.message())),
        }
    }
    (out, code)
}

pub(super) fn text_of(sh: &mut Shell, c: &Content) -> Option<String> {
    match c.to_bytes_bounded(TEXT_LIMIT) {
        Some(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        None => {
            sh.unknown
                .push(format!("text of a {}-byte file is not modelled", c.len()));
            None
        }
    }
}

pub(super) fn lines_of(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.split('\n').collect();
    if s.ends_with('\n') || s.is_empty() {
        v.pop();
    }
    v
}

/// `head -5` / `tail -5` / `tail +5` (the obsolete count forms busybox still takes as the
/// first argument) as `-n 5` / `-n +5`.
fn obsolete_count(argv: &[String], plus_too: bool) -> Vec<String> {
    let mut v = argv.to_vec();
    if let Some(first) = argv.get(1) {
        let digits = first
            .strip_prefix('-')
            .or_else(|| first.strip_prefix('+').filter(|_| plus_too));
        if digits.is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())) {
            let n = if first.starts_with('+') {
                first.clone()
            } else {
                first[1..].to_string()
            };
            v.splice(1..2, ["-n".to_string(), n]);
        }
    }
    v
}

/// A count of `head -n/-c` or `tail -n/-c`: its value and its sign (`-N`, `+N`).
fn signed_count(v: &str) -> Option<(char, u64)> {
    match v.chars().next() {
        Some(c @ ('+' | '-')) => parse_size(&v[1..]).map(|n| (c, n)),
        _ => parse_size(v).map(|n| (' ', n)),
    }
}

/// `==> name <==` before each input when there are several (first without the blank line).
fn header(io: &mut Io, name: &str, first: bool) {
    let name = if name == "-" { "standard input" } else { name };
    io.print(&format!(
        "{}==> {name} <==\n",
        if first { "" } else { "\n" }
    ));
}

/// Which end of each input `head` or `tail` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Head,
    Tail,
}

impl End {
    fn applet(self) -> &'static str {
        match self {
            End::Head => "head",
            End::Tail => "tail",
        }
    }

    /// The kept units `[start, end)` of `len` for the count `n` with its sign: `head -N` all
    /// but the last N, `head N` the first N; `tail +N` from the Nth on, `tail N` the last N.
    fn keep(self, sign: char, n: u64, len: u64) -> (u64, u64) {
        match (self, sign) {
            (End::Head, '-') => (0, len.saturating_sub(n)),
            (End::Head, _) => (0, n.min(len)),
            (End::Tail, '+') => (n.saturating_sub(1).min(len), len),
            (End::Tail, _) => (len.saturating_sub(n), len),
        }
    }
}

pub fn head(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    head_or_tail(sh, argv, io, End::Head)
}

pub fn tail(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    head_or_tail(sh, argv, io, End::Tail)
}

fn head_or_tail(sh: &mut Shell, argv: &[String], io: &mut Io, end: End) -> Status {
    let argv = obsolete_count(argv, end == End::Tail);
    let o = parse(&argv, "cn", false);
    let bytes = o.value('c').map(|v| (v, signed_count(v)));
    let lines = o.value('n').map(|v| (v, signed_count(v)));
    let bad = match (&bytes, &lines) {
        (Some((v, None)), _) | (_, Some((v, None))) => Some(v.to_string()),
        _ => None,
    };
    if let Some(v) = bad {
        return Ok(fail(io, format!("{}: invalid number '{v}'", end.applet())));
    }
    // `head -c N` reads only N bytes (of an endless device too).
    let want = match bytes {
        Some((_, Some((s, n)))) if end == End::Head && s != '-' => Some(n),
        _ => None,
    };
    let (ins, code) = inputs_of(sh, end.applet(), &o.args, io, want);
    let headers = (ins.len() > 1 && !o.has('q')) || o.has('v');
    for (i, (name, c)) in ins.iter().enumerate() {
        if headers {
            header(io, name, i == 0);
        }
        if let Some((_, Some((sign, n)))) = bytes {
            let (from, to) = end.keep(sign, n, c.len());
            io.out = io.out.append(&c.slice(from, to - from));
            continue;
        }
        let (sign, n) = match lines {
            Some((_, Some(v))) => v,
            _ => (' ', 10),
        };
        let Some(t) = text_of(sh, c) else { continue };
        let ls: Vec<&str> = t.split_inclusive('\n').collect();
        let (from, to) = end.keep(sign, n, ls.len() as u64);
        let range =
            usize::try_from(from).unwrap_or(ls.len())..usize::try_from(to).unwrap_or(ls.len());
        io.print(&ls[range].concat());
    }
    Ok(code)
}

pub fn wc(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let mut kinds: Vec<char> = ['l', 'w', 'c']
        .into_iter()
        .filter(|k| o.has(*k) || (*k == 'c' && o.has('m')))
        .collect();
    if kinds.is_empty() {
        kinds = vec!['l', 'w', 'c'];
    }
    let (ins, code) = inputs(sh, "wc", &o.args, io);
    let mut totals = [0u64; 3];
    let n_inputs = ins.len();
    let bare = o.args.len() <= 1 && kinds.len() == 1;
    for (name, c) in &ins {
        let counts = if kinds == ['c'] {
            [0, 0, c.len()]
        } else {
            match c.to_bytes_bounded(TEXT_LIMIT) {
                Some(b) => {
                    let text = String::from_utf8_lossy(&b);
                    [
                        b.iter().filter(|&&x| x == b'\n').count() as u64,
                        text.split_whitespace().count() as u64,
                        b.len() as u64,
                    ]
                }
                None => [0, 0, c.len()],
            }
        };
        for i in 0..3 {
            totals[i] += counts[i];
        }
        io.print(&wc_line(
            &kinds,
            &counts,
            if name == "-" { None } else { Some(name) },
            bare,
        ));
    }
    if n_inputs > 1 {
        io.print(&wc_line(&kinds, &totals, Some("total"), false));
    }
    Ok(code)
}

/// busybox 1.35 `wc_main`: counts are `%9u` joined by spaces, except that with at most one
/// file and exactly one kind of count the number is printed bare (`wc -c f` -> `10 f`).
fn wc_line(kinds: &[char], counts: &[u64; 3], name: Option<&str>, bare: bool) -> String {
    let mut s = String::new();
    for (i, k) in kinds.iter().enumerate() {
        let v = counts[match k {
            'l' => 0,
            'w' => 1,
            _ => 2,
        }];
        if i > 0 {
            s.push(' ');
        }
        if bare {
            s.push_str(&v.to_string());
        } else {
            s.push_str(&format!("{v:9}"));
        }
    }
    if let Some(n) = name {
        s.push(' ');
        s.push_str(n);
    }
    s.push('\n');
    s
}

/// The patterns of a grep run, compiled (`-F` escapes them; `-e` repeats; a pattern with
/// newlines is several).
struct GrepPatterns {
    res: Vec<Regex>,
    word: bool,
    line: bool,
}

impl GrepPatterns {
    /// The matches of `line` (byte spans, leftmost first) that `-w`/`-x` accept.
    fn matches(&self, line: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let is_word = |c: Option<char>| c.is_some_and(super::regex::is_word);
        for re in &self.res {
            let mut pos = 0;
            let mut guard = 0;
            while pos <= line.len() && guard < 10_000 {
                guard += 1;
                let Some((s, e)) = re.find_at(line, pos) else {
                    break;
                };
                let ok = if self.line {
                    s == 0 && e == line.len()
                } else if self.word {
                    !is_word(line[..s].chars().next_back()) && !is_word(line[e..].chars().next())
                } else {
                    true
                };
                if ok {
                    spans.push((s, e));
                }
                if self.line {
                    break;
                }
                pos = if e > s {
                    if ok {
                        e
                    } else {
                        s + line[s..].chars().next().map_or(1, char::len_utf8)
                    }
                } else {
                    match line[e..].chars().next() {
                        Some(c) => e + c.len_utf8(),
                        None => break,
                    }
                };
            }
        }
        crate::sorting::sort(&mut spans);
        spans
    }
}

pub fn grep(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "efmABC", false);
    let mut args = o.args.clone();
    let mut pats: Vec<String> = o
        .flags
        .iter()
        .filter(|(f, _)| *f == 'e')
        .filter_map(|(_, v)| v.clone())
        .collect();
    for (f, v) in &o.flags {
        if let ('f', Some(path)) = (f, v) {
            match sh.read_file(&sh.abs(path), None) {
                Ok(c) => {
                    let t = text_of(sh, &c).unwrap_or_default();
                    pats.extend(lines_of(&t).into_iter().map(str::to_string));
                }
                Err(e) => {
                    return Ok(fail_with_code(
                        io,
                        2,
                        format!("grep: {path}: {}", e.message()),
                    ))
                }
            }
        }
    }
    if pats.is_empty() && !o.flags.iter().any(|(f, _)| *f == 'f') {
        if args.is_empty() {
            io.eprint("Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
            return Ok(2);
        }
        pats.extend(args.remove(0).split('\n').map(str::to_string));
    }
    let fixed = o.has('F');
    let extended = o.has('E');
    let res = pats
        .iter()
        .map(|p| {
            let p = if fixed {
                p.chars()
                    .flat_map(|c| {
                        if "\\.[*^$".contains(c) {
                            vec!['\\', c]
                        } else {
                            vec![c]
                        }
                    })
                    .collect()
            } else {
                p.clone()
            };
            Regex::new(&p, extended && !fixed, o.has('i'))
        })
        .collect();
    let patterns = GrepPatterns {
        res,
        word: o.has('w'),
        line: o.has('x'),
    };
    // -r / -R: the regular files below each directory operand (sorted).
    let recursive = o.has('r') || o.has('R');
    if recursive {
        let mut files = Vec::new();
        for a in if args.is_empty() {
            vec![".".to_string()]
        } else {
            args.clone()
        } {
            let base = sh.abs(&a);
            match sh.ctx.fs.walk(&base) {
                Ok(entries) => {
                    for e in entries.into_iter().filter(|e| e.stat.is_file()) {
                        let rel = e
                            .path
                            .strip_prefix(base.trim_end_matches('/'))
                            .unwrap_or(&e.path)
                            .to_string();
                        files.push(if rel.is_empty() {
                            a.clone()
                        } else {
                            format!("{}{}", a.trim_end_matches('/'), rel)
                        });
                    }
                }
                Err(_) => files.push(a),
            }
        }
        args = files;
    }
    // Open errors go to a side Io so that -s can drop them.
    let mut err = Io::with_stdin(std::mem::take(&mut io.stdin));
    let (ins, code) = inputs(sh, "grep", &args, &mut err);
    io.stdin = std::mem::take(&mut err.stdin);
    if !o.has('s') {
        io.err.extend_from_slice(&err.err);
    }
    let with_names = if o.has('h') {
        false
    } else {
        o.has('H') || ins.len() > 1 || recursive
    };
    let max = o.value('m').and_then(|v| v.parse::<usize>().ok());
    let (invert, quiet, count) = (o.has('v'), o.has('q'), o.has('c'));
    let (list, list_missing, only, numbers) = (o.has('l'), o.has('L'), o.has('o'), o.has('n'));
    let mut matched = 0;
    'inputs: for (name, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        let shown = if name == "-" {
            "(standard input)"
        } else {
            name.as_str()
        };
        let prefix = |n: usize| -> String {
            let mut p = String::new();
            if with_names {
                p.push_str(shown);
                p.push(':');
            }
            if numbers {
                p.push_str(&format!("{n}:"));
            }
            p
        };
        let mut n = 0;
        let mut out = String::new();
        for (i, line) in lines_of(&t).into_iter().enumerate() {
            if max.is_some_and(|m| n >= m) {
                break;
            }
            let spans = patterns.matches(line);
            if spans.is_empty() == invert {
                n += 1;
                if quiet {
                    matched += 1;
                    break 'inputs;
                }
                if count || list || list_missing {
                    continue;
                }
                if only && !invert {
                    for (s, e) in spans.into_iter().filter(|(s, e)| e > s) {
                        out.push_str(&prefix(i + 1));
                        out.push_str(&line[s..e]);
                        out.push('\n');
                    }
                } else if !only {
                    out.push_str(&prefix(i + 1));
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if count {
            out.push_str(&if with_names {
                format!("{shown}:{n}\n")
            } else {
                format!("{n}\n")
            });
        }
        if list && n > 0 {
            out.push_str(&format!("{shown}\n"));
        }
        if list_missing && n == 0 {
            out.push_str(&format!("{shown}\n"));
        }
        io.print(&out);
        matched += n;
    }
    if quiet && matched > 0 {
        return Ok(0);
    }
    if code != 0 {
        return Ok(2);
    }
    Ok(if matched > 0 { 0 } else { 1 })
}

fn fail_with_code(io: &mut Io, code: i32, msg: String) -> i32 {
    super::errors::fail_with(io, code, msg)
}

pub fn cut(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "dfcb", false);
    let delim = o.value('d').unwrap_or("\t").to_string();
    let by_chars = o.value('c').or(o.value('b')).is_some();
    let list = o
        .value('f')
        .or(o.value('c'))
        .or(o.value('b'))
        .unwrap_or("1")
        .to_string();
    let mut wanted: Vec<(usize, usize)> = Vec::new();
    for r in list.split(',') {
        let (a, b) = match r.split_once('-') {
            Some((a, b)) => (a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX)),
            None => {
                let n = r.parse().unwrap_or(1);
                (n, n)
            }
        };
        wanted.push((a.max(1), b));
    }
    let keep = |i: usize| wanted.iter().any(|(a, b)| i >= *a && i <= *b);
    let (ins, code) = inputs(sh, "cut", &o.args, io);
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        let mut out = String::new();
        for line in lines_of(&t) {
            if by_chars {
                out.extend(
                    line.chars()
                        .enumerate()
                        .filter(|(i, _)| keep(i + 1))
                        .map(|(_, c)| c),
                );
            } else if !line.contains(delim.as_str()) {
                // A line without the delimiter is printed whole, or left out with -s.
                if o.has('s') {
                    continue;
                }
                out.push_str(line);
            } else {
                let f: Vec<&str> = line
                    .split(delim.as_str())
                    .enumerate()
                    .filter(|(i, _)| keep(i + 1))
                    .map(|(_, s)| s)
                    .collect();
                out.push_str(&f.join(&delim));
            }
            out.push('\n');
        }
        io.print(&out);
    }
    Ok(code)
}

pub fn tr(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let expand = |s: &str| -> Vec<char> {
        let c: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < c.len() {
            // `[:lower:]`, `[:digit:]`, ...: the class's ASCII members in order.
            if c[i] == '[' && c.get(i + 1) == Some(&':') {
                let rest: String = c[i + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    let members: Vec<char> = (0u8..128)
                        .map(char::from)
                        .filter(|ch| match &rest[..end] {
                            "alpha" => ch.is_ascii_alphabetic(),
                            "digit" => ch.is_ascii_digit(),
                            "alnum" => ch.is_ascii_alphanumeric(),
                            "lower" => ch.is_ascii_lowercase(),
                            "upper" => ch.is_ascii_uppercase(),
                            "space" => ch.is_ascii_whitespace() || *ch == '\x0b',
                            "blank" => *ch == ' ' || *ch == '\t',
                            "punct" => ch.is_ascii_punctuation(),
                            "xdigit" => ch.is_ascii_hexdigit(),
                            "cntrl" => ch.is_ascii_control(),
                            "print" => !ch.is_ascii_control(),
                            "graph" => ch.is_ascii_graphic(),
                            _ => false,
                        })
                        .collect();
                    if !members.is_empty() {
                        out.extend(members);
                        i += 2 + rest[..end].chars().count() + 2;
                        continue;
                    }
                }
            }
            if i + 2 < c.len() && c[i + 1] == '-' {
                let (a, b) = (c[i] as u32, c[i + 2] as u32);
                out.extend((a..=b.max(a)).take(256).filter_map(char::from_u32));
                i += 3;
            } else if c[i] == '\\' && i + 1 < c.len() {
                out.push(match c[i + 1] {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
                i += 2;
            } else {
                out.push(c[i]);
                i += 1;
            }
        }
        out
    };
    let set1 = expand(o.args.first().map(String::as_str).unwrap_or(""));
    let set2 = expand(o.args.get(1).map(String::as_str).unwrap_or(""));
    let input = std::mem::take(&mut io.stdin);
    let Some(t) = text_of(sh, &input) else {
        return Ok(0);
    };
    let mut out = String::new();
    // -s squeezes repeats of the (last) set's characters into one.
    let squeeze_set = if o.has('d') || set2.is_empty() {
        &set1
    } else {
        &set2
    };
    for c in t.chars() {
        let mapped = match set1.iter().position(|&x| x == c) {
            Some(_) if o.has('d') => continue,
            Some(i) if !set2.is_empty() => *set2.get(i).or(set2.last()).unwrap_or(&c),
            _ => c,
        };
        if o.has('s') && out.ends_with(mapped) && squeeze_set.contains(&mapped) {
            continue;
        }
        out.push(mapped);
    }
    io.print(&out);
    Ok(0)
}
