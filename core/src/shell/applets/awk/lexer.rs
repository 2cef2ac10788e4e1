//! Tokens of an awk program: numbers, strings (with escapes), regex literals (a `/` where an
//! operand may start), names, keywords, builtin function names, operators and newlines
//! (`\`-newline continues a line, `#` comments run to the end of the line).

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    /// A name; `true` when `(` follows with no space (a function call).
    Name(String, bool),
    Builtin(String),
    Keyword(String),
    Op(&'static str),
    Newline,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];

const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close",
    "fflush",
];

/// Operators, longest first.
const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "**=", "==", "<=", ">=", "!=", "++", "--", "&&", "||",
    ">>", "!~", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!",
    ">", "<", "|", "?", ":", "~", "$", "=",
];

/// A number as awk source writes it (`12`, `1.5e3`, `.5`, `0x1f`).
fn number(c: &[char], i: &mut usize) -> f64 {
    let st = *i;
    if c.get(*i) == Some(&'0') && matches!(c.get(*i + 1), Some('x' | 'X')) {
        *i += 2;
        let hs = *i;
        while c.get(*i).is_some_and(char::is_ascii_hexdigit) {
            *i += 1;
        }
        let h: String = c[hs..*i].iter().collect();
        return u64::from_str_radix(&h, 16).map_or(0.0, |v| v as f64);
    }
    while c.get(*i).is_some_and(|d| d.is_ascii_digit() || *d == '.') {
        *i += 1;
    }
    if matches!(c.get(*i), Some('e' | 'E'))
        && (c.get(*i + 1).is_some_and(char::is_ascii_digit)
            || (matches!(c.get(*i + 1), Some('+' | '-'))
                && c.get(*i + 2).is_some_and(char::is_ascii_digit)))
    {
        *i += 2;
        while c.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
    }
    let t: String = c[st..*i].iter().collect();
    t.parse().unwrap_or(0.0)
}

/// `\n \t \\ \" \/ \ddd` in a string literal.
fn escape(c: &[char], i: &mut usize, out: &mut String) {
    let Some(&e) = c.get(*i) else {
        out.push('\\');
        return;
    };
    *i += 1;
    match e {
        'n' => out.push('\n'),
        't' => out.push('\t'),
        'r' => out.push('\r'),
        '\\' => out.push('\\'),
        '"' => out.push('"'),
        '/' => out.push('/'),
        'a' => out.push('\x07'),
        'b' => out.push('\x08'),
        'f' => out.push('\x0c'),
        'v' => out.push('\x0b'),
        '0'..='7' => {
            let mut v = e as u32 - '0' as u32;
            let mut n = 1;
            while n < 3 && c.get(*i).is_some_and(|d| ('0'..='7').contains(d)) {
                v = v * 8 + (c[*i] as u32 - '0' as u32);
                *i += 1;
                n += 1;
            }
            out.push(char::from_u32(v).unwrap_or('?'));
        }
        other => {
            out.push('\\');
            out.push(other);
        }
    }
}

/// Splits `src` into tokens, or the reason it cannot.
pub fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out: Vec<Tok> = Vec::new();
    while let Some(&ch) = c.get(i) {
        // Whether an operand may start here (then `/` opens a regex).
        let operand_ok = !matches!(
            out.last(),
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Regex(_) | Tok::Name(..) | Tok::Builtin(_))
                | Some(Tok::Op(")" | "]" | "$" | "++" | "--"))
        );
        match ch {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if c.get(i + 1) == Some(&'\n') => i += 2,
            '\\' if c.get(i + 1) == Some(&'\r') && c.get(i + 2) == Some(&'\n') => i += 3,
            '\n' => {
                out.push(Tok::Newline);
                i += 1;
            }
            '#' => {
                while c.get(i).is_some_and(|d| *d != '\n') {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                let mut s = String::new();
                loop {
                    match c.get(i) {
                        None | Some('\n') => return Err("unterminated string".into()),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            i += 1;
                            escape(&c, &mut i, &mut s);
                        }
                        Some(&o) => {
                            s.push(o);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(s));
            }
            '/' if operand_ok => {
                i += 1;
                let mut s = String::new();
                let mut in_bracket = false;
                loop {
                    match c.get(i) {
                        None | Some('\n') => return Err("unterminated regexp".into()),
                        Some('/') if !in_bracket => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            if c.get(i + 1) == Some(&'/') {
                                s.push('/');
                            } else {
                                s.push('\\');
                                if let Some(&n) = c.get(i + 1) {
                                    s.push(n);
                                }
                            }
                            i += 2;
                        }
                        Some(&o) => {
                            if o == '[' {
                                in_bracket = true;
                            } else if o == ']' {
                                in_bracket = false;
                            }
                            s.push(o);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Regex(s));
            }
            d if d.is_ascii_digit()
                || (d == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                out.push(Tok::Num(number(&c, &mut i)));
            }
            a if a == '_' || a.is_ascii_alphabetic() => {
                let st = i;
                while c
                    .get(i)
                    .is_some_and(|d| *d == '_' || d.is_ascii_alphanumeric())
                {
                    i += 1;
                }
                let w: String = c[st..i].iter().collect();
                if KEYWORDS.contains(&w.as_str()) {
                    out.push(Tok::Keyword(if w == "func" {
                        "function".into()
                    } else {
                        w
                    }));
                } else if BUILTINS.contains(&w.as_str()) {
                    out.push(Tok::Builtin(w));
                } else {
                    out.push(Tok::Name(w, c.get(i) == Some(&'(')));
                }
            }
            _ => {
                let rest: String = c[i..].iter().take(3).collect();
                let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                    return Err(format!("unexpected character '{ch}'"));
                };
                out.push(Tok::Op(op));
                i += op.chars().count();
            }
        }
    }
    Ok(out)
}
