//! A small regular-expression engine for the expressions `glob.rs` builds: Go RE2 syntax with
//! `regexp.Compile`'s Perl flags (`.` stops at `\n`, `^`/`$` are text anchors, negated classes
//! may match `\n`), literals and escapes, `[...]` classes with ranges, POSIX `[:name:]` and Perl
//! `\d\s\w` classes, groups, `* + ?` (with lazy `?` suffix) and `\A \z \b \B`. No crate:
//! every byte of core ships to the browser. Matching is a Thompson NFA simulation, linear in
//! the path length, so no pattern can make it run away.
//!
//! Errors follow Go's `regexp/syntax` error codes; patternmatcher turns any of them into
//! `ErrBadPattern` when the pattern is first used.
//!
//! - `parse.rs`: the parser (Go's `regexp/syntax` rules for what we build);
//! - `class.rs`: character classes (ranges, POSIX and Perl classes, a few Unicode ones);
//! - here: the compiled program and the NFA that runs it.

mod class;
mod parse;

use class::Class;
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

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
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
        let (seq, classes) = parse::parse(source)?;
        let (prefix, suffix) = literal_ends(&seq);
        let mut prog = Vec::new();
        compile_node(&Node::Concat(seq), &mut prog);
        prog.push(Inst::Match);
        Ok(Regex {
            prefix,
            suffix,
            source: source.to_string(),
            prog,
            classes,
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

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(re: &str, text: &str) -> bool {
        Regex::new(re).expect("valid").is_match(text)
    }

    #[test]
    fn go_regex_semantics_we_rely_on() {
        assert!(m("^(.*/)?[^/]*\\.pyc$", "a/b/c.pyc") && m("^(.*/)?[^/]*\\.pyc$", "c.pyc"));
        assert!(!m("^[^/]*\\.md$", "docs/a.md"));
        // `[*]` becomes `^[[^/]*]$`: a class of `[`, `^`, `/` repeated, then a literal `]`.
        assert!(m("^[[^/]*]$", "]") && m("^[[^/]*]$", "[^/]") && !m("^[[^/]*]$", "x]"));
        assert!(m("^a[^b-d]e$", "aze") && !m("^a[^b-d]e$", "ace"));
        assert!(m("^[[:alpha:]]\\d$", "x7") && !m("^[[:alpha:]]\\d$", "77"));
        assert!(m("^a.b$", "a-b") && !m("^a.b$", "a\nb") && m("^a[^x]b$", "a\nb"));
        assert!(m("^\\x41\\101$", "AA"));
    }

    #[test]
    fn errors_go_reports() {
        for bad in [
            "^[z-a]$", "^a**$", "^\\e$", "^[abc$", "^\\1$", "^(a$", "^a)$", "*a",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad}");
        }
    }
}
