//! `$((...))` arithmetic: integers, variables, `+ - * / %`, comparisons, `&& || !`, parentheses.

use crate::shell::exec::Shell;

const MAX_DEPTH: usize = 64;

pub fn eval(expr: &str, sh: &Shell) -> Result<i64, String> {
    let toks = tokenize(expr)?;
    let mut p = P {
        toks,
        i: 0,
        sh,
        depth: 0,
    };
    let v = p.or()?;
    if p.i < p.toks.len() {
        return Err(expr.to_string());
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(String),
}

fn tokenize(s: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while let Some(&ch) = c.get(i) {
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let st = i;
            while c.get(i).is_some_and(|d| d.is_ascii_alphanumeric()) {
                i += 1;
            }
            let t: String = c[st..i].iter().collect();
            let n = if let Some(h) = t.strip_prefix("0x") {
                i64::from_str_radix(h, 16)
            } else if t.len() > 1 && t.starts_with('0') {
                i64::from_str_radix(&t[1..], 8)
            } else {
                t.parse()
            };
            out.push(T::Num(n.map_err(|_| t.clone())?));
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
            let two: String = c[i..].iter().take(2).collect();
            if ["==", "!=", "<=", ">=", "&&", "||"].contains(&two.as_str()) {
                out.push(T::Op(two));
                i += 2;
            } else if "+-*/%()<>!".contains(ch) {
                out.push(T::Op(ch.to_string()));
                i += 1;
            } else {
                return Err(s.to_string());
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
}

impl P<'_, '_, '_> {
    fn op(&self) -> Option<&str> {
        match self.toks.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn binary(
        &mut self,
        ops: &[&str],
        next: fn(&mut Self) -> Result<i64, String>,
    ) -> Result<i64, String> {
        let mut v = next(self)?;
        while let Some(o) = self.op().map(str::to_string) {
            if !ops.contains(&o.as_str()) {
                break;
            }
            self.i += 1;
            let r = next(self)?;
            v = match o.as_str() {
                "||" => i64::from(v != 0 || r != 0),
                "&&" => i64::from(v != 0 && r != 0),
                "==" => i64::from(v == r),
                "!=" => i64::from(v != r),
                "<" => i64::from(v < r),
                ">" => i64::from(v > r),
                "<=" => i64::from(v <= r),
                ">=" => i64::from(v >= r),
                "+" => v.wrapping_add(r),
                "-" => v.wrapping_sub(r),
                "*" => v.wrapping_mul(r),
                "/" => v.checked_div(r).ok_or("divide by zero")?,
                _ => v.checked_rem(r).ok_or("divide by zero")?,
            };
        }
        Ok(v)
    }

    fn or(&mut self) -> Result<i64, String> {
        self.binary(&["||"], Self::and)
    }
    fn and(&mut self) -> Result<i64, String> {
        self.binary(&["&&"], Self::eq)
    }
    fn eq(&mut self) -> Result<i64, String> {
        self.binary(&["==", "!="], Self::cmp)
    }
    fn cmp(&mut self) -> Result<i64, String> {
        self.binary(&["<", ">", "<=", ">="], Self::add)
    }
    fn add(&mut self) -> Result<i64, String> {
        self.binary(&["+", "-"], Self::mul)
    }
    fn mul(&mut self) -> Result<i64, String> {
        self.binary(&["*", "/", "%"], Self::unary)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("too deep".into());
        }
        let r = match self.toks.get(self.i).cloned() {
            Some(T::Op(o)) if o == "-" => {
                self.i += 1;
                self.unary().map(i64::wrapping_neg)
            }
            Some(T::Op(o)) if o == "+" => {
                self.i += 1;
                self.unary()
            }
            Some(T::Op(o)) if o == "!" => {
                self.i += 1;
                self.unary().map(|v| i64::from(v == 0))
            }
            Some(T::Op(o)) if o == "(" => {
                self.i += 1;
                let v = self.or()?;
                if self.op() != Some(")") {
                    return Err("missing )".into());
                }
                self.i += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                Ok(self
                    .sh
                    .var(&n)
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0))
            }
            _ => Err("syntax error".into()),
        };
        self.depth -= 1;
        r
    }
}
