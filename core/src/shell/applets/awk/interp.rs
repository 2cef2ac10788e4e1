//! Running an awk program: values (numbers, strings, and "strnum" input that compares as a
//! number when it looks like one), records and fields (`FS` a blank, one character or a
//! regex; assigning a field or `NF` rebuilds `$0` with `OFS`), arrays, user functions,
//! the builtins, `printf` through the C conversions, output to stdout or files. Numbers print
//! as integers when integral, else with `%.6g` (busybox `fmt_num`). Bounded: statements run,
//! call depth, loop turns.

use super::parser::{Expr, Function, Item, Pattern, Program, Redirect, Stmt};
use crate::shell::applets::cformat::{format_float, format_integer, format_text, Spec};
use crate::shell::applets::regex::Regex;
use std::collections::{BTreeMap, HashMap};

/// Statements and expressions one awk run may evaluate.
const MAX_STEPS: u64 = 5_000_000;
/// Nested user function calls.
const MAX_CALLS: usize = 64;
/// Nested statement and expression evaluations (function calls included): what fits in a
/// 1 MiB stack with debug-sized frames (busybox_rules_tests::deep_..._fit_a_small_stack).
const MAX_NESTING: usize = 100;
/// Bytes of output kept (stdout and each file).
const MAX_OUTPUT: usize = 64 << 20;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(f64),
    Str(String),
    /// Text from input (fields, split, -v): a number when it looks like one.
    StrNum(String),
    Uninit,
}

/// busybox awk `my_strtod`: leading blanks, `0x` hex and leading-0 octal integers, else
/// strtod's longest numeric prefix.
pub fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let b = body.as_bytes();
    let v = if b.first() == Some(&b'0') && matches!(b.get(1), Some(b'x' | b'X')) {
        let hex: String = body[2..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        u64::from_str_radix(&hex, 16).map_or(0.0, |v| v as f64)
    } else if b.first() == Some(&b'0') && b.get(1).is_some_and(u8::is_ascii_digit) {
        let oct: String = body
            .chars()
            .take_while(|c| ('0'..='7').contains(c))
            .collect();
        let next = body[oct.len()..].chars().next();
        if next.is_some_and(|c| c.is_ascii_digit() || c == '.') {
            float_prefix(body)
        } else {
            u64::from_str_radix(&oct, 8).map_or(0.0, |v| v as f64)
        }
    } else {
        float_prefix(body)
    };
    if neg {
        -v
    } else {
        v
    }
}

fn float_prefix(s: &str) -> f64 {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while c.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if c.get(i) == Some(&'.') {
        i += 1;
        while c.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    if i > 0 && matches!(c.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(c.get(j), Some('+' | '-')) {
            j += 1;
        }
        if c.get(j).is_some_and(char::is_ascii_digit) {
            while c.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    let t: String = c[..i].iter().collect();
    if t.eq_ignore_ascii_case("inf") || t.eq_ignore_ascii_case("nan") {
        return 0.0;
    }
    t.parse().unwrap_or(0.0)
}

/// Whether input text looks like a number as a whole (surrounding blanks allowed).
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n']);
    if t.is_empty() {
        return false;
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if body.is_empty() || body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("nan") {
        return false;
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return body.len() > 2 && body[2..].chars().all(|c| c.is_ascii_hexdigit());
    }
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("inf") || lower.starts_with("nan") {
        return false;
    }
    body.parse::<f64>().is_ok()
}

/// A number as awk prints it: an integer when integral, else `%.6g`.
pub fn num_to_str(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e18 {
        return format!("{}", n as i64);
    }
    if n.is_nan() {
        return "nan".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let spec = Spec {
        precision: Some(6),
        ..Spec::default()
    };
    format_float(&spec, 'g', n)
}

impl Val {
    pub fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => str_to_num(s),
            Val::Uninit => 0.0,
        }
    }

    pub fn str(&self) -> String {
        match self {
            Val::Num(n) => num_to_str(*n),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            Val::Uninit => String::new(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                if looks_numeric(s) {
                    str_to_num(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
            Val::Uninit => false,
        }
    }

    fn is_numeric(&self) -> bool {
        match self {
            Val::Num(_) | Val::Uninit => true,
            Val::StrNum(s) => looks_numeric(s),
            Val::Str(_) => false,
        }
    }
}

/// Non-local control flow of statements.
enum Flow {
    Next,
    Exit,
    Return(Val),
    Break,
    Continue,
    /// The run stops: a bound was hit or something not modelled was met.
    Abort(String),
}

type Res<T> = Result<T, Flow>;

/// A running function's scalar locals and local arrays.
type Frame = (HashMap<String, Val>, HashMap<String, BTreeMap<String, Val>>);

/// What the run produced.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// Files written with `print > file` / `>>`: (path, text, append).
    pub files: Vec<(String, String, bool)>,
    pub exit_code: i32,
    /// Why the output is not known (not modelled), if so.
    pub unknown: Option<String>,
}

pub struct Interp<'p> {
    prog: &'p Program,
    globals: HashMap<String, Val>,
    arrays: HashMap<String, BTreeMap<String, Val>>,
    /// One frame per running function: its scalar locals and local arrays.
    frames: Vec<Frame>,
    /// Array parameters bound to a caller's array name, per frame.
    aliases: Vec<HashMap<String, String>>,
    record: String,
    fields: Vec<String>,
    regexes: HashMap<String, Regex>,
    range_active: Vec<bool>,
    steps: u64,
    /// Nested `eval`/`run` calls right now (bounded so the wasm stack holds).
    depth: usize,
    rand_state: u64,
    pub out: Output,
    exit_code: i32,
}

impl<'p> Interp<'p> {
    pub fn new(prog: &'p Program, env: &[(String, String)]) -> Interp<'p> {
        let mut globals = HashMap::new();
        for (k, v) in [
            ("FS", " "),
            ("OFS", " "),
            ("ORS", "\n"),
            ("RS", "\n"),
            ("SUBSEP", "\x1c"),
            ("CONVFMT", "%.6g"),
            ("OFMT", "%.6g"),
        ] {
            globals.insert(k.to_string(), Val::Str(v.to_string()));
        }
        for k in ["NR", "NF", "FNR", "RSTART", "RLENGTH"] {
            globals.insert(k.to_string(), Val::Num(0.0));
        }
        let mut arrays = HashMap::new();
        arrays.insert(
            "ENVIRON".to_string(),
            env.iter()
                .map(|(k, v)| (k.clone(), Val::StrNum(v.clone())))
                .collect(),
        );
        Interp {
            prog,
            globals,
            arrays,
            frames: Vec::new(),
            aliases: Vec::new(),
            record: String::new(),
            fields: Vec::new(),
            regexes: HashMap::new(),
            range_active: vec![false; prog.items.len()],
            steps: 0,
            depth: 0,
            rand_state: 0,
            out: Output::default(),
            exit_code: 0,
        }
    }

    pub fn set_global(&mut self, name: &str, v: Val) {
        if name == "NF" {
            self.set_nf(v.num());
        } else {
            self.globals.insert(name.to_string(), v);
        }
    }

    fn tick(&mut self) -> Res<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Flow::Abort("the awk program ran too long".into()));
        }
        Ok(())
    }

    fn regex(&mut self, pat: &str) -> Regex {
        if let Some(r) = self.regexes.get(pat) {
            return r.clone();
        }
        let r = Regex::new(pat, true, false);
        if self.regexes.len() < 1000 {
            self.regexes.insert(pat.to_string(), r.clone());
        }
        r
    }

    // ---- records and fields ----

    pub fn set_record(&mut self, text: &str) {
        self.record = text.to_string();
        self.fields = self.split_fields(text);
        self.globals
            .insert("NF".into(), Val::Num(self.fields.len() as f64));
    }

    fn split_with(&mut self, text: &str, fs: &str) -> Vec<String> {
        if fs == " " {
            return text
                .split([' ', '\t', '\n'])
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect();
        }
        if text.is_empty() {
            return Vec::new();
        }
        let mut chars = fs.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c != '\\' {
                return text.split(c).map(str::to_string).collect();
            }
        }
        let re = self.regex(fs);
        let mut out = Vec::new();
        let mut pos = 0;
        let mut start = 0;
        while pos <= text.len() {
            match re.find_at(text, pos) {
                Some((s, e)) if e > s => {
                    out.push(text[start..s].to_string());
                    start = e;
                    pos = e;
                }
                Some((s, _)) => match text[s..].chars().next() {
                    Some(c) => pos = s + c.len_utf8(),
                    None => break,
                },
                None => break,
            }
        }
        out.push(text[start..].to_string());
        out
    }

    fn split_fields(&mut self, text: &str) -> Vec<String> {
        let fs = self
            .globals
            .get("FS")
            .map(Val::str)
            .unwrap_or_else(|| " ".into());
        self.split_with(text, &fs)
    }

    fn rebuild_record(&mut self) {
        let ofs = self.var_str("OFS");
        self.record = self.fields.join(&ofs);
    }

    fn set_nf(&mut self, n: f64) {
        let n = if n.is_nan() {
            0
        } else {
            n.clamp(0.0, 100_000.0) as usize
        };
        self.fields.resize(n, String::new());
        self.globals.insert("NF".into(), Val::Num(n as f64));
        self.rebuild_record();
    }

    fn field(&self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        match self.fields.get(i - 1) {
            Some(f) => Val::StrNum(f.clone()),
            None => Val::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(&v);
            return;
        }
        let i = i.min(100_000);
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = v;
        self.globals
            .insert("NF".into(), Val::Num(self.fields.len() as f64));
        self.rebuild_record();
    }

    // ---- variables ----

    fn var_str(&self, name: &str) -> String {
        self.globals.get(name).map(Val::str).unwrap_or_default()
    }

    fn get_var(&self, name: &str) -> Val {
        if let Some((locals, _)) = self.frames.last() {
            if let Some(v) = locals.get(name) {
                return v.clone();
            }
        }
        self.globals.get(name).cloned().unwrap_or(Val::Uninit)
    }

    fn set_var(&mut self, name: &str, v: Val) {
        if let Some((locals, _)) = self.frames.last_mut() {
            if let Some(slot) = locals.get_mut(name) {
                *slot = v;
                return;
            }
        }
        self.set_global(name, v);
    }

    /// The array `name` refers to here (a local, a parameter bound to a caller's array, or a
    /// global), created if missing.
    fn array(&mut self, name: &str) -> &mut BTreeMap<String, Val> {
        let mut name = name.to_string();
        let mut depth = self.frames.len();
        // Follow parameter aliases outwards.
        while depth > 0 {
            let (locals, local_arrays) = &self.frames[depth - 1];
            if local_arrays.contains_key(&name) {
                break;
            }
            match self.aliases.get(depth - 1).and_then(|a| a.get(&name)) {
                Some(target) => {
                    name = target.clone();
                    depth -= 1;
                }
                None if locals.contains_key(&name) => break,
                None => {
                    depth = 0;
                    break;
                }
            }
        }
        if depth > 0 {
            let (locals, local_arrays) = &mut self.frames[depth - 1];
            locals.remove(&name);
            return local_arrays.entry(name).or_default();
        }
        self.arrays.entry(name).or_default()
    }

    fn key(&mut self, idx: &[Expr]) -> Res<String> {
        let mut parts = Vec::new();
        for e in idx {
            parts.push(self.eval(e)?.str());
        }
        Ok(parts.join(&self.var_str("SUBSEP")))
    }

    // ---- statements ----

    fn run_block(&mut self, stmts: &[Stmt]) -> Res<()> {
        for s in stmts {
            self.run(s)?;
        }
        Ok(())
    }

    fn write(&mut self, text: String, redirect: &Option<Redirect>) -> Res<()> {
        let target = match redirect {
            None => None,
            Some(Redirect::Write(e)) => Some((self.eval(e)?.str(), false)),
            Some(Redirect::Append(e)) => Some((self.eval(e)?.str(), true)),
        };
        match target {
            None => push_bounded(&mut self.out.stdout, &text),
            Some((path, _)) if path == "/dev/stdout" || path == "-" => {
                push_bounded(&mut self.out.stdout, &text)
            }
            Some((path, _)) if path == "/dev/stderr" => push_bounded(&mut self.out.stderr, &text),
            Some((path, append)) => {
                // A file is opened (truncated by `>`) once, then written in order.
                match self.out.files.iter_mut().find(|(p, _, _)| *p == path) {
                    Some((_, buf, _)) => push_bounded(buf, &text),
                    None => {
                        let mut buf = String::new();
                        push_bounded(&mut buf, &text);
                        self.out.files.push((path, buf, append));
                    }
                }
            }
        }
        Ok(())
    }

    fn run(&mut self, s: &Stmt) -> Res<()> {
        self.tick()?;
        self.depth += 1;
        let r = if self.depth > MAX_NESTING {
            Err(Flow::Abort("the awk program nests too deeply".into()))
        } else {
            self.run_inner(s)
        };
        self.depth -= 1;
        r
    }

    fn run_inner(&mut self, s: &Stmt) -> Res<()> {
        match s {
            Stmt::Print(args, redirect) => {
                let text = if args.is_empty() {
                    self.record.clone()
                } else {
                    let mut parts = Vec::new();
                    for a in args {
                        let v = self.eval(a)?;
                        parts.push(match v {
                            // Output numbers use OFMT (same default as CONVFMT).
                            Val::Num(n) => num_to_str(n),
                            other => other.str(),
                        });
                    }
                    parts.join(&self.var_str("OFS"))
                };
                let ors = self.var_str("ORS");
                self.write(format!("{text}{ors}"), redirect)
            }
            Stmt::Printf(args, redirect) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let fmt = vals.first().map(Val::str).unwrap_or_default();
                let text = sprintf(&fmt, vals.get(1..).unwrap_or(&[]));
                self.write(text, redirect)
            }
            Stmt::Expr(e) => self.eval(e).map(|_| ()),
            Stmt::If(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.run(a)
                } else if let Some(b) = b {
                    self.run(b)
                } else {
                    Ok(())
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.run(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                }
                Ok(())
            }
            Stmt::Do(body, c) => {
                loop {
                    match self.run(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                    if !self.eval(c)?.truthy() {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.run(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    self.tick()?;
                    match self.run(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                    if let Some(s) = step {
                        self.run(s)?;
                    }
                }
                Ok(())
            }
            Stmt::ForIn(var, arr, body) => {
                let keys: Vec<String> = self.array(arr).keys().cloned().collect();
                for k in keys {
                    self.set_var(var, Val::StrNum(k));
                    match self.run(body) {
                        Err(Flow::Break) => break,
                        Err(Flow::Continue) | Ok(()) => {}
                        Err(f) => return Err(f),
                    }
                }
                Ok(())
            }
            Stmt::Block(b) => self.run_block(b),
            Stmt::Next => Err(Flow::Next),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval(e)?.num() as i32;
                }
                Err(Flow::Exit)
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Val::Uninit,
                };
                Err(Flow::Return(v))
            }
            Stmt::Break => Err(Flow::Break),
            Stmt::Continue => Err(Flow::Continue),
            Stmt::Delete(name, idx) => {
                match idx {
                    Some(idx) => {
                        let k = self.key(idx)?;
                        self.array(name).remove(&k);
                    }
                    None => self.array(name).clear(),
                }
                Ok(())
            }
        }
    }

    // ---- expressions ----

    fn assign_to(&mut self, target: &Expr, v: Val) -> Res<()> {
        match target {
            Expr::Var(n) => self.set_var(n, v),
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(Flow::Abort("negative field index".into()));
                }
                self.set_field(i as usize, v.str());
            }
            Expr::Index(n, idx) => {
                let k = self.key(idx)?;
                self.array(n).insert(k, v);
            }
            Expr::Group(inner) => return self.assign_to(inner, v),
            _ => return Err(Flow::Abort("assignment to a non-variable".into())),
        }
        Ok(())
    }

    fn matches(&mut self, subject: &str, re: &Expr) -> Res<bool> {
        let pat = match re {
            Expr::Regex(r) => r.clone(),
            other => self.eval(other)?.str(),
        };
        Ok(self.regex(&pat).is_match(subject))
    }

    fn eval(&mut self, e: &Expr) -> Res<Val> {
        self.tick()?;
        self.depth += 1;
        let r = if self.depth > MAX_NESTING {
            Err(Flow::Abort("the awk program nests too deeply".into()))
        } else {
            self.eval_inner(e)
        };
        self.depth -= 1;
        r
    }

    fn eval_inner(&mut self, e: &Expr) -> Res<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => {
                let rec = self.record.clone();
                Val::Num(f64::from(u8::from(self.regex(r).is_match(&rec))))
            }
            Expr::Group(inner) => self.eval(inner)?,
            Expr::List(items) => {
                let k = self.key(items)?;
                Val::Str(k)
            }
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(Flow::Abort("negative field index".into()));
                }
                self.field(i as usize)
            }
            Expr::Var(n) => self.get_var(n),
            Expr::Index(n, idx) => {
                let k = self.key(idx)?;
                // Referencing an element creates it (awk semantics).
                self.array(n).entry(k).or_insert(Val::Uninit).clone()
            }
            Expr::Assign(target, op, value) => {
                let r = self.eval(value)?;
                let v = match op {
                    None => r,
                    Some(op) => {
                        let l = self.eval(target)?.num();
                        Val::Num(arith(op, l, r.num())?)
                    }
                };
                self.assign_to(target, v.clone())?;
                v
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num(f64::from(u8::from(
                self.eval(a)?.truthy() && self.eval(b)?.truthy(),
            ))),
            Expr::Or(a, b) => Val::Num(f64::from(u8::from(
                self.eval(a)?.truthy() || self.eval(b)?.truthy(),
            ))),
            Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a)?.truthy()))),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::Plus(a) => Val::Num(self.eval(a)?.num()),
            Expr::Bin(op, a, b) => {
                let x = self.eval(a)?.num();
                let y = self.eval(b)?.num();
                Val::Num(arith(op, x, y)?)
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let ord = if x.is_numeric() && y.is_numeric() {
                    x.num().partial_cmp(&y.num())
                } else {
                    Some(x.str().cmp(&y.str()))
                };
                let r = match (*op, ord) {
                    (o, None) => o == "!=",
                    ("<", Some(o)) => o.is_lt(),
                    ("<=", Some(o)) => o.is_le(),
                    ("==", Some(o)) => o.is_eq(),
                    ("!=", Some(o)) => o.is_ne(),
                    (">=", Some(o)) => o.is_ge(),
                    (_, Some(o)) => o.is_gt(),
                };
                Val::Num(f64::from(u8::from(r)))
            }
            Expr::Match(negate, s, re) => {
                let subject = self.eval(s)?.str();
                let hit = self.matches(&subject, re)?;
                Val::Num(f64::from(u8::from(hit != *negate)))
            }
            Expr::Concat(a, b) => {
                let x = self.eval(a)?.str();
                let y = self.eval(b)?.str();
                if x.len() + y.len() > MAX_OUTPUT {
                    return Err(Flow::Abort("a string grew too large".into()));
                }
                Val::Str(x + &y)
            }
            Expr::IncDec {
                target,
                delta,
                prefix,
            } => {
                let old = self.eval(target)?.num();
                let new = old + delta;
                self.assign_to(target, Val::Num(new))?;
                Val::Num(if *prefix { new } else { old })
            }
            Expr::In(keys, arr) => {
                let k = self.key(keys)?;
                Val::Num(f64::from(u8::from(self.array(arr).contains_key(&k))))
            }
            Expr::Builtin(name, args) => self.builtin(name, args)?,
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Res<Val> {
        let prog = self.prog;
        let Some(f): Option<&Function> = prog.functions.iter().find(|f| f.name == name) else {
            return Err(Flow::Abort(format!("function {name} is not defined")));
        };
        if self.frames.len() >= MAX_CALLS {
            return Err(Flow::Abort("function calls nested too deeply".into()));
        }
        let mut locals = HashMap::new();
        let mut aliases = HashMap::new();
        for (i, p) in f.params.iter().enumerate() {
            match args.get(i) {
                // A bare name that is (or may become) an array is passed by reference.
                Some(Expr::Var(n)) if self.is_array_name(n) => {
                    aliases.insert(p.clone(), n.clone());
                }
                Some(a) => {
                    let v = self.eval(a)?;
                    locals.insert(p.clone(), v);
                }
                None => {
                    locals.insert(p.clone(), Val::Uninit);
                }
            }
        }
        self.frames.push((locals, HashMap::new()));
        self.aliases.push(aliases);
        let r = self.run_block(&f.body);
        self.frames.pop();
        self.aliases.pop();
        match r {
            Ok(()) => Ok(Val::Uninit),
            Err(Flow::Return(v)) => Ok(v),
            Err(other) => Err(other),
        }
    }

    fn is_array_name(&self, n: &str) -> bool {
        if let Some((locals, arrays)) = self.frames.last() {
            if arrays.contains_key(n) {
                return true;
            }
            if locals.contains_key(n) {
                return false;
            }
            if self.aliases.last().is_some_and(|a| a.contains_key(n)) {
                return true;
            }
        }
        self.arrays.contains_key(n) || !self.globals.contains_key(n)
    }

    fn builtin(&mut self, name: &str, args: &[Expr]) -> Res<Val> {
        let mut vals = Vec::new();
        // sub/gsub/split take an lvalue or array: evaluated specially below.
        if !matches!(name, "sub" | "gsub" | "split") {
            for a in args {
                vals.push(self.eval(a)?);
            }
        }
        let arg = |i: usize| vals.get(i).cloned().unwrap_or(Val::Uninit);
        Ok(match name {
            "length" => match args.first() {
                None => Val::Num(self.record.chars().count() as f64),
                Some(Expr::Var(n)) if self.arrays.contains_key(n) => {
                    Val::Num(self.array(n).len() as f64)
                }
                Some(_) => Val::Num(arg(0).str().chars().count() as f64),
            },
            "substr" => {
                // busybox `B_ss` (not POSIX rounding): start = int(m) - 1 clamped to
                // [0, len], count = int(n) (or the rest) clamped at 0.
                let s: Vec<char> = arg(0).str().chars().collect();
                let l = s.len() as i64;
                let i = ((arg(1).num() as i64) - 1).clamp(0, l);
                let n = if vals.len() > 2 {
                    arg(2).num() as i64
                } else {
                    l - i
                }
                .max(0);
                let end = i.saturating_add(n).min(l);
                Val::Str(s[i as usize..end as usize].iter().collect())
            }
            "index" => {
                let s = arg(0).str();
                let t = arg(1).str();
                Val::Num(match s.find(&t) {
                    Some(b) => (s[..b].chars().count() + 1) as f64,
                    None => 0.0,
                })
            }
            "split" => {
                let s = match args.first() {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let Some(Expr::Var(arr)) = args.get(1) else {
                    return Err(Flow::Abort("split needs an array".into()));
                };
                let fs = match args.get(2) {
                    Some(Expr::Regex(r)) => r.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => self.var_str("FS"),
                };
                let parts = self.split_with(&s, &fs);
                let a = self.array(arr);
                a.clear();
                for (i, p) in parts.iter().enumerate() {
                    a.insert((i + 1).to_string(), Val::StrNum(p.clone()));
                }
                Val::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let pat = match args.first() {
                    Some(Expr::Regex(r)) => r.clone(),
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let rep = match args.get(1) {
                    Some(e) => self.eval(e)?.str(),
                    None => String::new(),
                };
                let target = args
                    .get(2)
                    .cloned()
                    .unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let text = self.eval(&target)?.str();
                let re = self.regex(&pat);
                let (new, n) = substitute(&re, &rep, &text, name == "gsub");
                if n > 0 {
                    self.assign_to(&target, Val::Str(new))?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = arg(0).str();
                let pat = match args.get(1) {
                    Some(Expr::Regex(r)) => r.clone(),
                    _ => arg(1).str(),
                };
                let re = self.regex(&pat);
                let (start, len) = match re.find_at(&s, 0) {
                    Some((a, b)) => (
                        (s[..a].chars().count() + 1) as f64,
                        s[a..b].chars().count() as f64,
                    ),
                    None => (0.0, -1.0),
                };
                self.globals.insert("RSTART".into(), Val::Num(start));
                self.globals.insert("RLENGTH".into(), Val::Num(len));
                Val::Num(start)
            }
            "sprintf" => {
                let fmt = arg(0).str();
                Val::Str(sprintf(&fmt, vals.get(1..).unwrap_or(&[])))
            }
            "tolower" => Val::Str(arg(0).str().to_ascii_lowercase()),
            "toupper" => Val::Str(arg(0).str().to_ascii_uppercase()),
            "int" => Val::Num(arg(0).num().trunc()),
            "sqrt" => Val::Num(arg(0).num().sqrt()),
            "exp" => Val::Num(arg(0).num().exp()),
            "log" => Val::Num(arg(0).num().ln()),
            "sin" => Val::Num(arg(0).num().sin()),
            "cos" => Val::Num(arg(0).num().cos()),
            "atan2" => Val::Num(arg(0).num().atan2(arg(1).num())),
            "rand" => {
                // Deterministic: a simulation has no entropy to offer.
                self.rand_state = self
                    .rand_state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Val::Num((self.rand_state >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let old = self.rand_state as f64;
                self.rand_state = arg(0).num() as u64;
                Val::Num(old)
            }
            "close" | "fflush" => Val::Num(0.0),
            "system" => return Err(Flow::Abort("system() is not modelled".into())),
            other => return Err(Flow::Abort(format!("{other}() is not modelled"))),
        })
    }

    // ---- the program over the input ----

    /// Runs the BEGIN items; false when the program ended there (`exit`).
    pub fn begin(&mut self) -> bool {
        let prog = self.prog;
        for it in &prog.items {
            if let (Pattern::Begin, Some(body)) = (&it.pattern, &it.action) {
                match self.run_block(body) {
                    Ok(()) | Err(Flow::Next) => {}
                    Err(Flow::Exit) => return false,
                    Err(Flow::Abort(why)) => {
                        self.out.unknown = Some(why);
                        return false;
                    }
                    Err(_) => {}
                }
            }
        }
        true
    }

    /// Whether the program reads input at all (only BEGIN items: no).
    pub fn needs_input(&self) -> bool {
        self.prog
            .items
            .iter()
            .any(|i| !matches!(i.pattern, Pattern::Begin))
    }

    /// One record through the main items; false when `exit` ended the input.
    pub fn record(&mut self, line: &str) -> bool {
        let nr = self.get_var("NR").num() + 1.0;
        self.globals.insert("NR".into(), Val::Num(nr));
        let fnr = self.get_var("FNR").num() + 1.0;
        self.globals.insert("FNR".into(), Val::Num(fnr));
        self.set_record(line);
        let prog = self.prog;
        for (idx, it) in prog.items.iter().enumerate() {
            let hit = match self.item_matches(idx, it) {
                Ok(h) => h,
                Err(f) => return self.flow_end(f),
            };
            if !hit {
                continue;
            }
            let r = match &it.action {
                None => {
                    let text = format!("{}{}", self.record, self.var_str("ORS"));
                    push_bounded(&mut self.out.stdout, &text);
                    Ok(())
                }
                Some(body) => self.run_block(body),
            };
            match r {
                Ok(()) => {}
                Err(Flow::Next) => return true,
                Err(f) => return self.flow_end(f),
            }
        }
        true
    }

    fn flow_end(&mut self, f: Flow) -> bool {
        if let Flow::Abort(why) = f {
            self.out.unknown = Some(why);
        }
        false
    }

    fn item_matches(&mut self, idx: usize, it: &Item) -> Res<bool> {
        Ok(match &it.pattern {
            Pattern::Begin | Pattern::End => false,
            Pattern::All => true,
            Pattern::Expr(e) => self.eval(e)?.truthy(),
            Pattern::Range(a, b) => {
                if self.range_active[idx] {
                    if self.eval(b)?.truthy() {
                        self.range_active[idx] = false;
                    }
                    true
                } else if self.eval(a)?.truthy() {
                    self.range_active[idx] = !self.eval(b)?.truthy();
                    true
                } else {
                    false
                }
            }
        })
    }

    /// Runs the END items (also after `exit` in the main items, as awk does).
    pub fn end(&mut self) {
        if self.out.unknown.is_some() {
            return;
        }
        let prog = self.prog;
        for it in &prog.items {
            if let (Pattern::End, Some(body)) = (&it.pattern, &it.action) {
                match self.run_block(body) {
                    Ok(()) | Err(Flow::Next) => {}
                    Err(Flow::Exit) => break,
                    Err(Flow::Abort(why)) => {
                        self.out.unknown = Some(why);
                        break;
                    }
                    Err(_) => {}
                }
            }
        }
    }

    pub fn finish(mut self) -> Output {
        self.out.exit_code = self.exit_code;
        self.out
    }

    pub fn reset_fnr(&mut self) {
        self.globals.insert("FNR".into(), Val::Num(0.0));
    }
}

fn push_bounded(buf: &mut String, text: &str) {
    if buf.len() + text.len() <= MAX_OUTPUT {
        buf.push_str(text);
    }
}

fn arith(op: &str, x: f64, y: f64) -> Res<f64> {
    Ok(match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => {
            if y == 0.0 {
                return Err(Flow::Abort("division by zero".into()));
            }
            x / y
        }
        "%" => {
            if y == 0.0 {
                return Err(Flow::Abort("division by zero in %".into()));
            }
            x % y
        }
        _ => x.powf(y),
    })
}

/// `sub`/`gsub`: `&` is the match, `\&` a literal `&`. Returns the text and the count.
fn substitute(re: &Regex, rep: &str, text: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut pos = 0;
    let mut copied = 0;
    let mut n = 0;
    while pos <= text.len() {
        let Some((s, e)) = re.find_at(text, pos) else {
            break;
        };
        out.push_str(&text[copied..s]);
        let matched = &text[s..e];
        let mut chars = rep.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'&') => {
                    chars.next();
                    out.push('&');
                }
                '\\' if chars.peek() == Some(&'\\') => {
                    chars.next();
                    out.push('\\');
                }
                '&' => out.push_str(matched),
                o => out.push(o),
            }
        }
        copied = e;
        n += 1;
        if !global {
            break;
        }
        if e == s {
            match text[e..].chars().next() {
                Some(c) => {
                    out.push(c);
                    pos = e + c.len_utf8();
                    copied = pos;
                }
                None => break,
            }
        } else {
            pos = e;
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    (out, n)
}

/// awk's `printf`/`sprintf`: C conversions of awk values (`%c` of a number is that
/// character; `%d` truncates).
pub fn sprintf(fmt: &str, args: &[Val]) -> String {
    let c: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut ai = 0;
    let mut i = 0;
    let next = |ai: &mut usize| -> Val {
        let v = args.get(*ai).cloned().unwrap_or(Val::Uninit);
        *ai += 1;
        v
    };
    while let Some(&ch) = c.get(i) {
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
        let fs = i;
        while c.get(i).is_some_and(|d| "-+ #0".contains(*d)) {
            i += 1;
        }
        let flags: String = c[fs..i].iter().collect();
        let mut spec = Spec::with_flags(&flags);
        if c.get(i) == Some(&'*') {
            i += 1;
            let w = next(&mut ai).num() as i64;
            if w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs() as usize;
        } else {
            let ws = i;
            while c.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            spec.width = c[ws..i].iter().collect::<String>().parse().unwrap_or(0);
        }
        if c.get(i) == Some(&'.') {
            i += 1;
            if c.get(i) == Some(&'*') {
                i += 1;
                spec.precision = Some(next(&mut ai).num().max(0.0) as usize);
            } else {
                let ps = i;
                while c.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                spec.precision = Some(c[ps..i].iter().collect::<String>().parse().unwrap_or(0));
            }
        }
        while c.get(i).is_some_and(|m| matches!(m, 'l' | 'h' | 'L')) {
            i += 1;
        }
        let Some(&conv) = c.get(i) else {
            out.extend(&c[fs - 1..]);
            break;
        };
        i += 1;
        let body = match conv {
            'd' | 'i' => format_integer(&spec, 'd', next(&mut ai).num().trunc() as i128),
            'o' | 'u' | 'x' | 'X' => {
                format_integer(&spec, conv, next(&mut ai).num().trunc() as i64 as i128)
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => format_float(
                &spec,
                if conv == 'F' { 'f' } else { conv },
                next(&mut ai).num(),
            ),
            'c' => {
                let v = next(&mut ai);
                let s = match v {
                    Val::Num(n) => char::from_u32(n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => other
                        .str()
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                format_text(&spec, 's', &s)
            }
            's' => format_text(&spec, 's', &next(&mut ai).str()),
            other => {
                out.push('%');
                out.push_str(&flags);
                out.push(other);
                continue;
            }
        };
        out.push_str(&body);
    }
    out
}
