//! `$NAME` and `${...}`: BuildKit's `processDollar` (frontend/dockerfile/shell/lex.go), with
//! every modifier it supports: `:- - :+ + :? ? # ## % %% / //`. Others are errors.

use super::error::ExpandError;
use super::lexer::Lexer;
use super::pattern::{self, PatternFailure};
use crate::text::TextRange;

impl Lexer<'_> {
    pub(super) fn process_dollar(&mut self) -> Result<String, ExpandError> {
        let start = self.pos;
        self.enter(start)?;
        let res = self.process_dollar_inner(start);
        self.depth -= 1;
        res
    }

    fn process_dollar_inner(&mut self, start: usize) -> Result<String, ExpandError> {
        self.next(); // the `$`
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next(); // the `{`
        match self.peek() {
            None => {
                return Err(ExpandError::MissingBrace {
                    range: self.range_from(start),
                })
            }
            Some(c @ ('{' | '}' | ':')) => {
                // BuildKit only peeks at the bad character: left unread, it keeps an enclosing
                // `${A:-${}` from being reported as a missing `}` at the end of the input.
                return Err(ExpandError::BadSubstitution {
                    range: TextRange::new(start, self.pos + c.len_utf8()),
                });
            }
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.next();
        // Go's string(rune(EOF)) is U+FFFD: that is what BuildKit prints for a missing char.
        let mut chs = String::from(ch.unwrap_or('\u{fffd}'));
        match ch {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = ch == Some(':');
                let mut op = ch;
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{fffd}'));
                }
                let raw_escapes = matches!(op, Some('#' | '%'));
                if null_is_unset && raw_escapes {
                    return Err(ExpandError::UnsupportedModifier {
                        modifier: chs,
                        range: self.range_from(start),
                    });
                }
                let mut word = self.read_until(start, '}', raw_escapes)?;
                let value = self.get_env(&name);
                let set = value.is_some();
                if !set && self.opts.skip_unset_env {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                let value = value.unwrap_or_default();
                let unset_or_null = !set || (null_is_unset && value.is_empty());
                match op {
                    Some('-') => Ok(if unset_or_null { word } else { value }),
                    Some('+') => Ok(if unset_or_null { String::new() } else { word }),
                    Some('?') => {
                        if unset_or_null {
                            let empty = set;
                            let message = if !word.is_empty() {
                                word
                            } else if empty {
                                "is not allowed to be empty".to_string()
                            } else {
                                "is not allowed to be unset".to_string()
                            };
                            return Err(ExpandError::Required {
                                name,
                                message,
                                empty,
                                range: self.range_from(start),
                            });
                        }
                        Ok(value)
                    }
                    Some(op @ ('#' | '%')) => {
                        // A doubled `##`/`%%` asks for the longest match.
                        let greedy = word.as_bytes().first() == Some(&(op as u8));
                        if greedy {
                            word.remove(0);
                        }
                        let res = if op == '%' {
                            pattern::trim_suffix(&word, &value, greedy)
                        } else {
                            pattern::trim_prefix(&word, &value, greedy)
                        };
                        res.map_err(|failure| self.pattern_error(failure, word, start))
                    }
                    _ => Err(ExpandError::UnsupportedModifier {
                        modifier: chs,
                        range: self.range_from(start),
                    }),
                }
            }
            Some('/') => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pat = match self.process_stop_on(Some('/'), true) {
                    Ok((w, _)) => w,
                    Err(_) if self.peek().is_none() => {
                        return Err(ExpandError::MissingSlash {
                            range: self.range_from(start),
                        })
                    }
                    Err(e) => return Err(e),
                };
                let replacement = self.read_until(start, '}', true)?;
                let value = match self.get_env(&name) {
                    Some(v) => v,
                    None if self.opts.skip_unset_env => {
                        return Ok(format!("${{{name}/{pat}/{replacement}}}"))
                    }
                    None => String::new(),
                };
                pattern::replace(&pat, &value, &replacement, all)
                    .map_err(|failure| self.pattern_error(failure, pat, start))
            }
            _ => Err(ExpandError::UnsupportedModifier {
                modifier: chs,
                range: self.range_from(start),
            }),
        }
    }

    fn pattern_error(&self, failure: PatternFailure, pattern: String, start: usize) -> ExpandError {
        let range = self.range_from(start);
        match failure {
            PatternFailure::Invalid(reason) => ExpandError::InvalidPattern {
                pattern,
                reason,
                range,
            },
            PatternFailure::TooLong => ExpandError::TooLong { range },
        }
    }

    /// `processStopOn(stop)` inside `${...}`: an error at the end of the word is reported as
    /// the missing `}`, whatever caused it, as BuildKit does.
    fn read_until(&mut self, start: usize, stop: char, raw: bool) -> Result<String, ExpandError> {
        match self.process_stop_on(Some(stop), raw) {
            Ok((w, _)) => Ok(w),
            Err(_) if self.peek().is_none() => Err(ExpandError::MissingBrace {
                range: self.range_from(start),
            }),
            Err(e) => Err(e),
        }
    }
}
