//! Parsing Go regex syntax into nodes, as `regexp/syntax` does with the Perl flags:
//! literals, escapes (`parseEscape`), classes (`parseClass`), groups, repetition (a doubled
//! operator such as `**` is an error, a lazy `*?` is not), anchors.

use super::class::{posix_class, Class, Prop};
use super::{Assert, Node, RegexError};

/// Nesting limit for groups (ours are never nested; this only guards odd input).
const MAX_DEPTH: usize = 100;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    classes: Vec<Class>,
    /// Byte offsets of every `:]` in `src`, so finding the end of a `[:name:]` does not
    /// rescan the rest of the expression each time (that made long patterns quadratic).
    colon_brackets: Vec<usize>,
}

/// Parses a whole expression: its top-level sequence and the classes it refers to.
pub(super) fn parse(source: &str) -> Result<(Vec<Node>, Vec<Class>), RegexError> {
    let colon_brackets = source.match_indices(":]").map(|(i, _)| i).collect();
    let mut parser = Parser {
        src: source,
        pos: 0,
        classes: Vec::new(),
        colon_brackets,
    };
    let seq = parser.parse_concat(0)?;
    if parser.peek() == Some(')') {
        return Err(err("unexpected )", source));
    }
    Ok((seq, parser.classes))
}

fn err(code: &'static str, expr: &str) -> RegexError {
    RegexError {
        code,
        expr: expr.to_string(),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// A concatenation up to `)` (consumed by the caller) or the end.
    fn parse_concat(&mut self, depth: usize) -> Result<Vec<Node>, RegexError> {
        if depth > MAX_DEPTH {
            return Err(err("expression nests too deeply", self.src));
        }
        let mut seq: Vec<Node> = Vec::new();
        // Whether the last item was a repetition: Go rejects `a**` (but allows lazy `a*?`).
        let mut last_repeat = false;
        while let Some(c) = self.peek() {
            let start = self.pos;
            match c {
                ')' => break,
                '|' => return Err(err("unsupported alternation", self.rest())),
                '*' | '+' | '?' => {
                    self.bump();
                    if last_repeat {
                        let op = self
                            .src
                            .get(start.saturating_sub(1)..self.pos)
                            .unwrap_or("");
                        return Err(err("invalid nested repetition operator", op));
                    }
                    let Some(prev) = seq.pop() else {
                        return Err(err(
                            "missing argument to repetition operator",
                            &c.to_string(),
                        ));
                    };
                    seq.push(match c {
                        '*' => Node::Star(Box::new(prev)),
                        '+' => Node::Plus(Box::new(prev)),
                        _ => Node::Quest(Box::new(prev)),
                    });
                    // A `?` right after a repetition makes it lazy: same set of matches.
                    if self.peek() == Some('?') {
                        self.bump();
                    }
                    last_repeat = true;
                    continue;
                }
                '(' => {
                    self.bump();
                    let inner = self.parse_concat(depth + 1)?;
                    if self.bump() != Some(')') {
                        return Err(err("missing closing )", self.src));
                    }
                    seq.push(Node::Concat(inner));
                }
                '^' => {
                    self.bump();
                    seq.push(Node::Assert(Assert::BeginText));
                }
                '$' => {
                    self.bump();
                    seq.push(Node::Assert(Assert::EndText));
                }
                '.' => {
                    self.bump();
                    seq.push(Node::AnyNotNl);
                }
                '[' => {
                    let class = self.parse_class()?;
                    self.classes.push(class);
                    seq.push(Node::Class(self.classes.len() - 1));
                }
                '\\' => {
                    let node = self.parse_backslash()?;
                    match node {
                        Some(n) => seq.push(n),
                        None => {
                            last_repeat = false;
                            continue;
                        }
                    }
                }
                c => {
                    self.bump();
                    seq.push(Node::Char(c));
                }
            }
            last_repeat = false;
        }
        Ok(seq)
    }

    /// After a `\` outside a class. `None` for `\Q...\E` with nothing inside.
    fn parse_backslash(&mut self) -> Result<Option<Node>, RegexError> {
        let start = self.pos;
        self.bump();
        match self.peek() {
            Some('A') => {
                self.bump();
                Ok(Some(Node::Assert(Assert::BeginText)))
            }
            Some('z') => {
                self.bump();
                Ok(Some(Node::Assert(Assert::EndText)))
            }
            Some('b') => {
                self.bump();
                Ok(Some(Node::Assert(Assert::WordBoundary)))
            }
            Some('B') => {
                self.bump();
                Ok(Some(Node::Assert(Assert::NotWordBoundary)))
            }
            Some('Q') => {
                self.bump();
                let rest = self.rest();
                let (lit, consumed) = match rest.find("\\E") {
                    Some(i) => (&rest[..i], i + 2),
                    None => (rest, rest.len()),
                };
                self.pos += consumed;
                let nodes: Vec<Node> = lit.chars().map(Node::Char).collect();
                Ok((!nodes.is_empty()).then_some(Node::Concat(nodes)))
            }
            Some('C') => Err(err("invalid escape sequence", "\\C")),
            Some('p' | 'P' | 'd' | 'D' | 's' | 'S' | 'w' | 'W') => {
                self.pos = start;
                let class = self.parse_class_escape()?.unwrap_or_default();
                self.classes.push(class);
                Ok(Some(Node::Class(self.classes.len() - 1)))
            }
            _ => {
                self.pos = start;
                Ok(Some(Node::Char(self.parse_escape()?)))
            }
        }
    }

    /// `parseEscape`: the character a `\x` escape stands for (at `\`).
    fn parse_escape(&mut self) -> Result<char, RegexError> {
        let start = self.pos;
        self.bump();
        let Some(c) = self.bump() else {
            return Err(err("trailing backslash at end of expression", ""));
        };
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            return Ok(c);
        }
        let here = |p: &Parser| p.src.get(start..p.pos).unwrap_or("").to_string();
        match c {
            '1'..='7' if !self.peek().is_some_and(|d| ('0'..='7').contains(&d)) => {
                Err(RegexError {
                    code: "invalid escape sequence",
                    expr: here(self),
                })
            }
            '0'..='7' => {
                let mut r = c as u32 - '0' as u32;
                for _ in 1..3 {
                    match self.peek() {
                        Some(d @ '0'..='7') => {
                            self.bump();
                            r = r * 8 + (d as u32 - '0' as u32);
                        }
                        _ => break,
                    }
                }
                char::from_u32(r).ok_or_else(|| err("invalid escape sequence", &here(self)))
            }
            'x' => {
                let mut v: u32 = 0;
                if self.peek() == Some('{') {
                    self.bump();
                    let mut n = 0;
                    loop {
                        match self.bump() {
                            Some('}') if n > 0 => break,
                            Some(d) if d.is_ascii_hexdigit() => {
                                v = v
                                    .saturating_mul(16)
                                    .saturating_add(d.to_digit(16).unwrap_or(0));
                                n += 1;
                                if v > 0x10FFFF {
                                    return Err(err("invalid escape sequence", &here(self)));
                                }
                            }
                            _ => return Err(err("invalid escape sequence", &here(self))),
                        }
                    }
                } else {
                    for _ in 0..2 {
                        match self.bump() {
                            Some(d) if d.is_ascii_hexdigit() => {
                                v = v * 16 + d.to_digit(16).unwrap_or(0)
                            }
                            _ => return Err(err("invalid escape sequence", &here(self))),
                        }
                    }
                }
                char::from_u32(v).ok_or_else(|| err("invalid escape sequence", &here(self)))
            }
            'a' => Ok('\u{7}'),
            'f' => Ok('\u{c}'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\u{b}'),
            _ => Err(RegexError {
                code: "invalid escape sequence",
                expr: here(self),
            }),
        }
    }

    /// `\d \s \w` (and negations) or `\pX`, `\p{Name}`; `None` if not at one.
    fn parse_class_escape(&mut self) -> Result<Option<Class>, RegexError> {
        let rest = self.rest();
        let mut it = rest.chars();
        if it.next() != Some('\\') {
            return Ok(None);
        }
        let Some(c) = it.next() else { return Ok(None) };
        let perl = |ranges: &[(char, char)], negated| Class {
            ranges: ranges.to_vec(),
            props: vec![],
            negated,
        };
        let class = match c {
            'd' | 'D' => perl(&[('0', '9')], c == 'D'),
            's' | 'S' => perl(&[('\t', '\n'), ('\u{c}', '\r'), (' ', ' ')], c == 'S'),
            'w' | 'W' => perl(&[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')], c == 'W'),
            'p' | 'P' => {
                self.pos += 2;
                let mut negated = c == 'P';
                let name: String = match self.bump() {
                    None => return Err(err("invalid character class range", "\\p")),
                    Some('{') => {
                        let rest = self.rest();
                        let Some(end) = rest.find('}') else {
                            return Err(err("invalid character class range", rest));
                        };
                        self.pos += end + 1;
                        rest[..end].to_string()
                    }
                    Some(ch) => ch.to_string(),
                };
                let name = match name.strip_prefix('^') {
                    Some(n) => {
                        negated = !negated;
                        n.to_string()
                    }
                    None => name,
                };
                let prop = match name.as_str() {
                    "L" | "Letter" => Prop::Letter,
                    "Lu" => Prop::Upper,
                    "Ll" => Prop::Lower,
                    "N" | "Nd" => Prop::Number,
                    "Z" | "Zs" => Prop::Space,
                    "Any" => Prop::Any,
                    n if n.starts_with(|ch: char| ch.is_ascii_uppercase()) => Prop::Unknown,
                    _ => return Err(err("invalid character class range", &name)),
                };
                return Ok(Some(Class {
                    ranges: vec![],
                    props: vec![(prop, false)],
                    negated,
                }));
            }
            _ => return Ok(None),
        };
        self.pos += 2;
        Ok(Some(class))
    }

    /// `parseClass`, at the `[`.
    fn parse_class(&mut self) -> Result<Class, RegexError> {
        let start = self.pos;
        self.bump();
        let mut class = Class::default();
        if self.peek() == Some('^') {
            self.bump();
            class.negated = true;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(err(
                    "missing closing ]",
                    self.src.get(start..).unwrap_or(""),
                ));
            };
            if c == ']' && !first {
                self.bump();
                break;
            }
            first = false;
            let rest = self.rest();
            // POSIX [:alpha:] (searched for anywhere further on, as Go does).
            if rest.starts_with("[:") {
                let from = self.pos + 2;
                let idx = self.colon_brackets.partition_point(|&at| at < from);
                if let Some(&at) = self.colon_brackets.get(idx) {
                    let name = rest.get(..at + 2 - self.pos).unwrap_or(rest);
                    let named = posix_class(name)
                        .ok_or_else(|| err("invalid character class range", name))?;
                    self.pos += name.len();
                    class.add_class(&named);
                    continue;
                }
            }
            if let Some(nested) = self.parse_class_escape()? {
                class.add_class(&nested);
                continue;
            }
            let range_start = self.pos;
            let lo = self.class_char()?;
            let mut hi = lo;
            let rest = self.rest();
            if rest.len() >= 2 && rest.starts_with('-') && !rest[1..].starts_with(']') {
                self.bump();
                hi = self.class_char()?;
                if hi < lo {
                    let text = self.src.get(range_start..self.pos).unwrap_or("");
                    return Err(err("invalid character class range", text));
                }
            }
            class.ranges.push((lo, hi));
        }
        Ok(class)
    }

    fn class_char(&mut self) -> Result<char, RegexError> {
        match self.peek() {
            None => Err(err("missing closing ]", self.src)),
            Some('\\') => self.parse_escape(),
            Some(c) => {
                self.bump();
                Ok(c)
            }
        }
    }
}
