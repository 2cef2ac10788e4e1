//! `sed` as busybox 1.35 runs it (editors/sed.c): addresses (`N`, `$`, `/re/`, `\cREc`, with
//! `I`), ranges (`a,b`, `a,+N`), `!`, blocks `{ }`, and the commands `s` (flags `g p N I`,
//! `&` and `\1`-`\9`), `d D p P a i c y = q n N h H g G x b t T :label r`; options `-n`, `-e`
//! (repeatable), `-f`, `-i[SUFFIX]`, `-E`/`-r`, `-s`. Scripts split at newlines; `a`, `i`, `c`
//! take the rest of their line. `w` and `l` make the effect unknown rather than guessed.

use super::opts::parse;
use super::regex::Regex;
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status, TEXT_LIMIT};

/// Work one sed run may do, in commands plus 16-byte chunks of pattern space they scan: branch
/// loops end here, also the ones that grow the line on every turn (`:a;s/x/xx/;ta`).
const MAX_WORK: u64 = 20_000_000;

#[derive(Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
    /// `a,+N`: N lines after the first.
    Plus(usize),
}

#[derive(Debug)]
enum Kind {
    Block {
        end: usize,
    },
    EndBlock,
    Subst {
        re: Option<Regex>,
        rep: String,
        global: bool,
        nth: usize,
        print: bool,
    },
    Delete,
    DeleteFirst,
    Print,
    PrintFirst,
    Append(String),
    Insert(String),
    Change(String),
    Translit(Vec<(char, char)>),
    LineNumber,
    Quit {
        print: bool,
    },
    Next,
    NextAppend,
    Hold,
    HoldAppend,
    Get,
    GetAppend,
    Exchange,
    Branch(String),
    BranchIf {
        label: String,
        if_not: bool,
    },
    Label,
    ReadFile(String),
}

#[derive(Debug)]
struct Cmd {
    first: Option<Addr>,
    last: Option<Addr>,
    invert: bool,
    kind: Kind,
}

#[derive(Debug)]
struct Program {
    cmds: Vec<Cmd>,
    labels: Vec<(String, usize)>,
    /// `#n` on the first line acts like `-n`.
    quiet: bool,
}

/// Why a script cannot be run: busybox's message, or a command the model does not run.
#[derive(Debug, PartialEq, Eq)]
enum ParseError {
    Bad(String),
    Unmodelled,
}

/// Reads up to an unescaped `delim`; returns the text (with `\delim` unescaped, `\n` a newline
/// when `newline`) and the rest.
fn until_delim(s: &str, delim: char) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut it = s.char_indices();
    let mut in_bracket = false;
    while let Some((i, c)) = it.next() {
        if c == '\\' {
            match it.next() {
                Some((_, n)) if n == delim => out.push(n),
                Some((_, 'n')) => out.push('\n'),
                Some((_, n)) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else if c == delim && !in_bracket {
            return Some((out, &s[i + c.len_utf8()..]));
        } else {
            // A delimiter inside a bracket expression is part of it (`s/[/]/x/`).
            if c == '[' && !in_bracket {
                in_bracket = true;
            } else if c == ']' && in_bracket && !out.ends_with('[') && !out.ends_with("[^") {
                in_bracket = false;
            }
            out.push(c);
        }
    }
    None
}

/// `a`/`i`/`c` text: leading blanks, then one `\` or newline, are skipped; `\X` is `X`.
fn edit_text(s: &str) -> String {
    let t = s.trim_start_matches([' ', '\t']);
    let t = t
        .strip_prefix('\\')
        .or_else(|| t.strip_prefix('\n'))
        .unwrap_or(t);
    let t = t.strip_prefix('\n').unwrap_or(t);
    let mut out = String::new();
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some(n) => out.push(n),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The script lines: split at newlines, a line ending in an odd number of `\` joined with the
/// next (busybox `add_cmd`).
fn script_lines(scripts: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for script in scripts {
        let mut pending: Option<String> = None;
        for raw in script.split('\n') {
            let line = match pending.take() {
                Some(p) => format!("{p}\n{raw}"),
                None => raw.to_string(),
            };
            let trailing = line.len() - line.trim_end_matches('\\').len();
            if trailing % 2 == 1 {
                pending = Some(line[..line.len() - 1].to_string());
            } else {
                lines.push(line);
            }
        }
        if let Some(p) = pending {
            lines.push(p);
        }
    }
    lines
}

fn parse_address(rest: &str, extended: bool) -> Result<(Option<Addr>, &str), ParseError> {
    if let Some(r) = rest.strip_prefix('$') {
        return Ok((Some(Addr::Last), r));
    }
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let n = rest[..end]
            .parse()
            .map_err(|_| ParseError::Bad("bad address".into()))?;
        return Ok((Some(Addr::Line(n)), &rest[end..]));
    }
    let (delim, body) = if let Some(r) = rest.strip_prefix('/') {
        ('/', r)
    } else if let Some(r) = rest.strip_prefix('\\') {
        let mut cs = r.chars();
        let Some(d) = cs.next() else {
            return Err(ParseError::Bad("unmatched '\\'".into()));
        };
        (d, cs.as_str())
    } else {
        return Ok((None, rest));
    };
    let (re, mut after) =
        until_delim(body, delim).ok_or_else(|| ParseError::Bad(format!("unmatched '{delim}'")))?;
    let icase = after.starts_with('I');
    if icase {
        after = &after[1..];
    }
    Ok((Some(Addr::Re(Regex::new(&re, extended, icase))), after))
}

fn parse_program(scripts: &[String], extended: bool) -> Result<Program, ParseError> {
    let mut cmds: Vec<Cmd> = Vec::new();
    let mut labels = Vec::new();
    let mut open_blocks: Vec<usize> = Vec::new();
    let lines = script_lines(scripts);
    let quiet = lines
        .first()
        .is_some_and(|l| l.starts_with("#n") && l.trim_end() == "#n");
    for line in &lines {
        let mut rest = line.as_str();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
            if rest.is_empty() {
                break;
            }
            if rest.starts_with('#') {
                break;
            }
            let (first, r) = parse_address(rest, extended)?;
            rest = r;
            let mut last = None;
            if let Some(r) = rest.strip_prefix(',') {
                if let Some(digits) = r.strip_prefix('+') {
                    let end = digits
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(digits.len());
                    let n = digits[..end]
                        .parse()
                        .map_err(|_| ParseError::Bad("no address after comma".into()))?;
                    last = Some(Addr::Plus(n));
                    rest = &digits[end..];
                } else {
                    let (a, r) = parse_address(r, extended)?;
                    if a.is_none() {
                        return Err(ParseError::Bad("no address after comma".into()));
                    }
                    last = a;
                    rest = r;
                }
            }
            rest = rest.trim_start();
            let invert = rest.starts_with('!');
            if invert {
                rest = rest[1..].trim_start();
            }
            let mut chars = rest.chars();
            let Some(letter) = chars.next() else {
                return Err(ParseError::Bad("missing command".into()));
            };
            rest = chars.as_str();
            let one_address_only = matches!(letter, 'a' | 'i' | 'r' | '=' | 'q');
            if one_address_only && last.is_some() && letter != '=' {
                return Err(ParseError::Bad(format!(
                    "command '{letter}' uses only one address"
                )));
            }
            let label_of = |s: &str| -> (String, usize) {
                let s2 = s.trim_start_matches([' ', '\t']);
                let skipped = s.len() - s2.len();
                let len = s2.find([';', ' ', '\t', '\n']).unwrap_or(s2.len());
                (s2[..len].to_string(), skipped + len)
            };
            let kind = match letter {
                '{' => {
                    open_blocks.push(cmds.len());
                    Kind::Block { end: 0 }
                }
                '}' => {
                    let Some(open) = open_blocks.pop() else {
                        return Err(ParseError::Bad("unexpected '}'".into()));
                    };
                    let here = cmds.len();
                    if let Some(Cmd {
                        kind: Kind::Block { end },
                        ..
                    }) = cmds.get_mut(open)
                    {
                        *end = here;
                    }
                    Kind::EndBlock
                }
                's' => {
                    let mut cs = rest.chars();
                    let delim = cs
                        .next()
                        .ok_or_else(|| ParseError::Bad("unterminated `s' command".into()))?;
                    let (pat, after) = until_delim(cs.as_str(), delim)
                        .ok_or_else(|| ParseError::Bad(format!("unmatched '{delim}'")))?;
                    let (rep, after) = until_delim(after, delim)
                        .ok_or_else(|| ParseError::Bad(format!("unmatched '{delim}'")))?;
                    let mut global = false;
                    let mut print = false;
                    let mut icase = false;
                    let mut nth = 0usize;
                    let mut consumed = 0;
                    for (i, f) in after.char_indices() {
                        consumed = i;
                        match f {
                            'g' => global = true,
                            'p' => print = true,
                            'i' | 'I' => icase = true,
                            '0'..='9' => {
                                nth = nth
                                    .saturating_mul(10)
                                    .saturating_add(f as usize - '0' as usize)
                            }
                            ' ' | '\t' => {}
                            ';' | '}' | '#' | '\n' => break,
                            'w' => return Err(ParseError::Unmodelled),
                            _ => {
                                return Err(ParseError::Bad(
                                    "bad option in substitution expression".into(),
                                ))
                            }
                        }
                        consumed = i + f.len_utf8();
                    }
                    rest = &after[consumed..];
                    Kind::Subst {
                        re: (!pat.is_empty()).then(|| Regex::new(&pat, extended, icase)),
                        rep,
                        global,
                        nth: nth.max(1),
                        print,
                    }
                }
                'a' | 'i' | 'c' => {
                    let text = edit_text(rest);
                    rest = "";
                    match letter {
                        'a' => Kind::Append(text),
                        'i' => Kind::Insert(text),
                        _ => Kind::Change(text),
                    }
                }
                'y' => {
                    let mut cs = rest.chars();
                    let delim = cs
                        .next()
                        .ok_or_else(|| ParseError::Bad("unterminated `y' command".into()))?;
                    let (from, after) = until_delim(cs.as_str(), delim)
                        .ok_or_else(|| ParseError::Bad(format!("unmatched '{delim}'")))?;
                    let (to, after) = until_delim(after, delim)
                        .ok_or_else(|| ParseError::Bad(format!("unmatched '{delim}'")))?;
                    rest = after;
                    let unescape = |s: &str| s.replace("\\\\", "\\");
                    Kind::Translit(unescape(&from).chars().zip(unescape(&to).chars()).collect())
                }
                ':' => {
                    let (name, len) = label_of(rest);
                    rest = &rest[len..];
                    labels.push((name, cmds.len()));
                    Kind::Label
                }
                'b' | 't' | 'T' => {
                    let (name, len) = label_of(rest);
                    rest = &rest[len..];
                    if letter == 'b' {
                        Kind::Branch(name)
                    } else {
                        Kind::BranchIf {
                            label: name,
                            if_not: letter == 'T',
                        }
                    }
                }
                'r' => {
                    let name = rest.trim_start().to_string();
                    rest = "";
                    Kind::ReadFile(name)
                }
                'w' | 'l' => return Err(ParseError::Unmodelled),
                'd' => Kind::Delete,
                'D' => Kind::DeleteFirst,
                'p' => Kind::Print,
                'P' => Kind::PrintFirst,
                '=' => Kind::LineNumber,
                'q' => Kind::Quit { print: true },
                'Q' => Kind::Quit { print: false },
                'n' => Kind::Next,
                'N' => Kind::NextAppend,
                'h' => Kind::Hold,
                'H' => Kind::HoldAppend,
                'g' => Kind::Get,
                'G' => Kind::GetAppend,
                'x' => Kind::Exchange,
                other => return Err(ParseError::Bad(format!("unsupported command {other}"))),
            };
            cmds.push(Cmd {
                first,
                last,
                invert,
                kind,
            });
        }
    }
    if !open_blocks.is_empty() {
        return Err(ParseError::Bad("unterminated {".into()));
    }
    for c in &cmds {
        if let Kind::Branch(l) | Kind::BranchIf { label: l, .. } = &c.kind {
            if !l.is_empty() && !labels.iter().any(|(n, _)| n == l) {
                return Err(ParseError::Bad(format!(
                    "can't find label for jump to '{l}'"
                )));
            }
        }
    }
    Ok(Program {
        cmds,
        labels,
        quiet,
    })
}

/// The replacement of one match: `&` the match, `\1`-`\9` groups, `\n` a newline, `\X` X.
fn substitute(rep: &str, body: &str, caps: &[Option<(usize, usize)>]) -> String {
    let group = |i: usize| -> &str {
        caps.get(i)
            .copied()
            .flatten()
            .and_then(|(a, b)| body.get(a..b))
            .unwrap_or("")
    };
    let mut out = String::new();
    let mut chars = rep.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(group(0)),
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => out.push_str(group(d as usize - '0' as usize)),
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

/// `s`: replaces the `nth` match (and every later one with `g`). Returns the new text and
/// whether a replacement was made.
fn subst_line(re: &Regex, rep: &str, global: bool, nth: usize, body: &str) -> (String, bool) {
    let mut res = String::new();
    let mut pos = 0;
    let mut copied = 0;
    let mut count = 0usize;
    let mut any = false;
    while pos <= body.len() {
        let Some(caps) = re.captures_at(body, pos) else {
            break;
        };
        let Some((start, end)) = caps.first().copied().flatten() else {
            break;
        };
        count += 1;
        if count >= nth {
            any = true;
            res.push_str(body.get(copied..start).unwrap_or(""));
            res.push_str(&substitute(rep, body, &caps));
            copied = end;
            if !global {
                break;
            }
        }
        if end == start {
            // An empty match: step over one character.
            match body.get(end..).and_then(|r| r.chars().next()) {
                Some(c) => pos = end + c.len_utf8(),
                None => break,
            }
        } else {
            pos = end;
        }
    }
    res.push_str(body.get(copied..).unwrap_or(""));
    (res, any)
}

/// Range state and input position while a program runs over one stream.
struct Run<'p> {
    prog: &'p Program,
    lines: Vec<String>,
    /// True when the input's last line had no newline (so the output's has none either).
    last_unterminated: bool,
    next: usize,
    in_range: Vec<bool>,
    range_end_line: Vec<Option<usize>>,
    /// Numeric starts of ranges already used (busybox disables an `n,xxx` range once matched).
    start_used: Vec<bool>,
    out: String,
    quiet: bool,
    steps: u64,
    last_regex: Option<Regex>,
    /// Contents of the files `r` commands name (read before the run).
    files: &'p [(String, String)],
}

/// What a cycle ended with.
enum CycleEnd {
    Continue,
    Quit,
}

impl Run<'_> {
    fn is_last(&self) -> bool {
        self.next >= self.lines.len()
    }

    fn read_line(&mut self) -> Option<String> {
        let l = self.lines.get(self.next).cloned();
        if l.is_some() {
            self.next += 1;
        }
        l
    }

    fn emit(&mut self, text: &str, newline: bool) {
        if self.out.len() as u64 > TEXT_LIMIT {
            return;
        }
        // busybox `puts_maybe_newline`: output after an unterminated line starts a new line.
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str(text);
        if newline {
            self.out.push('\n');
        }
    }

    /// Prints the pattern space at the end of a cycle (no newline after an unterminated last
    /// line, like busybox).
    fn autoprint(&mut self, ps: &str) {
        let nl = !(self.is_last() && self.last_unterminated);
        self.emit(ps, nl);
    }

    fn addr_matches(&mut self, a: &Addr, ps: &str, linenum: usize) -> bool {
        match a {
            Addr::Line(n) => *n == linenum,
            Addr::Last => self.is_last(),
            Addr::Re(re) => {
                self.last_regex = Some(re.clone());
                re.is_match(ps)
            }
            Addr::Plus(_) => false,
        }
    }

    /// busybox `process_files`: whether command `i` applies to this line (ranges stay active
    /// until their end address).
    fn selected(&mut self, i: usize, ps: &str, linenum: usize) -> bool {
        let cmd = &self.prog.cmds[i];
        let (Some(first), last) = (&cmd.first, &cmd.last) else {
            return !cmd.invert;
        };
        let matched = match last {
            None => self.addr_matches(first, ps, linenum),
            Some(last) => {
                let was_active = self.in_range[i];
                let starts = !was_active
                    && match first {
                        // A numeric start also matches later lines once (lines eaten by `N`).
                        Addr::Line(n) => !self.start_used[i] && *n <= linenum,
                        other => self.addr_matches(other, ps, linenum),
                    };
                if starts {
                    if matches!(first, Addr::Line(_)) {
                        self.start_used[i] = true;
                    }
                    self.range_end_line[i] = match last {
                        Addr::Plus(n) => Some(linenum + n),
                        Addr::Line(n) => Some(*n),
                        _ => None,
                    };
                }
                let active = was_active || starts;
                if active {
                    let ends = match last {
                        Addr::Last => self.is_last(),
                        Addr::Re(re) => was_active && re.is_match(ps),
                        _ => self.range_end_line[i].is_none_or(|e| e <= linenum),
                    };
                    self.in_range[i] = !ends;
                }
                active
            }
        };
        matched != cmd.invert
    }

    /// Runs the program over the pattern space of one cycle.
    fn cycle(&mut self, mut ps: String, linenum: &mut usize, hold: &mut String) -> CycleEnd {
        let mut appends: Vec<String> = Vec::new();
        let mut pc = 0;
        let mut substituted = false;
        let mut print_at_end = !self.quiet;
        let n_cmds = self.prog.cmds.len();
        while pc < n_cmds {
            self.steps += 1 + ps.len() as u64 / 16;
            if self.steps > MAX_WORK
                || ps.len() as u64 > TEXT_LIMIT
                || hold.len() as u64 > TEXT_LIMIT
            {
                return CycleEnd::Quit;
            }
            let selected = self.selected(pc, &ps, *linenum);
            let cmd = &self.prog.cmds[pc];
            if let Kind::Block { end } = cmd.kind {
                pc = if selected { pc + 1 } else { end + 1 };
                continue;
            }
            if !selected {
                pc += 1;
                continue;
            }
            match &cmd.kind {
                Kind::Block { .. } | Kind::EndBlock | Kind::Label => {}
                Kind::Subst {
                    re,
                    rep,
                    global,
                    nth,
                    print,
                } => {
                    let re = match re {
                        Some(r) => {
                            self.last_regex = Some(r.clone());
                            Some(r.clone())
                        }
                        None => self.last_regex.clone(),
                    };
                    if let Some(re) = re {
                        let (new, any) = subst_line(&re, rep, *global, *nth, &ps);
                        if any {
                            ps = new;
                            substituted = true;
                            if *print {
                                self.emit(&ps.clone(), true);
                            }
                        }
                    }
                }
                Kind::Delete => {
                    print_at_end = false;
                    break;
                }
                Kind::DeleteFirst => match ps.find('\n') {
                    Some(i) => {
                        ps = ps[i + 1..].to_string();
                        self.flush_appends(&mut appends);
                        pc = 0;
                        continue;
                    }
                    None => {
                        print_at_end = false;
                        break;
                    }
                },
                Kind::Print => self.emit(&ps.clone(), true),
                Kind::PrintFirst => {
                    let first = ps.split('\n').next().unwrap_or("").to_string();
                    self.emit(&first, true);
                }
                Kind::Append(t) => appends.push(t.clone()),
                Kind::Insert(t) => self.emit(&t.clone(), true),
                Kind::Change(t) => {
                    // With a range, the text is printed once, at its end.
                    if !self.in_range[pc] || cmd.last.is_none() {
                        self.emit(&t.clone(), true);
                    }
                    print_at_end = false;
                    break;
                }
                Kind::Translit(map) => {
                    ps = ps
                        .chars()
                        .map(|c| map.iter().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t))
                        .collect();
                }
                Kind::LineNumber => self.emit(&linenum.to_string(), true),
                Kind::Quit { print } => {
                    if *print && !self.quiet {
                        self.autoprint(&ps.clone());
                    }
                    self.flush_appends(&mut appends);
                    return CycleEnd::Quit;
                }
                Kind::Next => {
                    if self.is_last() {
                        // No next line: sed ends (autoprint included).
                        break;
                    }
                    if !self.quiet {
                        self.autoprint(&ps.clone());
                    }
                    self.flush_appends(&mut appends);
                    ps = self.read_line().unwrap_or_default();
                    *linenum += 1;
                }
                Kind::NextAppend => {
                    if self.is_last() {
                        // GNU and busybox print the pattern space when N finds no next line.
                        break;
                    }
                    self.flush_appends(&mut appends);
                    ps.push('\n');
                    ps.push_str(&self.read_line().unwrap_or_default());
                    *linenum += 1;
                }
                Kind::Hold => *hold = ps.clone(),
                Kind::HoldAppend => {
                    hold.push('\n');
                    hold.push_str(&ps);
                }
                Kind::Get => ps = hold.clone(),
                Kind::GetAppend => {
                    ps.push('\n');
                    ps.push_str(hold);
                }
                Kind::Exchange => std::mem::swap(&mut ps, hold),
                Kind::Branch(label) => {
                    pc = self.jump(label);
                    continue;
                }
                Kind::BranchIf { label, if_not } => {
                    let take = substituted != *if_not;
                    substituted = false;
                    if take {
                        pc = self.jump(label);
                        continue;
                    }
                }
                Kind::ReadFile(f) => {
                    // The file's lines follow the cycle's output, like `a` text.
                    if let Some((_, t)) = self.files.iter().find(|(n, _)| n == f) {
                        appends.extend(t.lines().map(str::to_string));
                    }
                }
            }
            pc += 1;
        }
        if print_at_end {
            self.autoprint(&ps);
        }
        self.flush_appends(&mut appends);
        CycleEnd::Continue
    }

    fn jump(&self, label: &str) -> usize {
        if label.is_empty() {
            return self.prog.cmds.len();
        }
        self.prog
            .labels
            .iter()
            .find(|(n, _)| n == label)
            .map_or(self.prog.cmds.len(), |(_, i)| *i)
    }

    fn flush_appends(&mut self, appends: &mut Vec<String>) {
        for a in std::mem::take(appends) {
            self.emit(&a, true);
        }
    }
}

/// Runs `p` over `text` (one stream); returns the output.
#[cfg(test)]
fn run_program(p: &Program, text: &str, quiet: bool) -> String {
    run_with_files(p, text, quiet, &[])
}

/// The files `r` commands of `p` read.
fn files_read_by(p: &Program) -> Vec<String> {
    p.cmds
        .iter()
        .filter_map(|c| match &c.kind {
            Kind::ReadFile(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// Runs `p` over `text`, with `files` the contents of the files `r` commands read.
fn run_with_files(p: &Program, text: &str, quiet: bool, files: &[(String, String)]) -> String {
    let last_unterminated = !text.is_empty() && !text.ends_with('\n');
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = p.cmds.len();
    let mut run = Run {
        prog: p,
        lines,
        last_unterminated,
        next: 0,
        in_range: vec![false; n],
        range_end_line: vec![None; n],
        start_used: vec![false; n],
        out: String::new(),
        quiet: quiet || p.quiet,
        steps: 0,
        last_regex: None,
        files,
    };
    let mut hold = String::new();
    let mut linenum = 0usize;
    while let Some(line) = run.read_line() {
        linenum += 1;
        if let CycleEnd::Quit = run.cycle(line, &mut linenum, &mut hold) {
            break;
        }
    }
    run.out
}

pub fn sed(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    // `-i[SUFFIX]` takes its suffix glued on; pull it out before the generic parse.
    let mut in_place: Option<String> = None;
    let argv: Vec<String> = argv
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            if i > 0 {
                // getopt `i::`: everything glued to `-i` is the suffix (`-ie` backs up to `fe`).
                if let Some(suffix) = a
                    .strip_prefix("--in-place")
                    .map(|s| s.trim_start_matches('='))
                    .or_else(|| a.strip_prefix("-i"))
                {
                    in_place = Some(suffix.to_string());
                    return None;
                }
            }
            Some(a.clone())
        })
        .collect();
    let o = parse(&argv, "ef", true);
    let in_place = in_place.or_else(|| o.has('i').then(String::new));
    let mut args = o.args.clone();
    let mut scripts: Vec<String> = Vec::new();
    for (f, v) in &o.flags {
        match (f, v) {
            ('e', Some(v)) => scripts.push(v.clone()),
            ('f', Some(path)) => match sh.read_file(&sh.abs(path), None) {
                Ok(c) => scripts.push(
                    String::from_utf8_lossy(&c.to_bytes_bounded(TEXT_LIMIT).unwrap_or_default())
                        .trim_end_matches('\n')
                        .to_string(),
                ),
                Err(e) => {
                    io.eprint(&format!("sed: can't open '{path}': {}\n", e.message()));
                    return Ok(1);
                }
            },
            _ => {}
        }
    }
    if scripts.is_empty() {
        if args.is_empty() {
            io.eprint("Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n");
            return Ok(1);
        }
        scripts.push(args.remove(0));
    }
    let program = match parse_program(&scripts, o.has('E') || o.has('r')) {
        Ok(p) => p,
        Err(ParseError::Bad(msg)) => {
            io.eprint(&format!("sed: {msg}\n"));
            return Ok(1);
        }
        Err(ParseError::Unmodelled) => {
            sh.unknown.push(format!(
                "sed script `{}` is not modelled",
                scripts.join("; ")
            ));
            return Ok(0);
        }
    };
    let quiet = o.has('n');
    let mut code = 0;
    // Files read by `r` (a missing one reads as nothing, as in busybox).
    let files: Vec<(String, String)> = files_read_by(&program)
        .into_iter()
        .filter_map(|f| {
            let c = sh.read_file(&sh.abs(&f), None).ok()?;
            let b = c.to_bytes_bounded(TEXT_LIMIT)?;
            Some((f, String::from_utf8_lossy(&b).into_owned()))
        })
        .collect();
    if let Some(suffix) = in_place {
        if args.is_empty() {
            io.eprint("sed: no input files\n");
            return Ok(1);
        }
        for f in &args {
            let p = sh.abs(f);
            let c = match sh.read_file(&p, None) {
                Ok(c) => c,
                Err(e) => {
                    io.eprint(&format!("sed: can't open '{f}': {}\n", e.message()));
                    code = 1;
                    continue;
                }
            };
            let Some(bytes) = c.to_bytes_bounded(TEXT_LIMIT) else {
                sh.unknown
                    .push(format!("sed -i on a {}-byte file is not modelled", c.len()));
                continue;
            };
            let new = run_with_files(&program, &String::from_utf8_lossy(&bytes), quiet, &files);
            // sed -i writes a temporary file and renames it over the original: a new inode
            // with the old mode and owner. `-iSUFFIX` keeps the original under the new name.
            let meta = sh
                .ctx
                .fs
                .stat(&p)
                .map(|s| s.meta)
                .unwrap_or(sh.new_file_meta());
            let backup = (!suffix.is_empty()).then(|| format!("{p}{suffix}"));
            let r = sh.check_create(&p).and_then(|_| match &backup {
                Some(b) => sh.ctx.fs.put_file(b, c.clone(), meta),
                None => Ok(()),
            });
            if let Err(e) = r.and_then(|_| sh.ctx.fs.put_file(&p, Content::from_text(&new), meta)) {
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
            if f == "-" {
                v.push(std::mem::take(&mut io.stdin));
                continue;
            }
            match sh.read_file(&sh.abs(f), None) {
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
            Some(b) => {
                // Files are one stream of lines: an unterminated last line stays a line.
                if !all.is_empty() && !all.ends_with('\n') {
                    all.push('\n');
                }
                all.push_str(&String::from_utf8_lossy(&b));
            }
            None => sh
                .unknown
                .push(format!("sed on a {}-byte input is not modelled", c.len())),
        }
    }
    let out = run_with_files(&program, &all, quiet, &files);
    io.print(&out);
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::{parse_program, run_program, ParseError};

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
            // Groups and back-references, ERE and BRE.
            (
                "s/\\(t[a-z]*\\)/[\\1]/",
                "one three\n",
                false,
                "one [three]\n",
            ),
            ("s/\\([a-z]*\\)=\\(.*\\)/\\2=\\1/", "k=v\n", false, "v=k\n"),
            ("s/e/E/2", "eee\n", false, "eEe\n"),
            ("s/e/E/2g", "eeee\n", false, "eEEE\n"),
            ("s/^#\\(.*\\)/\\1/", "#port 80\n", false, "port 80\n"),
            ("s/[[:space:]]*$//", "a  \n", false, "a\n"),
            ("s/x*/-/g", "abc\n", false, "-a-b-c-\n"),
            // Ranges, negation, blocks.
            ("2,3d", "1\n2\n3\n4\n", false, "1\n4\n"),
            ("/b/,/c/d", "a\nb\nx\nc\nd\n", false, "a\nd\n"),
            ("2,+1d", "1\n2\n3\n4\n", false, "1\n4\n"),
            ("2!d", "1\n2\n3\n", false, "2\n"),
            ("/x/{s/x/y/;p}", "x\na\n", true, "y\n"),
            ("$!d", "1\n2\n", false, "2\n"),
            // Text commands: the rest of the line is the text.
            ("1a appended", "a\nb\n", false, "a\nappended\nb\n"),
            ("/^b/i\\inserted", "a\nb\n", false, "a\ninserted\nb\n"),
            ("1a\\\n  two words", "a\n", false, "a\n  two words\n"),
            ("2c\\changed", "a\nb\nc\n", false, "a\nchanged\nc\n"),
            ("1,2c X", "a\nb\nc\n", false, "X\nc\n"),
            ("$a last", "a\nb", false, "a\nb\nlast\n"),
            ("=", "a\nb\n", false, "1\na\n2\nb\n"),
            ("$=", "a\nb\nc\n", true, "3\n"),
            ("y/abc/xyz/", "aabbcc\n", false, "xxyyzz\n"),
            ("2q", "1\n2\n3\n", false, "1\n2\n"),
            ("n;d", "1\n2\n3\n4\n", false, "1\n3\n"),
            ("N;s/\\n/ /", "a\nb\nc\n", false, "a b\nc\n"),
            ("1!G;h;$!d", "1\n2\n3\n", false, "3\n2\n1\n"),
            (":a;N;$!ba;s/\\n/,/g", "1\n2\n3\n", false, "1,2,3\n"),
            (
                "s/a/b/;ta;s/$/ no/;b;:a;s/$/ yes/",
                "a\nc\n",
                false,
                "b yes\nc no\n",
            ),
            ("s/X/Y/I", "x\n", false, "Y\n"),
            ("/A/Id", "a\nb\n", false, "b\n"),
            ("\\,/x,d", "/x\ny\n", false, "y\n"),
            ("#n\n1p", "a\nb\n", false, "a\n"),
            ("s/a/b/", "a", false, "b"),
        ] {
            let p = parse_program(&[script.to_string()], false)
                .unwrap_or_else(|e| panic!("{script}: {e:?}"));
            assert_eq!(run_program(&p, input, quiet), want, "{script}");
        }
        let p = parse_program(&["s/(o+)/<\\1>/g".to_string()], true).unwrap();
        assert_eq!(run_program(&p, "foo boo\n", false), "f<oo> b<oo>\n");
        for (bad, msg) in [
            ("k", "unsupported command k"),
            ("s/a/b/z", "bad option in substitution expression"),
            ("1,3a x", "command 'a' uses only one address"),
            ("b nowhere", "can't find label for jump to 'nowhere'"),
            ("{p", "unterminated {"),
            ("s/a/b", "unmatched '/'"),
        ] {
            assert_eq!(
                parse_program(&[bad.to_string()], false).err(),
                Some(ParseError::Bad(msg.to_string())),
                "{bad}"
            );
        }
        assert_eq!(
            parse_program(&["w /out".to_string()], false).err(),
            Some(ParseError::Unmodelled)
        );
    }
}
