//! The slice of BuildKit's shell lexer that heredoc detection needs.
//!
//! BuildKit finds heredocs by running `shell.Lex.ProcessWords` over the whole instruction
//! (frontend/dockerfile/parser/parser.go `heredocsFromLine`, frontend/dockerfile/shell/lex.go)
//! with an empty environment and `SkipUnsetEnv`, so every `$VAR` / `${VAR...}` stays as
//! written. This module mirrors that lexer for that case only (the expansion module owns real
//! expansion), including its quirks:
//! - `<<` followed by blanks glues to the next word (`<<  EOF` is one word: BuildKit #5239);
//! - a nested `${x:-...}` resets the shared word buffer (`processStopOn` calls
//!   `sw.wordsBuffer.Reset()`), so text before it in the same word is dropped;
//! - with raw escapes, `\x` inside double quotes keeps the backslash twice.
//!   Nesting is bounded (`MAX_DEPTH`): deeper input is reported as an error instead of recursing.

/// How deep `${...}` may nest before we give up (BuildKit has no bound; the stack has).
const MAX_DEPTH: u32 = 128;

/// Options of BuildKit's `Lex` that heredoc detection sets.
#[derive(Debug, Clone, Copy)]
pub(super) struct LexOptions {
    pub raw_quotes: bool,
    pub raw_escapes: bool,
}

/// `Lex.ProcessWords(input, emptyEnv)` with `SkipUnsetEnv` and escape `\`. `Err` holds
/// BuildKit's message.
pub(super) fn process_words(input: &str, opts: LexOptions) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    for_each_word(input, opts, &mut |w| words.push(w.to_string()))?;
    Ok(words)
}

/// `process_words`, handing each word to `sink` as it is completed (no list, no per-word
/// allocation). On `Err`, some words may already have been handed over.
pub(super) fn for_each_word(
    input: &str,
    opts: LexOptions,
    sink: &mut dyn FnMut(&str),
) -> Result<(), String> {
    // text/scanner skips a byte-order mark at the very start.
    let src = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let mut lx = Lexer {
        src,
        pos: 0,
        raw_quotes: opts.raw_quotes,
        raw_escapes: opts.raw_escapes,
        words_buf: String::new(),
        depth: 0,
    };
    match lx.process_stop_on(None, opts.raw_escapes, Some(sink)) {
        Ok(_) => Ok(()),
        Err(e) => Err(format!(
            "failed to process {}: {e}",
            super::dump::go_quote(input)
        )),
    }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
    /// Shared by every nesting level, as `shellWord.wordsBuffer` is.
    words_buf: String,
    depth: u32,
}

/// BuildKit's `wordsStruct`, minus the buffer, which the lexer shares. Only the outermost
/// level's words are used (`processDollar` drops the words of nested levels), so only it has a
/// sink; nested levels just empty the shared buffer where a word would end.
struct Words<'s> {
    sink: Option<&'s mut dyn FnMut(&str)>,
    in_word: bool,
}

impl Words<'_> {
    fn end_word(&mut self, buf: &mut String) {
        if let Some(sink) = self.sink.as_mut() {
            sink(buf);
        }
        buf.clear();
    }

    fn add_char(&mut self, buf: &mut String, ch: char) {
        if ch.is_whitespace() && self.in_word {
            if !buf.is_empty() {
                self.end_word(buf);
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

    fn finish(mut self, buf: &mut String) {
        if !buf.is_empty() {
            self.end_word(buf);
        }
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// `processStopOn`: reads until `stop` (consumed) or the end; returns the processed text and
    /// hands the words to `sink` (the outermost level only).
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        sink: Option<&mut dyn FnMut(&str)>,
    ) -> Result<String, String> {
        if self.depth >= MAX_DEPTH {
            return Err("nesting too deep".to_string());
        }
        self.depth += 1;
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let res = self.stop_on_inner(
            stop,
            Words {
                sink,
                in_word: false,
            },
        );
        self.raw_escapes = saved;
        self.depth -= 1;
        res
    }

    fn stop_on_inner(
        &mut self,
        stop: Option<char>,
        mut words: Words<'_>,
    ) -> Result<String, String> {
        let mut result = String::new();
        self.words_buf.clear();
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                words.finish(&mut self.words_buf);
                return Ok(result);
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&mut self.words_buf, &tmp);
                }
                '<' | '\'' | '"' => {
                    let tmp = match ch {
                        '<' => self.possible_heredoc(),
                        '\'' => self.single_quote()?,
                        _ => self.double_quote()?,
                    };
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                _ if is_plain(ch) && stop != Some(ch) => {
                    // Fast path: a run of plain ASCII characters goes to the result and the
                    // current word in one step (what `addChar` does one by one).
                    let rest = self.src.get(self.pos..).unwrap_or("");
                    let run = rest
                        .bytes()
                        .take_while(|&b| is_plain(char::from(b)) && stop != Some(char::from(b)))
                        .count();
                    let piece = rest.get(..run).unwrap_or("");
                    result.push_str(piece);
                    words.add_raw_string(&mut self.words_buf, piece);
                    self.pos += run;
                }
                _ => {
                    self.next();
                    if ch == '\\' {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.words_buf, ch);
                            result.push(ch);
                        }
                        let Some(esc) = self.next() else { break };
                        words.add_raw_char(&mut self.words_buf, esc);
                        result.push(esc);
                    } else {
                        words.add_char(&mut self.words_buf, ch);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        words.finish(&mut self.words_buf);
        Ok(result)
    }

    fn single_quote(&mut self) -> Result<String, String> {
        let mut res = String::new();
        let open = self.next().unwrap_or('\'');
        if self.raw_quotes {
            res.push(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    )
                }
                Some('\'') => {
                    if self.raw_quotes {
                        res.push('\'');
                    }
                    return Ok(res);
                }
                Some(c) => res.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, String> {
        let mut res = String::new();
        let open = self.next().unwrap_or('"');
        if self.raw_quotes {
            res.push(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        res.push('"');
                    }
                    return Ok(res);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    res.push_str(&v);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or('\\');
                    if ch == '\\' {
                        if self.raw_escapes {
                            res.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | '\\') => ch = self.next().unwrap_or('\\'),
                            Some(_) => {}
                        }
                    }
                    res.push(ch);
                }
            }
        }
    }

    /// `processDollar` with every variable unset and `SkipUnsetEnv`: references stay as text.
    fn process_dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.next();
        let mut chs = String::from(ch.unwrap_or('\u{FFFD}'));
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut op = ch;
                let null_is_unset = ch == Some(':');
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(op, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({chs}) in substitution"));
                }
                let word = self.nested(Some('}'), raw, "syntax error: missing '}'")?;
                Ok(format!("${{{name}{chs}{word}}}"))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let pattern = self.nested(Some('/'), true, "syntax error: missing '/' in ${}")?;
                let replacement = self.nested(Some('}'), true, "syntax error: missing '}'")?;
                Ok(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn nested(&mut self, stop: Option<char>, raw: bool, at_end: &str) -> Result<String, String> {
        match self.process_stop_on(stop, raw, None) {
            Ok(w) => Ok(w),
            Err(_) if self.peek().is_none() => Err(at_end.to_string()),
            Err(e) => Err(e),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(c) = self.peek().filter(|&c| is_digit(c)) {
                    self.next();
                    name.push(c);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphabetic() && !is_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `processPossibleHeredoc`: `<<` swallows the blanks after it.
    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut res = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            self.next();
            res.push(c);
        }
        res
    }
}

/// Returns true if and only if `c` is ASCII, not blank and not special to the lexer.
fn is_plain(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '$' | '<' | '\'' | '"' | '\\')
}

/// `unicode.IsDigit` (decimal digits of any script).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: LexOptions = LexOptions {
        raw_quotes: true,
        raw_escapes: true,
    };
    const COOKED: LexOptions = LexOptions {
        raw_quotes: false,
        raw_escapes: false,
    };

    #[test]
    fn words_keep_quotes_and_glue_heredoc_blanks() {
        assert_eq!(
            process_words("RUN <<  EOF  > foo", RAW).unwrap(),
            vec!["RUN", "<<  EOF", ">", "foo"]
        );
        assert_eq!(
            process_words("RUN <<- EOF", RAW).unwrap(),
            vec!["RUN", "<<-", "EOF"]
        );
        assert_eq!(
            process_words("RUN '<<EOF' x", RAW).unwrap(),
            vec!["RUN", "'<<EOF'", "x"]
        );
        assert_eq!(process_words("'e'o\\'f", COOKED).unwrap(), vec!["eo'f"]);
        assert_eq!(
            process_words("$EOF ${A:-b c}", COOKED).unwrap(),
            vec!["$EOF", "${A:-b", "c}"]
        );
        assert!(process_words("'abc", RAW).is_err());
        assert!(process_words("${", RAW).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "${a:-".repeat(10_000);
        assert!(process_words(&s, RAW).is_err());
    }
}
