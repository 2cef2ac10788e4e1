//! A small regular-expression engine for the expressions `glob.rs` builds: Go RE2 syntax with
//! `regexp.Compile`'s Perl flags (`.` stops at `\n`, `^`/`$` are text anchors, negated classes
//! may match `\n`), literals and escapes, `[...]` classes with ranges, POSIX `[:name:]` and Perl
//! `\d\s\w` classes, groups, `* + ?` (with lazy `?` suffix) and `\A \z \b \B`. No crate:
//! every byte of core ships to the browser. Matching is a Thompson NFA simulation, linear in
//! the path length, so no pattern can make it run away.
//!
//! Errors follow Go's `regexp/syntax` error codes; patternmatcher turns any of them into
//! `ErrBadPattern` when the pattern is first used.

use std::fmt;

/// A regex Go would refuse, with the code of `regexp/syntax` that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    pub code: &'static str,
    pub expr: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    source: String,
    prog: Vec<Inst>,
    classes: Vec<Class>,
    /// Literal text every match must start with (after a leading `^`) and end with (before a
    /// trailing `$`): a cheap test that rejects most paths before the NFA runs (`*.md` needs
    /// the suffix `.md`).
    prefix: String,
    suffix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assert {
    BeginText,
    EndText,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Char(char),
    AnyNotNl,
    Class(usize),
    Assert(Assert),
    Concat(Vec<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
    Quest(Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inst {
    Char(char),
    AnyNotNl,
    Class(usize),
    Assert(Assert),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// Unicode property classes we can approximate without tables (`\pL`, `\p{Greek}` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prop {
    Letter,
    Upper,
    Lower,
    Number,
    Space,
    Any,
    /// A script or category we have no table for. FIXME: matches nothing.
    Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Class {
    ranges: Vec<(char, char)>,
    props: Vec<(Prop, bool)>,
    negated: bool,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        let inside = self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
            || self.props.iter().any(|&(p, neg)| prop_has(p, c) != neg);
        inside != self.negated
    }

    /// Adds `other` (a nested class such as `\D` or `[:^alpha:]`) as ranges.
    fn add_class(&mut self, other: &Class) {
        if !other.negated {
            self.ranges.extend_from_slice(&other.ranges);
            self.props.extend_from_slice(&other.props);
            return;
        }
        // Complement the ranges of a negated nested class.
        let mut ranges = other.ranges.clone();
        ranges.sort();
        let mut next = '\0';
        let mut covered_to_end = false;
        for (lo, hi) in ranges {
            if lo > next {
                if let Some(before) = char_before(lo) {
                    self.ranges.push((next, before));
                }
            }
            match char_after(hi) {
                Some(after) if after > next => next = after,
                Some(_) => {}
                None => covered_to_end = true,
            }
        }
        if !covered_to_end {
            self.ranges.push((next, char::MAX));
        }
        for (p, neg) in &other.props {
            self.props.push((*p, !neg));
        }
    }
}

fn char_before(c: char) -> Option<char> {
    match c as u32 {
        0 => None,
        0xE000 => Some('\u{D7FF}'),
        n => char::from_u32(n - 1),
    }
}

fn char_after(c: char) -> Option<char> {
    match c as u32 {
        0xD7FF => Some('\u{E000}'),
        n => char::from_u32(n + 1),
    }
}

fn prop_has(p: Prop, c: char) -> bool {
    match p {
        Prop::Letter => c.is_alphabetic() && !c.is_numeric(),
        Prop::Upper => c.is_uppercase(),
        Prop::Lower => c.is_lowercase(),
        Prop::Number => c.is_numeric(),
        Prop::Space => c.is_whitespace() && !c.is_control(),
        Prop::Any => true,
        Prop::Unknown => false,
    }
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

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

/// Go's `posixGroup` table (`[:alpha:]`, `[:^alpha:]` ...).
fn posix_class(name: &str) -> Option<Class> {
    let inner = name.strip_prefix("[:")?.strip_suffix(":]")?;
    let (negated, base) = match inner.strip_prefix('^') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    let ranges: &[(char, char)] = match base {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\u{7f}')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\u{1f}'), ('\u{7f}', '\u{7f}')],
        "digit" => &[('0', '9')],
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    };
    Some(Class {
        ranges: ranges.to_vec(),
        props: vec![],
        negated,
    })
}

/// The literal characters right after a leading `^` and right before a trailing `$`.
fn literal_ends(seq: &[Node]) -> (String, String) {
    let mut prefix = String::new();
    if let [Node::Assert(Assert::BeginText), rest @ ..] = seq {
        for n in rest {
            match n {
                Node::Char(c) => prefix.push(*c),
                _ => break,
            }
        }
    }
    let mut suffix: Vec<char> = Vec::new();
    if let [rest @ .., Node::Assert(Assert::EndText)] = seq {
        for n in rest.iter().rev() {
            match n {
                Node::Char(c) => suffix.push(*c),
                _ => break,
            }
        }
    }
    (prefix, suffix.into_iter().rev().collect())
}

fn compile_node(node: &Node, prog: &mut Vec<Inst>) {
    match node {
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::AnyNotNl => prog.push(Inst::AnyNotNl),
        Node::Class(i) => prog.push(Inst::Class(*i)),
        Node::Assert(a) => prog.push(Inst::Assert(*a)),
        Node::Concat(nodes) => nodes.iter().for_each(|n| compile_node(n, prog)),
        Node::Star(inner) => {
            let split = prog.len();
            prog.push(Inst::Split(0, 0));
            compile_node(inner, prog);
            prog.push(Inst::Jmp(split));
            let after = prog.len();
            prog[split] = Inst::Split(split + 1, after);
        }
        Node::Plus(inner) => {
            let start = prog.len();
            compile_node(inner, prog);
            let after = prog.len() + 1;
            prog.push(Inst::Split(start, after));
        }
        Node::Quest(inner) => {
            let split = prog.len();
            prog.push(Inst::Split(0, 0));
            compile_node(inner, prog);
            let after = prog.len();
            prog[split] = Inst::Split(split + 1, after);
        }
    }
}

impl Regex {
    /// Parses Go regex syntax (the subset described in the module doc).
    pub fn new(source: &str) -> Result<Regex, RegexError> {
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
        let (prefix, suffix) = literal_ends(&seq);
        let mut prog = Vec::new();
        compile_node(&Node::Concat(seq), &mut prog);
        prog.push(Inst::Match);
        Ok(Regex {
            prefix,
            suffix,
            source: source.to_string(),
            prog,
            classes: parser.classes,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Returns true if and only if the expression matches somewhere in `text`
    /// (Go's `MatchString`; our expressions are anchored with `^...$`).
    pub fn is_match(&self, text: &str) -> bool {
        if !text.starts_with(self.prefix.as_str()) || !text.ends_with(self.suffix.as_str()) {
            return false;
        }
        let mut list: Vec<usize> = Vec::with_capacity(self.prog.len());
        let mut survivors: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; self.prog.len()];
        let mut stack: Vec<usize> = Vec::new();
        let mut chars = text.chars();
        let mut prev: Option<char> = None;
        let mut cur = chars.next();
        let mut pos = 0usize;
        loop {
            stack.append(&mut survivors);
            // Unanchored search: a new thread may start at every position.
            stack.push(0);
            list.clear();
            if self.closure(&mut stack, &mut list, &mut seen, pos, prev, cur) {
                return true;
            }
            let Some(c) = cur else { break };
            for &pc in &list {
                let ok = match self.prog.get(pc) {
                    Some(Inst::Char(x)) => *x == c,
                    Some(Inst::AnyNotNl) => c != '\n',
                    Some(Inst::Class(i)) => self.classes.get(*i).is_some_and(|cl| cl.contains(c)),
                    _ => false,
                };
                if ok {
                    survivors.push(pc + 1);
                }
            }
            prev = cur;
            cur = chars.next();
            pos += 1;
        }
        false
    }

    /// Follows splits, jumps and assertions from the pcs on `stack`, appending the
    /// character-consuming pcs to `list`. Returns true if `Match` was reached.
    fn closure(
        &self,
        stack: &mut Vec<usize>,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        generation: usize,
        prev: Option<char>,
        cur: Option<char>,
    ) -> bool {
        let mut matched = false;
        while let Some(pc) = stack.pop() {
            let Some(slot) = seen.get_mut(pc) else {
                continue;
            };
            if *slot == generation {
                continue;
            }
            *slot = generation;
            let Some(inst) = self.prog.get(pc) else {
                continue;
            };
            match *inst {
                Inst::Match => matched = true,
                Inst::Jmp(t) => stack.push(t),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Assert(a) => {
                    let ok = match a {
                        Assert::BeginText => prev.is_none(),
                        Assert::EndText => cur.is_none(),
                        Assert::WordBoundary => is_word(prev) != is_word(cur),
                        Assert::NotWordBoundary => is_word(prev) == is_word(cur),
                    };
                    if ok {
                        stack.push(pc + 1);
                    }
                }
                _ => list.push(pc),
            }
        }
        matched
    }
}
