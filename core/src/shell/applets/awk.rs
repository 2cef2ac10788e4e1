//! `awk [-F SEP] [-v V=x] 'PROGRAM' [FILE...]` for the programs learners pipe into: rules of
//! `[/regex/ | NR==N | NR>N | $N=="x" | $N~/re/] { print EXPR, ... }` with fields (`$1`, `$NF`,
//! `$(NF-1)`, `$0`), `NR`, `NF`, string literals and juxtaposition; `BEGIN`/`END` blocks that
//! only print literals. Anything else is reported as not modelled.

use super::opts::parse;
use super::regex::Regex;
use super::text::{inputs, lines_of, text_of};
use crate::shell::exec::{Io, Shell, Status};

#[derive(Debug, Clone)]
enum Term {
    Str(String),
    Field(Box<Term>),
    Nr,
    Nf,
    Num(i64),
    Var(String),
    Minus(Box<Term>, Box<Term>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Always,
    Begin,
    End,
    Re(Regex),
    Cmp(Term, String, Term),
    Match(Term, Regex, bool),
}

struct Rule {
    pattern: Pattern,
    /// `print` items: each a list of terms concatenated; None = print $0.
    prints: Option<Vec<Vec<Term>>>,
}

struct Ctx<'l> {
    line: &'l str,
    fields: Vec<&'l str>,
    nr: usize,
}

fn eval(t: &Term, c: &Ctx, vars: &[(String, String)]) -> String {
    match t {
        Term::Str(s) => s.clone(),
        Term::Nr => c.nr.to_string(),
        Term::Nf => c.fields.len().to_string(),
        Term::Num(n) => n.to_string(),
        Term::Var(v) => vars
            .iter()
            .find(|(k, _)| k == v)
            .map(|(_, x)| x.clone())
            .unwrap_or_default(),
        Term::Minus(a, b) => {
            let x: i64 = eval(a, c, vars).trim().parse().unwrap_or(0);
            let y: i64 = eval(b, c, vars).trim().parse().unwrap_or(0);
            (x - y).to_string()
        }
        Term::Field(i) => {
            let n: usize = eval(i, c, vars).trim().parse().unwrap_or(0);
            if n == 0 {
                c.line.to_string()
            } else {
                c.fields
                    .get(n - 1)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            }
        }
    }
}

struct Parser<'p> {
    s: &'p [char],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        let n = t.chars().count();
        if self
            .s
            .get(self.i..self.i + n)
            .is_some_and(|w| w.iter().copied().eq(t.chars()))
        {
            self.i += n;
            return true;
        }
        false
    }

    fn regex(&mut self) -> Option<String> {
        // After the opening `/`.
        let mut out = String::new();
        while let Some(&c) = self.s.get(self.i) {
            self.i += 1;
            match c {
                '\\' => {
                    if let Some(&n) = self.s.get(self.i) {
                        self.i += 1;
                        if n != '/' {
                            out.push('\\');
                        }
                        out.push(n);
                    }
                }
                '/' => return Some(out),
                c => out.push(c),
            }
        }
        None
    }

    fn term(&mut self, depth: usize) -> Option<Term> {
        if depth > 16 {
            return None;
        }
        self.ws();
        let c = *self.s.get(self.i)?;
        let t = if c == '$' {
            self.i += 1;
            let inner = if self.eat("(") {
                let t = self.expr(depth + 1)?;
                if !self.eat(")") {
                    return None;
                }
                t
            } else {
                self.term(depth + 1)?
            };
            Term::Field(Box::new(inner))
        } else if c == '"' {
            self.i += 1;
            let mut s = String::new();
            while let Some(&c) = self.s.get(self.i) {
                self.i += 1;
                match c {
                    '"' => break,
                    '\\' => {
                        let n = *self.s.get(self.i)?;
                        self.i += 1;
                        s.push(match n {
                            'n' => '\n',
                            't' => '\t',
                            o => o,
                        });
                    }
                    c => s.push(c),
                }
            }
            Term::Str(s)
        } else if c.is_ascii_digit() {
            let st = self.i;
            while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            Term::Num(self.s[st..self.i].iter().collect::<String>().parse().ok()?)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let st = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                self.i += 1;
            }
            let w: String = self.s[st..self.i].iter().collect();
            match w.as_str() {
                "NR" | "FNR" => Term::Nr,
                "NF" => Term::Nf,
                "print" | "printf" | "if" | "for" | "while" => return None,
                _ => Term::Var(w),
            }
        } else {
            return None;
        };
        Some(t)
    }

    fn expr(&mut self, depth: usize) -> Option<Term> {
        let a = self.term(depth)?;
        self.ws();
        if self.s.get(self.i) == Some(&'-') {
            self.i += 1;
            let b = self.term(depth + 1)?;
            return Some(Term::Minus(Box::new(a), Box::new(b)));
        }
        Some(a)
    }

    /// `print a b, c` items until `;` or `}`.
    fn print_items(&mut self) -> Option<Vec<Vec<Term>>> {
        let mut items = vec![Vec::new()];
        loop {
            self.ws();
            match self.s.get(self.i) {
                None | Some('}') | Some(';') => break,
                Some(',') => {
                    self.i += 1;
                    items.push(Vec::new());
                }
                _ => {
                    let t = self.expr(0)?;
                    items.last_mut()?.push(t);
                }
            }
        }
        Some(items)
    }

    fn pattern(&mut self) -> Option<Pattern> {
        self.ws();
        if self.eat("BEGIN") {
            return Some(Pattern::Begin);
        }
        if self.eat("END") {
            return Some(Pattern::End);
        }
        if self.s.get(self.i) == Some(&'{') {
            return Some(Pattern::Always);
        }
        if self.eat("/") {
            let re = self.regex()?;
            return Some(Pattern::Re(Regex::new(&re, true, false)));
        }
        let a = self.expr(0)?;
        self.ws();
        for op in ["==", "!=", ">=", "<=", ">", "<", "!~", "~"] {
            if self.eat(op) {
                if op.ends_with('~') {
                    if !self.eat("/") {
                        return None;
                    }
                    let re = self.regex()?;
                    return Some(Pattern::Match(a, Regex::new(&re, true, false), op == "!~"));
                }
                let b = self.expr(0)?;
                return Some(Pattern::Cmp(a, op.to_string(), b));
            }
        }
        None
    }

    fn program(&mut self) -> Option<Vec<Rule>> {
        let mut rules = Vec::new();
        loop {
            self.ws();
            if self.i >= self.s.len() {
                break;
            }
            let pattern = self.pattern()?;
            let prints = if self.eat("{") {
                let mut prints: Option<Vec<Vec<Term>>> = None;
                loop {
                    self.ws();
                    if self.eat("}") {
                        break;
                    }
                    if self.eat(";") {
                        continue;
                    }
                    if !self.eat("print") {
                        return None;
                    }
                    let items = self.print_items()?;
                    let items = if items.len() == 1 && items[0].is_empty() {
                        vec![vec![Term::Field(Box::new(Term::Num(0)))]]
                    } else {
                        items
                    };
                    // Several prints in one block: keep them as separate rules below.
                    match &mut prints {
                        None => prints = Some(items),
                        Some(p) => {
                            // A second print in the block: print each on its own line.
                            p.push(vec![Term::Str("\u{0}".into())]);
                            p.extend(items);
                        }
                    }
                }
                prints
            } else {
                None
            };
            rules.push(Rule { pattern, prints });
            self.eat(";");
        }
        Some(rules)
    }
}

fn matches(p: &Pattern, c: &Ctx, vars: &[(String, String)]) -> bool {
    match p {
        Pattern::Always => true,
        Pattern::Begin | Pattern::End => false,
        Pattern::Re(re) => re.is_match(c.line),
        Pattern::Match(t, re, neg) => re.is_match(&eval(t, c, vars)) != *neg,
        Pattern::Cmp(a, op, b) => {
            let (x, y) = (eval(a, c, vars), eval(b, c, vars));
            let ord = match (x.trim().parse::<f64>(), y.trim().parse::<f64>()) {
                (Ok(p), Ok(q)) => p.partial_cmp(&q).unwrap_or(std::cmp::Ordering::Equal),
                _ => x.cmp(&y),
            };
            use std::cmp::Ordering::*;
            match op.as_str() {
                "==" => ord == Equal,
                "!=" => ord != Equal,
                ">" => ord == Greater,
                "<" => ord == Less,
                ">=" => ord != Less,
                _ => ord != Greater,
            }
        }
    }
}

fn render(items: &[Vec<Term>], c: &Ctx, vars: &[(String, String)], out: &mut String) {
    let mut first = true;
    for item in items {
        if let [Term::Str(s)] = item.as_slice() {
            if s == "\u{0}" {
                out.push('\n');
                first = true;
                continue;
            }
        }
        if !first {
            out.push(' ');
        }
        first = false;
        for t in item {
            out.push_str(&eval(t, c, vars));
        }
    }
    out.push('\n');
}

pub fn awk(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "Fvf", true);
    let Some(prog) = o.args.first().cloned() else {
        io.eprint("awk: no program\n");
        return Ok(1);
    };
    let chars: Vec<char> = prog.chars().collect();
    let Some(rules) = (Parser { s: &chars, i: 0 }).program() else {
        sh.unknown
            .push(format!("awk program `{prog}` is not modelled"));
        return Ok(0);
    };
    let vars: Vec<(String, String)> = o
        .flags
        .iter()
        .filter(|(f, _)| *f == 'v')
        .filter_map(|(_, v)| {
            v.as_ref()?
                .split_once('=')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    let sep = o.value('F').map(|s| {
        if s == "\\t" {
            "\t".to_string()
        } else {
            s.to_string()
        }
    });
    let mut out = String::new();
    let empty = Ctx {
        line: "",
        fields: Vec::new(),
        nr: 0,
    };
    for r in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
        if let Some(p) = &r.prints {
            render(p, &empty, &vars, &mut out);
        }
    }
    let only_begin = rules.iter().all(|r| matches!(r.pattern, Pattern::Begin));
    let (ins, code) = if only_begin {
        (Vec::new(), 0)
    } else {
        inputs(sh, "awk", &o.args[1..], io)
    };
    let mut nr = 0;
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        for line in lines_of(&t) {
            nr += 1;
            let fields: Vec<&str> = match &sep {
                Some(s) if !s.is_empty() && s != " " => line.split(s.as_str()).collect(),
                _ => line.split_whitespace().collect(),
            };
            let ctx = Ctx { line, fields, nr };
            for r in &rules {
                if matches(&r.pattern, &ctx, &vars) {
                    match &r.prints {
                        Some(p) => render(p, &ctx, &vars, &mut out),
                        None => {
                            out.push_str(line);
                            out.push('\n');
                        }
                    }
                }
            }
        }
    }
    let last = Ctx {
        line: "",
        fields: Vec::new(),
        nr,
    };
    for r in rules.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
        if let Some(p) = &r.prints {
            render(p, &last, &vars, &mut out);
        }
    }
    io.print(&out);
    Ok(code)
}
