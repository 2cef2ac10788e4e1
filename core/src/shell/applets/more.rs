//! Small busybox 1.35 applets scripts use: `expr` (coreutils/expr.c: `| & < <= = == != >= > +
//! - * / % :`, `match substr index length quote`, exit 1 for a null result, 2 for errors),
//! `base64` (`-d`, `-w COLS`), `tac`, `rev`, `nl` (`%6d\t`, non-empty lines), `cmp`, `groups`,
//! `tty`.

use super::errors::fail_with;
use super::opts::parse;
use super::regex::Regex;
use super::text::{inputs, lines_of, text_of};
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status};

/// Nesting of parentheses an `expr` may have.
const MAX_EXPR_DEPTH: usize = 64;

#[derive(Debug, Clone)]
enum EVal {
    Int(i64),
    Str(String),
}

impl EVal {
    fn text(&self) -> String {
        match self {
            EVal::Int(i) => i.to_string(),
            EVal::Str(s) => s.clone(),
        }
    }

    /// busybox `toarith`: a whole decimal number (strtoll base 10).
    fn int(&self) -> Option<i64> {
        match self {
            EVal::Int(i) => Some(*i),
            EVal::Str(s) => {
                let t = s.trim_start();
                if t.is_empty() {
                    return None;
                }
                t.parse::<i64>().ok()
            }
        }
    }

    fn is_null(&self) -> bool {
        match self {
            EVal::Int(i) => *i == 0,
            EVal::Str(s) => s.is_empty() || s == "0",
        }
    }
}

struct ExprParser<'a> {
    args: &'a [String],
    i: usize,
    depth: usize,
}

type ER = Result<EVal, String>;

impl ExprParser<'_> {
    fn next_is(&self, t: &str) -> bool {
        self.args.get(self.i).is_some_and(|a| a == t)
    }

    fn or(&mut self) -> ER {
        let mut l = self.and()?;
        while self.next_is("|") {
            self.i += 1;
            let r = self.and()?;
            if l.is_null() {
                l = r;
            }
        }
        Ok(l)
    }

    fn and(&mut self) -> ER {
        let mut l = self.cmp()?;
        while self.next_is("&") {
            self.i += 1;
            let r = self.cmp()?;
            if l.is_null() || r.is_null() {
                l = EVal::Int(0);
            }
        }
        Ok(l)
    }

    fn cmp(&mut self) -> ER {
        let mut l = self.add()?;
        while let Some(op) = self
            .args
            .get(self.i)
            .filter(|a| matches!(a.as_str(), "<" | "<=" | "=" | "==" | "!=" | ">=" | ">"))
            .cloned()
        {
            self.i += 1;
            let r = self.add()?;
            let ord = match (l.int(), r.int()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.text().cmp(&r.text()),
            };
            let v = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = EVal::Int(i64::from(v));
        }
        Ok(l)
    }

    fn arith(l: &EVal, r: &EVal, op: &str) -> ER {
        let (Some(a), Some(b)) = (l.int(), r.int()) else {
            return Err("non-numeric argument".into());
        };
        Ok(EVal::Int(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            _ if b == 0 => return Err("division by zero".into()),
            "/" => a.wrapping_div(b),
            _ => a.wrapping_rem(b),
        }))
    }

    fn add(&mut self) -> ER {
        let mut l = self.mul()?;
        while let Some(op) = self
            .args
            .get(self.i)
            .filter(|a| matches!(a.as_str(), "+" | "-"))
            .cloned()
        {
            self.i += 1;
            let r = self.mul()?;
            l = Self::arith(&l, &r, &op)?;
        }
        Ok(l)
    }

    fn mul(&mut self) -> ER {
        let mut l = self.colon()?;
        while let Some(op) = self
            .args
            .get(self.i)
            .filter(|a| matches!(a.as_str(), "*" | "/" | "%"))
            .cloned()
        {
            self.i += 1;
            let r = self.colon()?;
            l = Self::arith(&l, &r, &op)?;
        }
        Ok(l)
    }

    fn colon(&mut self) -> ER {
        let mut l = self.keyword()?;
        while self.next_is(":") {
            self.i += 1;
            let r = self.keyword()?;
            l = docolon(&l.text(), &r.text());
        }
        Ok(l)
    }

    fn keyword(&mut self) -> ER {
        let Some(word) = self.args.get(self.i).cloned() else {
            return Err("syntax error".into());
        };
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err("syntax error".into());
        }
        let r = match word.as_str() {
            "quote" => {
                self.i += 1;
                match self.args.get(self.i).cloned() {
                    Some(a) => {
                        self.i += 1;
                        Ok(EVal::Str(a))
                    }
                    None => Err("syntax error".into()),
                }
            }
            "length" => {
                self.i += 1;
                let v = self.keyword()?;
                Ok(EVal::Int(v.text().len() as i64))
            }
            "match" => {
                self.i += 1;
                let s = self.keyword()?;
                let p = self.keyword()?;
                Ok(docolon(&s.text(), &p.text()))
            }
            "index" => {
                self.i += 1;
                let s = self.keyword()?.text();
                let chars = self.keyword()?.text();
                // strcspn + 1, 0 when none of `chars` occurs.
                Ok(EVal::Int(
                    s.bytes()
                        .position(|b| chars.as_bytes().contains(&b))
                        .map_or(0, |p| p as i64 + 1),
                ))
            }
            "substr" => {
                self.i += 1;
                let s = self.keyword()?.text();
                let pos = self.keyword()?.int();
                let len = self.keyword()?.int();
                Ok(EVal::Str(match (pos, len) {
                    (Some(p), Some(l)) if p > 0 && l > 0 && (p as usize) <= s.len() => s
                        .get(p as usize - 1..)
                        .unwrap_or("")
                        .chars()
                        .take(l as usize)
                        .collect(),
                    _ => String::new(),
                }))
            }
            _ => self.primary(),
        };
        self.depth -= 1;
        r
    }

    fn primary(&mut self) -> ER {
        if self.next_is("(") {
            self.i += 1;
            let v = self.or()?;
            if !self.next_is(")") {
                return Err("syntax error".into());
            }
            self.i += 1;
            return Ok(v);
        }
        if self.next_is(")") {
            return Err("syntax error".into());
        }
        let v = self.args.get(self.i).cloned().ok_or("syntax error")?;
        self.i += 1;
        Ok(EVal::Str(v))
    }
}

/// `STRING : REGEXP`: an anchored BRE match; `\(...\)` gives the group, else the length.
fn docolon(s: &str, pat: &str) -> EVal {
    let re = Regex::new(pat, false, false);
    let has_group = pat.contains("\\(");
    match re.captures_at(s, 0) {
        Some(caps) if caps.first().copied().flatten().is_some_and(|(a, _)| a == 0) => {
            if has_group {
                let g = caps
                    .get(1)
                    .copied()
                    .flatten()
                    .and_then(|(a, b)| s.get(a..b))
                    .unwrap_or("");
                EVal::Str(g.to_string())
            } else {
                let end = caps.first().copied().flatten().map_or(0, |(_, e)| e);
                EVal::Int(s[..end].chars().count() as i64)
            }
        }
        _ if has_group => EVal::Str(String::new()),
        _ => EVal::Int(0),
    }
}

pub fn expr(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let args = argv.get(1..).unwrap_or(&[]);
    if args.is_empty() {
        return Ok(fail_with(io, 2, "expr: too few arguments".into()));
    }
    let mut p = ExprParser {
        args,
        i: 0,
        depth: 0,
    };
    let v = match p.or() {
        Ok(v) if p.i == args.len() => v,
        Ok(_) => return Ok(fail_with(io, 2, "expr: syntax error".into())),
        Err(m) => return Ok(fail_with(io, 2, format!("expr: {m}"))),
    };
    io.print(&format!("{}\n", v.text()));
    Ok(i32::from(v.is_null()))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode(data: &[u8], wrap: usize) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    if wrap == 0 {
        out.push('\n');
        return out;
    }
    let mut wrapped = String::new();
    for (i, c) in out.chars().enumerate() {
        if i > 0 && i % wrap == 0 {
            wrapped.push('\n');
        }
        wrapped.push(c);
    }
    wrapped.push('\n');
    wrapped
}

/// Decodes, skipping newlines; `None` on a character outside the alphabet.
fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        if c == b'\n' || c == b'\r' {
            continue;
        }
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|b| *b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub fn base64(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "w", false);
    let wrap = o.value('w').and_then(|w| w.parse().ok()).unwrap_or(76);
    let (ins, code) = inputs(sh, "base64", &o.args, io);
    for (_, c) in ins {
        let Some(bytes) = c.to_bytes_bounded(crate::shell::exec::TEXT_LIMIT) else {
            sh.unknown.push(format!(
                "base64 of a {}-byte input is not modelled",
                c.len()
            ));
            continue;
        };
        if o.has('d') {
            match decode(&String::from_utf8_lossy(&bytes)) {
                Some(d) => io.out = io.out.append(&Content::from_bytes(d)),
                None => return Ok(fail_with(io, 1, "base64: invalid input".into())),
            }
        } else {
            io.print(&encode(&bytes, wrap));
        }
    }
    Ok(code)
}

pub fn tac(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let (ins, code) = inputs(sh, "tac", &o.args, io);
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        let mut out = String::new();
        for l in lines_of(&t).into_iter().rev() {
            out.push_str(l);
            out.push('\n');
        }
        io.print(&out);
    }
    Ok(code)
}

pub fn rev(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let (ins, code) = inputs(sh, "rev", &o.args, io);
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        let mut out = String::new();
        for l in lines_of(&t) {
            out.extend(l.chars().rev());
            out.push('\n');
        }
        io.print(&out);
    }
    Ok(code)
}

/// Numbered lines as busybox `print_numbered_lines` prints them (`nl`, `cat -n`, `cat -b`):
/// `%6d\t` before a numbered line, width + separator blanks before one that is not.
pub fn numbered(text: &str, all_lines: bool) -> String {
    let mut out = String::new();
    let mut n = 1;
    for l in lines_of(text) {
        if all_lines || !l.is_empty() {
            out.push_str(&format!("{n:6}\t{l}\n"));
            n += 1;
        } else {
            out.push_str(&format!("{:7}{l}\n", ""));
        }
    }
    out
}

pub fn nl(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "bsvwi", false);
    let all = o.value('b') == Some("a");
    let (ins, code) = inputs(sh, "nl", &o.args, io);
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        io.print(&numbered(&t, all));
    }
    Ok(code)
}

pub fn cmp(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "n", false);
    let (Some(a), Some(b)) = (o.args.first(), o.args.get(1)) else {
        return Ok(fail_with(io, 2, "cmp: missing operand".into()));
    };
    let mut data = Vec::new();
    for f in [a, b] {
        let c = if f == "-" {
            std::mem::take(&mut io.stdin)
        } else {
            match sh.read_file(&sh.abs(f), None) {
                Ok(c) => c,
                Err(e) => return Ok(fail_with(io, 2, format!("cmp: {f}: {}", e.message()))),
            }
        };
        match c.to_bytes_bounded(crate::shell::exec::TEXT_LIMIT) {
            Some(b) => data.push(b),
            None => {
                sh.unknown
                    .push(format!("cmp of a {}-byte file is not modelled", c.len()));
                return Ok(0);
            }
        }
    }
    let (x, y) = (&data[0], &data[1]);
    let mut line = 1;
    for i in 0..x.len().max(y.len()) {
        match (x.get(i), y.get(i)) {
            (Some(p), Some(q)) if p == q => {
                if *p == b'\n' {
                    line += 1;
                }
            }
            (Some(_), Some(_)) => {
                if !o.has('s') {
                    io.print(&format!("{a} {b} differ: char {}, line {line}\n", i + 1));
                }
                return Ok(1);
            }
            (None, _) | (_, None) => {
                let short = if x.len() < y.len() { a } else { b };
                if !o.has('s') {
                    io.eprint(&format!("cmp: EOF on {short}\n"));
                }
                return Ok(1);
            }
        }
    }
    Ok(0)
}

/// `groups [USER]`: busybox's `groups` applet is `id -Gn [USER]`.
pub fn groups(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut id_argv = vec!["id".to_string(), "-Gn".to_string()];
    id_argv.extend(argv.iter().skip(1).cloned());
    super::info::id(sh, &id_argv, io)
}

/// `tty`: a RUN has no terminal.
pub fn tty(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    if !argv.iter().any(|a| a == "-s") {
        io.print("not a tty\n");
    }
    Ok(1)
}
