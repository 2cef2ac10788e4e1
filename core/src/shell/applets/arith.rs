//! `$((...))` arithmetic as busybox ash's shell/math.c computes it: 64-bit integers, decimal,
//! `0x` hex and leading-0 octal constants, variables (an unset or empty one is 0), and every
//! operator with C precedence: `, = += -= *= /= %= <<= >>= &= ^= |= ?: || && | ^ & == != < <=
//! > >= << >> + - * / % **`, unary `- + ! ~`, and `++`/`--` before or after a name.
//! Assignments are collected and applied by the caller ([`eval_assigning`]).

use crate::shell::exec::Shell;

const MAX_DEPTH: usize = 64;

/// Evaluates `expr` without changing variables (assignments are computed but dropped).
pub fn eval(expr: &str, sh: &Shell) -> Result<i64, String> {
    evaluate(expr, sh).map(|(v, _)| v)
}

/// Evaluates `expr` and assigns what it assigns (`i++`, `n+=2`, `x=5`).
pub fn eval_assigning(expr: &str, sh: &mut Shell) -> Result<i64, String> {
    let (v, assigns) = evaluate(expr, sh)?;
    for (name, value) in assigns {
        sh.set_var(&name, value.to_string());
    }
    Ok(v)
}

fn evaluate(expr: &str, sh: &Shell) -> Result<(i64, Vec<(String, i64)>), String> {
    let toks = tokenize(expr)?;
    if toks.is_empty() {
        return Ok((0, Vec::new()));
    }
    let mut p = P {
        toks,
        i: 0,
        sh,
        depth: 0,
        assigns: Vec::new(),
    };
    let v = p.comma(true)?;
    if p.i < p.toks.len() {
        return Err("arithmetic syntax error".into());
    }
    Ok((v, p.assigns))
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// Operators, longest first so that `<<=` wins over `<<` and `<`.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=",
    "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "^",
    "|", "?", ":", "(", ")", ",",
];

fn tokenize(s: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while let Some(&ch) = c.get(i) {
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let st = i;
            while c
                .get(i)
                .is_some_and(|d| d.is_ascii_alphanumeric() || *d == '#')
            {
                i += 1;
            }
            let t: String = c[st..i].iter().collect();
            let n = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                u64::from_str_radix(h, 16).map(|v| v as i64).ok()
            } else if let Some((base, digits)) = t.split_once('#') {
                // `base#digits` (ash supports bases 2-64; digits here 0-9a-zA-Z).
                base.parse::<u32>()
                    .ok()
                    .filter(|b| (2..=36).contains(b))
                    .and_then(|b| i64::from_str_radix(digits, b).ok())
            } else if t.len() > 1 && t.starts_with('0') {
                i64::from_str_radix(&t[1..], 8).ok()
            } else {
                t.parse().ok()
            };
            out.push(T::Num(n.ok_or("arithmetic syntax error")?));
        } else if ch == '_' || ch.is_ascii_alphabetic() {
            let st = i;
            while c
                .get(i)
                .is_some_and(|d| *d == '_' || d.is_ascii_alphanumeric())
            {
                i += 1;
            }
            out.push(T::Name(c[st..i].iter().collect()));
        } else {
            let rest: String = c[i..].iter().take(3).collect();
            match OPS.iter().find(|o| rest.starts_with(**o)) {
                Some(o) => {
                    out.push(T::Op(o));
                    i += o.chars().count();
                }
                None => return Err("arithmetic syntax error".into()),
            }
        }
    }
    Ok(out)
}

struct P<'s, 'c, 'a> {
    toks: Vec<T>,
    i: usize,
    sh: &'s Shell<'c, 'a>,
    depth: usize,
    /// Assignments made so far, in order (later reads see them).
    assigns: Vec<(String, i64)>,
}

/// Binary operators by precedence level, lowest first (ternary and assignment aside).
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

fn apply(op: &str, v: i64, r: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(v != 0 || r != 0),
        "&&" => i64::from(v != 0 && r != 0),
        "|" => v | r,
        "^" => v ^ r,
        "&" => v & r,
        "==" => i64::from(v == r),
        "!=" => i64::from(v != r),
        "<" => i64::from(v < r),
        ">" => i64::from(v > r),
        "<=" => i64::from(v <= r),
        ">=" => i64::from(v >= r),
        "<<" => v.wrapping_shl(r as u32),
        ">>" => v.wrapping_shr(r as u32),
        "+" => v.wrapping_add(r),
        "-" => v.wrapping_sub(r),
        "*" => v.wrapping_mul(r),
        "/" => v.checked_div(r).ok_or("divide by zero")?,
        "%" => v.checked_rem(r).ok_or("divide by zero")?,
        "**" => {
            if r < 0 {
                return Err("exponent less than 0".into());
            }
            let mut acc: i64 = 1;
            for _ in 0..r.min(64) {
                acc = acc.wrapping_mul(v);
            }
            if r > 64 && v.abs() > 1 {
                0
            } else {
                acc
            }
        }
        _ => return Err("arithmetic syntax error".into()),
    })
}

impl P<'_, '_, '_> {
    fn op(&self) -> Option<&'static str> {
        match self.toks.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn var(&self, name: &str) -> Result<i64, String> {
        if let Some((_, v)) = self.assigns.iter().rev().find(|(n, _)| n == name) {
            return Ok(*v);
        }
        match self.sh.var(name) {
            None => Ok(0),
            Some(v) if v.trim().is_empty() => Ok(0),
            // A variable holding an expression is evaluated (ash: "5+1" → 6).
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) => Ok(n),
                Err(_) if self.depth < MAX_DEPTH => {
                    let toks = tokenize(&v)?;
                    let mut inner = P {
                        toks,
                        i: 0,
                        sh: self.sh,
                        depth: self.depth + 8,
                        assigns: self.assigns.clone(),
                    };
                    let r = inner.comma(true)?;
                    if inner.i < inner.toks.len() {
                        return Err("arithmetic syntax error".into());
                    }
                    Ok(r)
                }
                Err(_) => Err("expression recursion loop detected".into()),
            },
        }
    }

    fn set(&mut self, name: &str, v: i64, live: bool) {
        if live {
            self.assigns.push((name.to_string(), v));
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression too deep".into());
        }
        Ok(())
    }

    /// `a, b`: the last value. `live` is false inside a branch not taken (no assignments).
    fn comma(&mut self, live: bool) -> Result<i64, String> {
        let mut v = self.assign(live)?;
        while self.op() == Some(",") {
            self.i += 1;
            v = self.assign(live)?;
        }
        Ok(v)
    }

    fn assign(&mut self, live: bool) -> Result<i64, String> {
        self.enter()?;
        let r = self.assign_inner(live);
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self, live: bool) -> Result<i64, String> {
        if let (Some(T::Name(name)), Some(T::Op(op))) = (
            self.toks.get(self.i).cloned(),
            self.toks.get(self.i + 1).cloned(),
        ) {
            let compound = match op {
                "=" => Some(None),
                "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|=" => {
                    Some(Some(&op[..op.len() - 1]))
                }
                _ => None,
            };
            if let Some(binop) = compound {
                self.i += 2;
                let r = self.assign(live)?;
                let v = match binop {
                    None => r,
                    Some(b) => apply(b, self.var(&name)?, r)?,
                };
                self.set(&name, v, live);
                return Ok(v);
            }
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, String> {
        let c = self.binary(0, live)?;
        if self.op() != Some("?") {
            return Ok(c);
        }
        self.i += 1;
        let a = self.comma(live && c != 0)?;
        if self.op() != Some(":") {
            return Err("arithmetic syntax error".into());
        }
        self.i += 1;
        let b = self.assign(live && c == 0)?;
        Ok(if c != 0 { a } else { b })
    }

    fn binary(&mut self, level: usize, live: bool) -> Result<i64, String> {
        let Some(ops) = LEVELS.get(level) else {
            return self.power(live);
        };
        let mut v = self.binary(level + 1, live)?;
        while let Some(o) = self.op().filter(|o| ops.contains(o)) {
            self.i += 1;
            // `||` / `&&` do not evaluate (assign in) their right side when decided.
            let right_live = match o {
                "||" => live && v == 0,
                "&&" => live && v != 0,
                _ => live,
            };
            let r = self.binary(level + 1, right_live)?;
            v = apply(o, v, r)?;
        }
        Ok(v)
    }

    /// `**` binds tighter than `*` and to the right.
    fn power(&mut self, live: bool) -> Result<i64, String> {
        let base = self.unary(live)?;
        if self.op() == Some("**") {
            self.i += 1;
            self.enter()?;
            let e = self.power(live);
            self.depth -= 1;
            return apply("**", base, e?);
        }
        Ok(base)
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        self.enter()?;
        let r = self.unary_inner(live);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, live: bool) -> Result<i64, String> {
        match self.toks.get(self.i).cloned() {
            Some(T::Op(o @ ("++" | "--"))) => {
                self.i += 1;
                let Some(T::Name(name)) = self.toks.get(self.i).cloned() else {
                    return Err("arithmetic syntax error".into());
                };
                self.i += 1;
                let v = self.var(&name)? + if o == "++" { 1 } else { -1 };
                self.set(&name, v, live);
                Ok(v)
            }
            Some(T::Op("-")) => {
                self.i += 1;
                self.unary(live).map(i64::wrapping_neg)
            }
            Some(T::Op("+")) => {
                self.i += 1;
                self.unary(live)
            }
            Some(T::Op("!")) => {
                self.i += 1;
                self.unary(live).map(|v| i64::from(v == 0))
            }
            Some(T::Op("~")) => {
                self.i += 1;
                self.unary(live).map(|v| !v)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.comma(live)?;
                if self.op() != Some(")") {
                    return Err("arithmetic syntax error".into());
                }
                self.i += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(name)) => {
                self.i += 1;
                let v = self.var(&name)?;
                if let Some(o @ ("++" | "--")) = self.op() {
                    self.i += 1;
                    self.set(&name, v + if o == "++" { 1 } else { -1 }, live);
                }
                Ok(v)
            }
            _ => Err("arithmetic syntax error".into()),
        }
    }
}
