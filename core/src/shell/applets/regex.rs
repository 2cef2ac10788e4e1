//! POSIX regular expressions as busybox's `sed`, `grep` and `awk` get them from glibc's
//! `regcomp`/`regexec` (Debian's busybox-static links glibc): basic syntax (`\(\)`, `\{m,n\}`,
//! `*`, and the GNU `\+ \? \|`) or extended (`() {m,n} + ? * |`), bracket expressions with
//! `[:class:]`, back-references `\1`-`\9`, anchors, and the GNU `\w \W \s \S \b \B \< \>`.
//! A match is the leftmost one; with alternation, the longest at that position (POSIX), else
//! the greedy one (the same for patterns without `|`). Backtracking is bounded by a step budget
//! so a hostile pattern cannot hang; a pattern that does not parse matches literally.

/// Matching gives up after this many steps (the line then counts as not matching).
const STEP_LIMIT: usize = 200_000;
/// Nesting of groups a pattern may have (bounds the parser's recursion).
const MAX_DEPTH: usize = 64;
/// Largest `{m,n}` bound honoured.
const MAX_REPEAT: usize = 1_000;
/// Nested matcher calls at one time (each repetition of a group nests): beyond it the search
/// stops, so a long line cannot exhaust the (wasm) stack. A group repeated more than about a
/// hundred times in one match (`(ab)*` over a long line) therefore does not match; a repeated
/// single character (`a*`, `[0-9]+`, `.*`) has no such limit.
const MAX_STACK: usize = 150;

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Range(char, char),
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Char(char),
    Any,
    Class { negate: bool, items: Vec<ClassItem> },
    LineStart,
    LineEnd,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    Group(Box<Node>, usize),
    Backref(usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, usize, usize),
}

#[derive(Debug, Clone)]
pub struct Regex {
    root: Node,
    groups: usize,
    icase: bool,
    has_alt: bool,
}

/// Capture spans in char indices: slot 0 is the whole match.
type Caps = Vec<Option<(usize, usize)>>;

struct Parser<'p> {
    c: &'p [char],
    i: usize,
    extended: bool,
    groups: usize,
    has_alt: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn at_alt_or_close(&self, depth: usize) -> bool {
        if self.extended {
            matches!(self.peek(), Some('|')) || (depth > 0 && self.peek() == Some(')'))
        } else {
            self.peek() == Some('\\')
                && match self.c.get(self.i + 1) {
                    Some('|') => true,
                    Some(')') => depth > 0,
                    _ => false,
                }
        }
    }

    fn alternation(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut branches = vec![self.branch(depth)?];
        while self.at_alt_or_close(depth) {
            let is_alt = if self.extended {
                self.peek() == Some('|')
            } else {
                self.c.get(self.i + 1) == Some(&'|')
            };
            if !is_alt {
                break;
            }
            self.i += if self.extended { 1 } else { 2 };
            self.has_alt = true;
            branches.push(self.branch(depth)?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Node::Alt(branches)
        })
    }

    fn branch(&mut self, depth: usize) -> Option<Node> {
        let mut items: Vec<Node> = Vec::new();
        let branch_start = self.i;
        while self.i < self.c.len() && !self.at_alt_or_close(depth) {
            let at_start = self.i == branch_start;
            let ch = self.c[self.i];
            // Anchors: `^` at the start of a branch (anywhere in ERE), `$` at its end.
            if ch == '^' && (self.extended || at_start) {
                self.i += 1;
                items.push(Node::LineStart);
                continue;
            }
            if ch == '$' {
                let next_ends = self.i + 1 == self.c.len() || {
                    let save = self.i;
                    self.i += 1;
                    let r = self.at_alt_or_close(depth);
                    self.i = save;
                    r
                };
                if self.extended || next_ends {
                    self.i += 1;
                    items.push(Node::LineEnd);
                    continue;
                }
            }
            // A leading `*` (BRE, or after an anchor) is literal.
            if ch == '*' && (at_start || matches!(items.last(), Some(Node::LineStart))) {
                self.i += 1;
                items.push(Node::Char('*'));
                continue;
            }
            let atom = self.atom(depth)?;
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Some(if items.len() == 1 {
            items.pop()?
        } else {
            Node::Concat(items)
        })
    }

    fn quantified(&mut self, mut atom: Node) -> Option<Node> {
        loop {
            let (min, max, len) = match (self.peek(), self.c.get(self.i + 1)) {
                (Some('*'), _) => (0, usize::MAX, 1),
                (Some('+'), _) if self.extended => (1, usize::MAX, 1),
                (Some('?'), _) if self.extended => (0, 1, 1),
                (Some('\\'), Some('+')) if !self.extended => (1, usize::MAX, 2),
                (Some('\\'), Some('?')) if !self.extended => (0, 1, 2),
                (Some('{'), _) if self.extended => match self.interval(self.i + 1) {
                    Some((min, max, end)) => (min, max, end - self.i),
                    None => return Some(atom),
                },
                (Some('\\'), Some('{')) if !self.extended => {
                    let (min, max, end) = self.interval(self.i + 2)?;
                    (min, max, end - self.i)
                }
                _ => return Some(atom),
            };
            self.i += len;
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `m}`, `m,}`, `m,n}` (BRE: closed by `\}`) from `at`; returns (min, max, index after).
    fn interval(&self, at: usize) -> Option<(usize, usize, usize)> {
        let mut j = at;
        let num = |j: &mut usize| -> Option<usize> {
            let s = *j;
            while self.c.get(*j).is_some_and(char::is_ascii_digit) {
                *j += 1;
            }
            let t: String = self.c.get(s..*j)?.iter().collect();
            if t.is_empty() {
                None
            } else {
                Some(t.parse::<usize>().ok()?.min(MAX_REPEAT))
            }
        };
        let min = num(&mut j).unwrap_or(0);
        let max = if self.c.get(j) == Some(&',') {
            j += 1;
            num(&mut j).unwrap_or(usize::MAX)
        } else {
            min
        };
        if !self.extended {
            if self.c.get(j) != Some(&'\\') {
                return None;
            }
            j += 1;
        }
        if self.c.get(j) != Some(&'}') || max < min {
            return None;
        }
        Some((min, max, j + 1))
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        let ch = self.peek()?;
        self.i += 1;
        Some(match ch {
            '.' => Node::Any,
            '[' => self.bracket()?,
            '(' if self.extended => self.group(depth)?,
            '\\' => {
                let e = self.peek()?;
                self.i += 1;
                match e {
                    '(' if !self.extended => self.group(depth)?,
                    '1'..='9' => Node::Backref(e as usize - '0' as usize),
                    'w' | 'W' | 's' | 'S' => {
                        let name = if matches!(e, 'w' | 'W') {
                            "_word"
                        } else {
                            "space"
                        };
                        Node::Class {
                            negate: e.is_ascii_uppercase(),
                            items: vec![ClassItem::Named(name.to_string())],
                        }
                    }
                    'b' => Node::WordBoundary(true),
                    'B' => Node::WordBoundary(false),
                    '<' => Node::WordStart,
                    '>' => Node::WordEnd,
                    '`' => Node::LineStart,
                    '\'' => Node::LineEnd,
                    'n' => Node::Char('\n'),
                    't' => Node::Char('\t'),
                    other => Node::Char(other),
                }
            }
            other => Node::Char(other),
        })
    }

    fn group(&mut self, depth: usize) -> Option<Node> {
        self.groups += 1;
        let index = self.groups;
        let inner = self.alternation(depth + 1)?;
        // The closing `)` / `\)`.
        if self.extended {
            if self.peek() != Some(')') {
                return None;
            }
            self.i += 1;
        } else {
            if self.peek() != Some('\\') || self.c.get(self.i + 1) != Some(&')') {
                return None;
            }
            self.i += 2;
        }
        Some(Node::Group(Box::new(inner), index))
    }

    fn bracket(&mut self) -> Option<Node> {
        let negate = self.peek() == Some('^');
        if negate {
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let ch = self.peek()?;
            if ch == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if ch == '[' && matches!(self.c.get(self.i + 1), Some(':' | '=' | '.')) {
                let kind = self.c[self.i + 1];
                let start = self.i + 2;
                let mut j = start;
                while j + 1 < self.c.len() && !(self.c[j] == kind && self.c[j + 1] == ']') {
                    j += 1;
                }
                if j + 1 >= self.c.len() {
                    return None;
                }
                let name: String = self.c[start..j].iter().collect();
                self.i = j + 2;
                match kind {
                    ':' => items.push(ClassItem::Named(name)),
                    _ => {
                        for c in name.chars() {
                            items.push(ClassItem::Range(c, c));
                        }
                    }
                }
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.c.get(self.i + 1).is_some_and(|n| *n != ']') {
                let hi = self.c[self.i + 1];
                self.i += 2;
                items.push(ClassItem::Range(ch, hi));
            } else {
                items.push(ClassItem::Range(ch, ch));
            }
        }
        Some(Node::Class { negate, items })
    }
}

/// RUN has no LANG, so classes are the C locale's: ASCII only. Also grep -w's word characters.
pub(super) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn in_named_class(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => matches!(c, ' '..='~'),
        "graph" => c.is_ascii_graphic(),
        "cntrl" => c.is_ascii_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        "_word" => is_word(c),
        _ => false,
    }
}

/// One search: the text, the step budget, and the best (longest) match found so far.
struct Search<'t> {
    chars: &'t [char],
    steps: usize,
    stack: usize,
    longest: bool,
    best: Option<Caps>,
}

impl Regex {
    /// Compiles `pattern` (`extended`: ERE syntax). A pattern that does not parse (an
    /// unbalanced group, an unclosed bracket) is matched as literal text.
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Regex {
        let c: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            c: &c,
            i: 0,
            extended,
            groups: 0,
            has_alt: false,
        };
        match p.alternation(0).filter(|_| p.i == c.len()) {
            Some(root) => Regex {
                root,
                groups: p.groups,
                icase,
                has_alt: p.has_alt,
            },
            None => Regex {
                root: Node::Concat(c.iter().map(|ch| Node::Char(*ch)).collect()),
                groups: 0,
                icase,
                has_alt: false,
            },
        }
    }

    /// The first match in `text` at or after byte `from`: (start, end) byte offsets.
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        self.captures_at(text, from)
            .and_then(|caps| caps.first().copied().flatten())
    }

    /// The first match at or after byte `from` with its groups, as byte offsets (slot 0 is the
    /// whole match; a group that took no part is `None`). `^` matches only at the text's start.
    pub fn captures_at(&self, text: &str, from: usize) -> Option<Vec<Option<(usize, usize)>>> {
        let indices: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        let chars: Vec<char> = text.chars().collect();
        let start_idx = indices
            .iter()
            .position(|b| *b >= from)
            .unwrap_or(chars.len());
        let byte = |i: usize| indices.get(i).copied().unwrap_or(text.len());
        let mut search = Search {
            chars: &chars,
            steps: 0,
            stack: 0,
            longest: self.has_alt,
            best: None,
        };
        for s in start_idx..=chars.len() {
            let mut caps: Caps = vec![None; self.groups + 1];
            caps[0] = Some((s, s));
            self.match_node(
                &self.root,
                s,
                &mut caps,
                &mut search,
                &mut |end, caps, search| {
                    let better = match &search.best {
                        None => true,
                        Some(b) => b[0].is_some_and(|(_, e)| end > e),
                    };
                    if better {
                        let mut c = caps.clone();
                        c[0] = Some((s, end));
                        search.best = Some(c);
                    }
                    // Longest mode keeps exploring; greedy mode takes the first.
                    !search.longest
                },
            );
            if let Some(best) = search.best.take() {
                return Some(
                    best.into_iter()
                        .map(|c| c.map(|(a, b)| (byte(a), byte(b))))
                        .collect(),
                );
            }
            if search.steps > STEP_LIMIT {
                break;
            }
        }
        None
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.find_at(text, 0).is_some()
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && a.eq_ignore_ascii_case(&b))
    }

    fn single(&self, node: &Node, c: char) -> bool {
        match node {
            Node::Char(x) => self.eq(*x, c),
            Node::Any => true,
            Node::Class { negate, items } => {
                let hit = items.iter().any(|it| match it {
                    ClassItem::Range(lo, hi) => {
                        (*lo <= c && c <= *hi)
                            || (self.icase
                                && [c.to_ascii_lowercase(), c.to_ascii_uppercase()]
                                    .iter()
                                    .any(|d| lo <= d && d <= hi))
                    }
                    ClassItem::Named(n) => {
                        in_named_class(n, c)
                            || (self.icase
                                && matches!(n.as_str(), "upper" | "lower")
                                && c.is_ascii_alphabetic())
                    }
                });
                hit != *negate
            }
            _ => false,
        }
    }

    /// Matches `node` at char `i`, then calls `k` with the end; true stops the search.
    fn match_node(
        &self,
        node: &Node,
        i: usize,
        caps: &mut Caps,
        s: &mut Search,
        k: &mut dyn FnMut(usize, &mut Caps, &mut Search) -> bool,
    ) -> bool {
        s.steps += 1;
        if s.steps > STEP_LIMIT || s.stack >= MAX_STACK {
            s.steps = STEP_LIMIT + 1;
            return true;
        }
        s.stack += 1;
        let hit = self.match_node_inner(node, i, caps, s, k);
        s.stack -= 1;
        hit
    }

    fn match_node_inner(
        &self,
        node: &Node,
        i: usize,
        caps: &mut Caps,
        s: &mut Search,
        k: &mut dyn FnMut(usize, &mut Caps, &mut Search) -> bool,
    ) -> bool {
        let chars = s.chars;
        let word_at = |j: usize| j < chars.len() && is_word(chars[j]);
        let word_before = |j: usize| j > 0 && is_word(chars[j - 1]);
        match node {
            Node::Char(_) | Node::Any | Node::Class { .. } => match chars.get(i) {
                Some(&c) if self.single(node, c) => k(i + 1, caps, s),
                _ => false,
            },
            Node::LineStart => i == 0 && k(i, caps, s),
            Node::LineEnd => i == chars.len() && k(i, caps, s),
            Node::WordBoundary(want) => (word_before(i) != word_at(i)) == *want && k(i, caps, s),
            Node::WordStart => !word_before(i) && word_at(i) && k(i, caps, s),
            Node::WordEnd => word_before(i) && !word_at(i) && k(i, caps, s),
            Node::Backref(n) => {
                let Some(Some((a, b))) = caps.get(*n).copied() else {
                    return false;
                };
                let len = b - a;
                if i + len > chars.len() {
                    return false;
                }
                let same = (0..len).all(|d| self.eq(chars[a + d], chars[i + d]));
                same && k(i + len, caps, s)
            }
            Node::Group(inner, idx) => {
                let idx = *idx;
                let saved = caps.get(idx).copied().flatten();
                let hit = self.match_node(inner, i, caps, s, &mut |end, caps, s| {
                    let before = caps[idx];
                    caps[idx] = Some((i, end));
                    if k(end, caps, s) {
                        return true;
                    }
                    caps[idx] = before;
                    false
                });
                if !hit {
                    caps[idx] = saved;
                }
                hit
            }
            Node::Concat(items) => self.match_seq(items, i, caps, s, k),
            Node::Alt(branches) => branches.iter().any(|b| self.match_node(b, i, caps, s, k)),
            Node::Repeat(inner, min, max) => self.match_repeat(inner, *min, *max, 0, i, caps, s, k),
        }
    }

    fn match_seq(
        &self,
        items: &[Node],
        i: usize,
        caps: &mut Caps,
        s: &mut Search,
        k: &mut dyn FnMut(usize, &mut Caps, &mut Search) -> bool,
    ) -> bool {
        // Single characters in a row match without nesting (long literal patterns).
        let mut i = i;
        let mut items = items;
        while let Some((first, rest)) = items.split_first() {
            if !matches!(first, Node::Char(_) | Node::Any | Node::Class { .. }) {
                break;
            }
            match s.chars.get(i) {
                Some(&c) if self.single(first, c) => {
                    i += 1;
                    items = rest;
                }
                _ => return false,
            }
        }
        match items.split_first() {
            None => k(i, caps, s),
            Some((first, rest)) => self.match_node(first, i, caps, s, &mut |end, caps, s| {
                self.match_seq(rest, end, caps, s, k)
            }),
        }
    }

    /// Greedy repetition: one more turn first, then what follows. A turn that matched nothing
    /// ends the repetition (no endless empty loops).
    #[allow(clippy::too_many_arguments)]
    fn match_repeat(
        &self,
        inner: &Node,
        min: usize,
        max: usize,
        done: usize,
        i: usize,
        caps: &mut Caps,
        s: &mut Search,
        k: &mut dyn FnMut(usize, &mut Caps, &mut Search) -> bool,
    ) -> bool {
        // A single-character atom repeated: count the run, then back off (no deep recursion).
        if matches!(inner, Node::Char(_) | Node::Any | Node::Class { .. }) {
            let mut n = 0;
            while n < max && i + n < s.chars.len() && self.single(inner, s.chars[i + n]) {
                n += 1;
            }
            loop {
                if n >= min {
                    s.steps += 1;
                    if s.steps > STEP_LIMIT || k(i + n, caps, s) {
                        return true;
                    }
                }
                if n == 0 || n <= min {
                    return false;
                }
                n -= 1;
            }
        }
        if done < max
            && self.match_node(inner, i, caps, s, &mut |end, caps, s| {
                if end == i && done >= min {
                    return false;
                }
                self.match_repeat(inner, min, max, done + 1, end, caps, s, k)
            })
        {
            return true;
        }
        done >= min && k(i, caps, s)
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    #[test]
    fn regex_table() {
        for (pat, ext, text, want) in [
            (":.*", false, "ls: x: y", Some((2, 8))),
            ("^a.c$", false, "abc", Some((0, 3))),
            ("^a.c$", false, "abcd", None),
            ("b*", false, "abc", Some((0, 0))),
            ("[0-9][0-9]*", false, "v12.3", Some((1, 3))),
            ("[^a-z]", false, "ab1", Some((2, 3))),
            ("a\\+", false, "baa", Some((1, 3))),
            ("\\.", false, "a.b", Some((1, 2))),
            ("x$", false, "axbx", Some((3, 4))),
            ("a+", true, "caa", Some((1, 3))),
            // Groups, intervals, alternation (POSIX: the longest at the leftmost position).
            ("\\(ab\\)*c", false, "xababc", Some((1, 6))),
            ("(ab)+", true, "xababc", Some((1, 5))),
            ("a\\{2,3\\}", false, "aaaa", Some((0, 3))),
            ("a{2}", true, "baaa", Some((1, 3))),
            ("a|ab", true, "xab", Some((1, 3))),
            ("cat\\|dog", false, "hotdog", Some((3, 6))),
            ("[[:digit:]]+", true, "ab123c", Some((2, 5))),
            ("[[:space:]]*$", true, "ab  ", Some((2, 4))),
            ("\\bis\\b", false, "this is", Some((5, 7))),
            ("\\(a\\)\\1", false, "xaab", Some((1, 3))),
            ("a*", false, "*", Some((0, 0))),
            ("*a", false, "x*a", Some((1, 3))),
            ("a{", true, "a{", Some((0, 2))),
            ("^#", false, "a#", None),
            ("a^b", false, "a^b", Some((0, 3))),
            ("a$b", false, "a$b", Some((0, 3))),
            ("(unclosed", true, "x(unclosed", Some((1, 10))),
        ] {
            assert_eq!(
                Regex::new(pat, ext, false).find_at(text, 0),
                want,
                "{pat} {text}"
            );
        }
        assert!(Regex::new("A", false, true).is_match("a"));
        assert!(Regex::new("[A-Z]x", false, true).is_match("ax"));
        let re = Regex::new("\\([a-z]*\\)=\\([0-9]*\\)", false, false);
        assert_eq!(
            re.captures_at("k=12", 0),
            Some(vec![Some((0, 4)), Some((0, 1)), Some((2, 4))])
        );
        // `^` matches only at the text's start, not at a later search position.
        assert_eq!(Regex::new("^a", false, false).find_at("aa", 1), None);
        // Catastrophic patterns end.
        let evil = "a*".repeat(30) + "b";
        assert!(!Regex::new(&evil, false, false).is_match(&"a".repeat(40)));
        let evil = "(a|aa)*".repeat(10) + "b";
        assert!(!Regex::new(&evil, true, false).is_match(&"a".repeat(40)));
        // Too deep a nesting is taken literally; a long line does not exhaust the stack.
        let deep = "(".repeat(5000) + "a" + &")".repeat(5000);
        assert!(Regex::new(&deep, true, false).is_match(&deep));
        let long = "ab".repeat(100_000);
        assert_eq!(Regex::new("(ab)*", true, false).find_at(&long, 0), None);
        assert_eq!(
            Regex::new("(ab)*", true, false).find_at("ababx", 0),
            Some((0, 4))
        );
    }
}
