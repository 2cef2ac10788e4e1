//! Word splitting of instruction arguments, as BuildKit's line parsers do it.
//!
//! `parse_words` mirrors `parseWords` (frontend/dockerfile/parser/line_parsers.go): words are
//! separated by Unicode whitespace, quotes group but are KEPT, and the escape character is kept
//! with the character it escapes (expansion removes them later). `split_whitespace` mirrors
//! `reWhitespace.Split(rest, -1)` with `reWhitespace = [\t\v\f\r ]+`.

use super::flags::is_re_whitespace;

/// A word of an argument string: its text and its byte range in that string.
pub(super) type RawWord = (String, usize, usize);

/// BuildKit's `parseWords(rest)`.
///
/// Every character of a word is kept (quotes, escapes and what they escape) except an escape
/// character at the very end of `rest`, so a word's text is its source slice minus that one
/// character: the scan only tracks phases and word boundaries.
pub(super) fn parse_words(rest: &str, escape: char) -> Vec<RawWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut start = 0;
    // Whether the current word holds anything: only a lone trailing escape leaves it empty.
    let mut non_empty = false;
    let mut iter = rest.char_indices();
    let push = |words: &mut Vec<RawWord>, start: usize, end: usize, text_end: usize| {
        words.push((
            rest.get(start..text_end).unwrap_or("").to_string(),
            start,
            end,
        ));
    };
    while let Some((pos, ch)) = iter.next() {
        let at_end = pos + ch.len_utf8() == rest.len();
        match phase {
            Phase::Spaces => {
                if ch.is_whitespace() {
                    continue;
                }
                phase = Phase::Word;
                start = pos;
                non_empty = false;
            }
            Phase::Word | Phase::Quote => {}
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if non_empty {
                    push(&mut words, start, pos, pos);
                }
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                phase = Phase::Quote;
            }
            if ch == escape {
                if at_end {
                    // An escape at the very end is dropped.
                    if non_empty {
                        push(&mut words, start, rest.len(), pos);
                    }
                    return words;
                }
                iter.next(); // the escaped character is kept, whatever it is
            }
            non_empty = true;
            continue;
        }
        // Inside quotes. The escape escapes, except inside single quotes.
        non_empty = true;
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if at_end {
                push(&mut words, start, rest.len(), pos);
                return words;
            }
            iter.next();
        }
    }
    if phase != Phase::Spaces && non_empty {
        push(&mut words, start, rest.len(), rest.len());
    }
    words
}

/// BuildKit's `reWhitespace.Split(rest, -1)` for a trimmed, non-empty `rest`: the byte ranges
/// of the pieces between runs of `[\t\v\f\r ]`, lazily (no temporary list).
pub(super) fn split_whitespace(rest: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = rest.as_bytes();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let from = start;
        let Some(ws) = b
            .get(from..)
            .and_then(|t| t.iter().position(|&c| is_re_whitespace(c)))
        else {
            done = true;
            return Some((from, b.len()));
        };
        let end = from + ws;
        let run = b.get(end..).map_or(0, |t| {
            t.iter().take_while(|&&c| is_re_whitespace(c)).count()
        });
        start = end + run;
        Some((from, end))
    })
}

/// BuildKit's `reWhitespace.Split(rest, 2)`: the first piece and the rest after the first run
/// of blanks, or `None` when there is no blank.
pub(super) fn split_once_whitespace(rest: &str) -> Option<((usize, usize), (usize, usize))> {
    let b = rest.as_bytes();
    let i = b.iter().position(|&c| is_re_whitespace(c))?;
    let mut j = i;
    while j < b.len() && is_re_whitespace(b[j]) {
        j += 1;
    }
    Some(((0, i), (j, b.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        parse_words(s, '\\').into_iter().map(|w| w.0).collect()
    }

    #[test]
    fn quotes_and_escapes_are_kept() {
        assert_eq!(words("abc=\"123 456\" def"), vec!["abc=\"123 456\"", "def"]);
        assert_eq!(
            words("name=value\\ value2 x"),
            vec!["name=value\\ value2", "x"]
        );
        assert_eq!(words("a='x\\'y"), vec!["a='x\\'y"]);
        assert_eq!(words("  a  b "), vec!["a", "b"]);
        assert_eq!(words("a\\"), vec!["a"]);
    }

    /// BuildKit's `TestParseWords` (frontend/dockerfile/parser/parser_test.go).
    #[test]
    fn buildkit_parse_words_table() {
        let table: [(&str, &[&str]); 8] = [
            ("foo", &["foo"]),
            ("foo bar", &["foo", "bar"]),
            ("foo\\ bar", &["foo\\ bar"]),
            ("foo=bar", &["foo=bar"]),
            ("foo bar 'abc xyz'", &["foo", "bar", "'abc xyz'"]),
            ("foo bar \"abc xyz\"", &["foo", "bar", "\"abc xyz\""]),
            ("àöû", &["àöû"]),
            ("föo bàr \"âbc xÿz\"", &["föo", "bàr", "\"âbc xÿz\""]),
        ];
        for (input, want) in table {
            assert_eq!(words(input), want, "{input:?}");
        }
    }

    #[test]
    fn word_ranges_cover_the_source() {
        let s = "k=\"a b\"  z";
        let w = parse_words(s, '\\');
        assert_eq!(&s[w[0].1..w[0].2], "k=\"a b\"");
        assert_eq!(&s[w[1].1..w[1].2], "z");
    }

    #[test]
    fn whitespace_split_is_ascii_only() {
        assert_eq!(
            split_whitespace("a \t b\u{a0}c").collect::<Vec<_>>(),
            vec![(0, 1), (4, 8)]
        );
        assert_eq!(split_once_whitespace("k  v w"), Some(((0, 1), (3, 6))));
        assert_eq!(split_once_whitespace("kv"), None);
    }
}
