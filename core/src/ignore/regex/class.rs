//! Character classes of the regex engine: ranges with negation, Go's POSIX `[:name:]` table,
//! Perl `\d\s\w`, and the few Unicode properties we can tell without tables.

/// Unicode property classes we can approximate without tables (`\pL`, `\p{Greek}` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prop {
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
pub(super) struct Class {
    pub(super) ranges: Vec<(char, char)>,
    pub(super) props: Vec<(Prop, bool)>,
    pub(super) negated: bool,
}

impl Class {
    pub(super) fn contains(&self, c: char) -> bool {
        let inside = self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
            || self.props.iter().any(|&(p, neg)| prop_has(p, c) != neg);
        inside != self.negated
    }

    /// Adds `other` (a nested class such as `\D` or `[:^alpha:]`) as ranges.
    pub(super) fn add_class(&mut self, other: &Class) {
        if !other.negated {
            self.ranges.extend_from_slice(&other.ranges);
            self.props.extend_from_slice(&other.props);
            return;
        }
        // Complement the ranges of a negated nested class.
        let mut ranges = other.ranges.clone();
        crate::sorting::sort(&mut ranges);
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

/// Go's `posixGroup` table (`[:alpha:]`, `[:^alpha:]` ...).
pub(super) fn posix_class(name: &str) -> Option<Class> {
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
