//! The scanner and the quote/escape rules of BuildKit's `shellWord` (frontend/dockerfile/
//! shell/lex.go): `processStopOn`, the quote functions, word splitting and `processName`.
//! `${...}` itself lives in `modifiers.rs`. The parser's heredoc detection runs this same lexer
//! (syntax/shell_words.rs: empty env, `SkipUnsetEnv`, raw quotes/escapes), so its word splitting
//! quirks are BuildKit's `ProcessWords` ones, not a shell's.

use super::env::Env;
use super::error::ExpandError;
use super::{Options, Used, MAX_NESTING, MAX_OUTPUT};
use crate::text::TextRange;

/// One expansion in progress: BuildKit's `shellWord`.
pub(super) struct Lexer<'a> {
    pub(super) src: &'a str,
    /// Byte offset of the next character.
    pub(super) pos: usize,
    env: &'a dyn Env,
    pub(super) opts: &'a Options,
    /// BuildKit's `sw.wordsBuffer`: ONE buffer shared by every nested `processStopOn`, each of
    /// which resets it on entry. So `ab${X:-c}` splits into `["c"]`, not `["abc"]`: a quirk
    /// of `ProcessWords` we keep, since the parser and EXPOSE rely on that function.
    words_buf: String,
    pub(super) used: Used,
    pub(super) depth: usize,
}

/// The words being split inside one `processStopOn` (`wordsStruct`).
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if ch.is_whitespace() && self.in_word {
            if !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else if !ch.is_whitespace() {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str, env: &'a dyn Env, opts: &'a Options) -> Lexer<'a> {
        // text/scanner skips a byte order mark at the very start of its input.
        let pos = if src.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Lexer {
            src,
            pos,
            env,
            opts,
            words_buf: String::new(),
            used: Used::default(),
            depth: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    pub(super) fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    pub(super) fn range_from(&self, start: usize) -> TextRange {
        TextRange::new(start, self.pos.max(start))
    }

    /// `getEnv`: look a name up and remember it as matched or unmatched.
    pub(super) fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => {
                self.used.matched.insert(name.to_string());
                Some(v.into_owned())
            }
            None => {
                self.used.unmatched.insert(name.to_string());
                None
            }
        }
    }

    /// `processStopOn`: read up to `stop` (consumed) or the end of the word, expanding `$`,
    /// quotes and escapes; returns the text and its whitespace-split words.
    pub(super) fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ExpandError> {
        let start = self.pos;
        let mut result = String::new();
        self.words_buf.clear();
        let mut words = Words::default();
        let escape = self.opts.escape;
        let quotes = !self.opts.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if result.len() > MAX_OUTPUT {
                return Err(ExpandError::TooLong {
                    range: self.range_from(start),
                });
            }
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish(&mut self.words_buf)));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&mut self.words_buf, &tmp);
                }
                '<' => {
                    let tmp = self.process_possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                '\'' | '"' if quotes => {
                    let tmp = if ch == '\'' {
                        self.process_single_quote()?
                    } else {
                        self.process_double_quote(raw_escapes)?
                    };
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                _ => {
                    self.next();
                    let mut ch = ch;
                    if ch == escape {
                        if raw_escapes {
                            words.add_raw_char(&mut self.words_buf, ch);
                            result.push(ch);
                        }
                        // The escape char escapes the next one; at the end it is dropped.
                        match self.next() {
                            None => break,
                            Some(c) => {
                                ch = c;
                                words.add_raw_char(&mut self.words_buf, ch);
                            }
                        }
                    } else {
                        words.add_char(&mut self.words_buf, ch);
                    }
                    result.push(ch);
                }
            }
        }
        if let Some(expected) = stop {
            return Err(ExpandError::Unterminated {
                expected,
                range: self.range_from(start),
            });
        }
        Ok((result, words.finish(&mut self.words_buf)))
    }

    /// `processSingleQuote`: everything up to the next `'` is literal; no escapes at all.
    fn process_single_quote(&mut self) -> Result<String, ExpandError> {
        let start = self.pos;
        let mut result = String::new();
        let quote = self.next();
        if self.opts.raw_quotes {
            result.extend(quote);
        }
        loop {
            match self.next() {
                None => {
                    return Err(ExpandError::UnterminatedSingleQuote {
                        range: self.range_from(start),
                    })
                }
                Some('\'') => {
                    if self.opts.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    /// `processDoubleQuote`: `$` expands; the escape char escapes only `"`, `$` and itself.
    fn process_double_quote(&mut self, raw_escapes: bool) -> Result<String, ExpandError> {
        let start = self.pos;
        let mut result = String::new();
        let quote = self.next();
        if self.opts.raw_quotes {
            result.extend(quote);
        }
        let escape = self.opts.escape;
        loop {
            match self.peek() {
                None => {
                    return Err(ExpandError::UnterminatedDoubleQuote {
                        range: self.range_from(start),
                    })
                }
                Some('"') => {
                    self.next();
                    if self.opts.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    if result.len() > MAX_OUTPUT {
                        return Err(ExpandError::TooLong {
                            range: self.range_from(start),
                        });
                    }
                }
                Some(_) => {
                    let Some(mut ch) = self.next() else { continue };
                    if ch == escape {
                        if raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // An escape right before the end is ignored (then the missing
                            // quote is reported).
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == escape => {
                                self.next();
                                ch = c;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `processPossibleHeredoc`: `<<` and the blanks after it stay glued to the next word.
    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut res = "<<".to_string();
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            res.push(c);
            self.next();
        }
        res
    }

    /// `processName`: a run of letters, digits and `_`; a leading digit takes only digits;
    /// a leading special parameter (`@*#?-$!0`) is a one-character name.
    pub(super) fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(c) = self.peek().filter(|c| is_digit(*c)) {
                    self.next();
                    name.push(c);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.next();
                return ch.to_string();
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// Guards the recursion `${ → word → ${ → ...` against stack exhaustion.
    pub(super) fn enter(&mut self, start: usize) -> Result<(), ExpandError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(ExpandError::TooDeep {
                range: self.range_from(start),
            });
        }
        Ok(())
    }
}

/// `isSpecialParam`: POSIX special parameters.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// Go's `unicode.IsDigit` (category Nd). FIXME: outside ASCII this also accepts the other
/// numeric categories (Nl, No), which Go does not count as digits.
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// Go's `unicode.IsLetter` (categories L*). FIXME: outside ASCII, Rust's Alphabetic also
/// holds some combining marks Go does not count as letters.
pub(super) fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic() && !c.is_numeric())
}
