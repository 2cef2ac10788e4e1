//! A small regular-expression matcher for `sed s///` and `grep`: POSIX basic syntax (`.`, `*`,
//! `[...]`, `^`, `$`, `\+`, `\?`, `\{n,m\}` not supported) or extended (`+`, `?`, `|` not
//! supported), without groups. Backtracking is bounded so a hostile pattern cannot hang.

/// Matching gives up after this many steps (the line then counts as not matching).
const STEP_LIMIT: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Char(char),
    Any,
    Class {
        negate: bool,
        items: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

#[derive(Debug, Clone)]
pub struct Regex {
    pieces: Vec<Piece>,
    anchored_start: bool,
    anchored_end: bool,
    icase: bool,
}

impl Regex {
    /// Compiles `pattern` (`extended`: `+` and `?` are operators without a backslash).
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Regex {
        let c: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let anchored_start = c.first() == Some(&'^');
        if anchored_start {
            i = 1;
        }
        let mut end = c.len();
        let anchored_end = end > i && c[end - 1] == '$' && !(end >= 2 && c[end - 2] == '\\');
        if anchored_end {
            end -= 1;
        }
        let mut pieces: Vec<Piece> = Vec::new();
        while i < end {
            let ch = c[i];
            let quant = |q: char, escaped: bool| -> Option<(usize, usize)> {
                match (q, escaped != extended) {
                    ('*', _) if !escaped => Some((0, usize::MAX)),
                    ('+', true) => Some((1, usize::MAX)),
                    ('?', true) => Some((0, 1)),
                    _ => None,
                }
            };
            // Quantifiers apply to the previous piece.
            let (q, len) = if ch == '\\' && i + 1 < end {
                (quant(c[i + 1], true), 2)
            } else {
                (quant(ch, false), 1)
            };
            if let (Some((min, max)), Some(last)) = (q, pieces.last_mut()) {
                if last.min == 1 && last.max == 1 {
                    last.min = min;
                    last.max = max;
                    i += len;
                    continue;
                }
            }
            let atom = match ch {
                '.' => {
                    i += 1;
                    Atom::Any
                }
                '[' => {
                    let mut j = i + 1;
                    let negate = c.get(j) == Some(&'^');
                    if negate {
                        j += 1;
                    }
                    let mut items = Vec::new();
                    let mut first = true;
                    while j < c.len() && (c[j] != ']' || first) {
                        first = false;
                        if j + 2 < c.len() && c[j + 1] == '-' && c[j + 2] != ']' {
                            items.push((c[j], c[j + 2]));
                            j += 3;
                        } else {
                            items.push((c[j], c[j]));
                            j += 1;
                        }
                    }
                    if j >= c.len() {
                        // An unclosed class is a literal `[`.
                        i += 1;
                        Atom::Char('[')
                    } else {
                        i = j + 1;
                        Atom::Class { negate, items }
                    }
                }
                '\\' if i + 1 < end => {
                    i += 2;
                    match c[i - 1] {
                        't' => Atom::Char('\t'),
                        'n' => Atom::Char('\n'),
                        other => Atom::Char(other),
                    }
                }
                other => {
                    i += 1;
                    Atom::Char(other)
                }
            };
            pieces.push(Piece {
                atom,
                min: 1,
                max: 1,
            });
        }
        Regex {
            pieces,
            anchored_start,
            anchored_end,
            icase,
        }
    }

    /// The first match in `text` at or after byte `from`: (start, end) byte offsets.
    pub fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let start_idx = chars
            .iter()
            .position(|(b, _)| *b >= from)
            .unwrap_or(chars.len());
        let mut steps = 0usize;
        let last_start = if self.anchored_start { 0 } else { chars.len() };
        if self.anchored_start && from > 0 {
            return None;
        }
        for s in start_idx..=last_start.max(start_idx) {
            if let Some(e) = self.match_here(&chars, s, 0, &mut steps) {
                let b = |i: usize| chars.get(i).map(|(b, _)| *b).unwrap_or(text.len());
                return Some((b(s), b(e)));
            }
            if steps > STEP_LIMIT || self.anchored_start {
                break;
            }
        }
        None
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.find_at(text, 0).is_some()
    }

    fn atom_matches(&self, atom: &Atom, c: char) -> bool {
        let eq = |a: char, b: char| {
            if self.icase {
                a.to_lowercase().eq(b.to_lowercase())
            } else {
                a == b
            }
        };
        match atom {
            Atom::Char(x) => eq(*x, c),
            Atom::Any => true,
            Atom::Class { negate, items } => {
                let hit = items
                    .iter()
                    .any(|(lo, hi)| (*lo <= c && c <= *hi) || (self.icase && eq(*lo, c)));
                hit != *negate
            }
        }
    }

    /// End index (in chars) of a match of pieces[p..] starting at chars[i], greedy with backtracking.
    fn match_here(
        &self,
        chars: &[(usize, char)],
        i: usize,
        p: usize,
        steps: &mut usize,
    ) -> Option<usize> {
        *steps += 1;
        if *steps > STEP_LIMIT {
            return None;
        }
        let Some(piece) = self.pieces.get(p) else {
            return (!self.anchored_end || i == chars.len()).then_some(i);
        };
        let mut n = 0;
        while n < piece.max && i + n < chars.len() && self.atom_matches(&piece.atom, chars[i + n].1)
        {
            n += 1;
        }
        loop {
            if n >= piece.min {
                if let Some(e) = self.match_here(chars, i + n, p + 1, steps) {
                    return Some(e);
                }
            }
            if n == 0 || n <= piece.min {
                return None;
            }
            n -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    #[test]
    fn regex_table() {
        for (pat, text, want) in [
            (":.*", "ls: x: y", Some((2, 8))),
            ("^a.c$", "abc", Some((0, 3))),
            ("^a.c$", "abcd", None),
            ("b*", "abc", Some((0, 0))),
            ("[0-9][0-9]*", "v12.3", Some((1, 3))),
            ("[^a-z]", "ab1", Some((2, 3))),
            ("a\\+", "baa", Some((1, 3))),
            ("\\.", "a.b", Some((1, 2))),
            ("x$", "axbx", Some((3, 4))),
        ] {
            assert_eq!(
                Regex::new(pat, false, false).find_at(text, 0),
                want,
                "{pat} {text}"
            );
        }
        assert!(Regex::new("A", false, true).is_match("a"));
        assert_eq!(
            Regex::new("a+", true, false).find_at("caa", 0),
            Some((1, 3))
        );
        // Catastrophic patterns end.
        let evil = "a*".repeat(30) + "b";
        assert!(!Regex::new(&evil, false, false).is_match(&"a".repeat(40)));
    }
}
