//! Shell tokens: words (as parts: literals, quotes, `$` expansions, command substitutions),
//! operators, redirections and heredoc bodies, as POSIX sh (busybox ash, dash) reads them.

use super::ast::{ParamOp, Word, WordPart};

/// Nesting of `$(...)`, `${...}` and quotes a lexer follows before giving up.
pub const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// `&& || ; ;; & | ( )`
    Op(&'static str),
    Newline,
    /// A redirection operator with its optional fd number (`2>`), `kind` as written.
    Redir {
        fd: Option<u32>,
        kind: &'static str,
    },
    /// `<<` / `<<-` with its delimiter already read; the body is `heredocs[index]`.
    HereDoc {
        fd: Option<u32>,
        index: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HereDocBody {
    pub body: String,
    /// False when the delimiter was quoted: the body is taken literally.
    pub expand: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexed {
    pub tokens: Vec<Tok>,
    pub heredocs: Vec<HereDocBody>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError(pub String);

struct Lexer {
    chars: Vec<char>,
    i: usize,
    heredocs: Vec<HereDocBody>,
    pending: Vec<(usize, String, bool)>,
}

/// Splits a script into tokens.
pub fn lex(script: &str) -> Result<Lexed, LexError> {
    let mut lx = Lexer {
        chars: script.chars().collect(),
        i: 0,
        heredocs: Vec::new(),
        pending: Vec::new(),
    };
    let mut tokens = Vec::new();
    loop {
        lx.skip_blanks();
        let Some(c) = lx.peek() else { break };
        match c {
            '\n' => {
                lx.i += 1;
                tokens.push(Tok::Newline);
                lx.read_pending_heredocs();
            }
            '#' => {
                while let Some(c) = lx.peek() {
                    if c == '\n' {
                        break;
                    }
                    lx.i += 1;
                }
            }
            '&' | '|' | ';' | '(' | ')' => tokens.push(lx.operator()),
            '<' | '>' => tokens.push(lx.redirection(None)?),
            _ => {
                // An IO number: digits right before `<` or `>`.
                let start = lx.i;
                let mut j = lx.i;
                while lx.chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
                if j > start && matches!(lx.chars.get(j), Some('<') | Some('>')) {
                    let fd: String = lx.chars[start..j].iter().collect();
                    lx.i = j;
                    tokens.push(lx.redirection(fd.parse().ok())?);
                    continue;
                }
                let word = lx.word(0)?;
                tokens.push(Tok::Word(word));
            }
        }
    }
    // A heredoc whose delimiter never came: the body runs to the end (ash warns, then goes on).
    lx.read_pending_heredocs();
    Ok(Lexed {
        tokens,
        heredocs: lx.heredocs,
    })
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') | Some('\r') => self.i += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.i += 2,
                _ => break,
            }
        }
    }

    fn operator(&mut self) -> Tok {
        let two: String = self.chars[self.i..].iter().take(2).collect();
        for op in ["&&", "||", ";;"] {
            if two == op {
                self.i += 2;
                return Tok::Op(op);
            }
        }
        let c = self.chars[self.i];
        self.i += 1;
        Tok::Op(match c {
            '&' => "&",
            '|' => "|",
            ';' => ";",
            '(' => "(",
            _ => ")",
        })
    }

    fn redirection(&mut self, fd: Option<u32>) -> Result<Tok, LexError> {
        let rest: String = self.chars[self.i..].iter().take(3).collect();
        for op in ["<<-", "<<", ">>", ">&", "<&", ">|", "<>", ">", "<"] {
            if rest.starts_with(op) {
                self.i += op.len();
                if op.starts_with("<<") {
                    return self.heredoc(fd, op == "<<-");
                }
                return Ok(Tok::Redir { fd, kind: op });
            }
        }
        Err(LexError("syntax error: bad redirection".into()))
    }

    fn heredoc(&mut self, fd: Option<u32>, strip_tabs: bool) -> Result<Tok, LexError> {
        self.skip_blanks();
        let start = self.i;
        let word = self.word(0)?;
        let raw: String = self.chars[start..self.i].iter().collect();
        if raw.is_empty() {
            // ash reads the next token as the delimiter: `<<<` (no here-strings in ash) meets a
            // redirection, `<<` at the end of a line a newline.
            let what = match self.chars.get(self.i) {
                Some('<' | '>') => "redirection",
                Some(';') => "\";\"",
                Some('|') => "\"|\"",
                Some('&') => "\"&\"",
                Some('(') => "\"(\"",
                Some(')') => "\")\"",
                None => "end of file",
                _ => "newline",
            };
            return Err(LexError(format!("syntax error: unexpected {what}")));
        }
        let quoted = raw.contains('\'') || raw.contains('"') || raw.contains('\\');
        let delim: String = word
            .parts
            .iter()
            .map(|p| match p {
                WordPart::Lit { text, .. } => text.clone(),
                _ => String::new(),
            })
            .collect();
        let delim = if word.parts.iter().all(|p| matches!(p, WordPart::Lit { .. })) {
            delim
        } else {
            raw
        };
        let index = self.heredocs.len();
        self.heredocs.push(HereDocBody {
            body: String::new(),
            expand: !quoted,
        });
        self.pending.push((index, delim, strip_tabs));
        Ok(Tok::HereDoc { fd, index })
    }

    fn read_pending_heredocs(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for (index, delim, strip) in pending {
            let mut body = String::new();
            loop {
                if self.i >= self.chars.len() {
                    break;
                }
                let start = self.i;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                let mut line: String = self.chars[start..self.i].iter().collect();
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
                if strip {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if let Some(h) = self.heredocs.get_mut(index) {
                h.body = body;
            }
        }
    }

    /// One word, up to an unquoted blank or operator.
    fn word(&mut self, depth: usize) -> Result<Word, LexError> {
        if depth > MAX_NESTING {
            return Err(LexError("nesting too deep".into()));
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | '&' | '|' | ';' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(e) => {
                            flush(&mut parts, &mut lit);
                            parts.push(WordPart::Lit {
                                text: e.to_string(),
                                quoted: true,
                            });
                            self.i += 1;
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' => {
                    flush(&mut parts, &mut lit);
                    self.i += 1;
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.i += 1;
                    }
                    if self.peek().is_none() {
                        return Err(LexError("syntax error: unterminated quoted string".into()));
                    }
                    let text: String = self.chars[start..self.i].iter().collect();
                    self.i += 1;
                    parts.push(WordPart::Lit { text, quoted: true });
                }
                '"' => {
                    flush(&mut parts, &mut lit);
                    self.i += 1;
                    self.double_quoted(&mut parts, depth)?;
                }
                '$' => {
                    if let Some(p) = self.dollar(false, depth)? {
                        flush(&mut parts, &mut lit);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    flush(&mut parts, &mut lit);
                    parts.push(self.backtick(false)?);
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(Word { parts })
    }

    fn double_quoted(&mut self, parts: &mut Vec<WordPart>, depth: usize) -> Result<(), LexError> {
        let mut lit = String::new();
        // `""` is an empty quoted literal, so `""` as a word is one empty field.
        let mut any = false;
        loop {
            let Some(c) = self.peek() else {
                return Err(LexError("syntax error: unterminated quoted string".into()));
            };
            match c {
                '"' => {
                    self.i += 1;
                    break;
                }
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some(e @ ('$' | '`' | '"' | '\\')) => {
                            lit.push(e);
                            self.i += 1;
                        }
                        Some('\n') => self.i += 1,
                        _ => lit.push('\\'),
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar(true, depth)? {
                        if !lit.is_empty() {
                            parts.push(WordPart::Lit {
                                text: std::mem::take(&mut lit),
                                quoted: true,
                            });
                        }
                        parts.push(p);
                        any = true;
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    if !lit.is_empty() {
                        parts.push(WordPart::Lit {
                            text: std::mem::take(&mut lit),
                            quoted: true,
                        });
                    }
                    parts.push(self.backtick(true)?);
                    any = true;
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        if !lit.is_empty() || !any {
            parts.push(WordPart::Lit {
                text: lit,
                quoted: true,
            });
        }
        Ok(())
    }

    fn backtick(&mut self, quoted: bool) -> Result<WordPart, LexError> {
        self.i += 1;
        let mut script = String::new();
        loop {
            match self.peek() {
                None => return Err(LexError("syntax error: unterminated backquote".into())),
                Some('`') => {
                    self.i += 1;
                    break;
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(e @ ('`' | '\\' | '$')) => {
                            script.push(e);
                            self.i += 1;
                        }
                        _ => script.push('\\'),
                    }
                }
                Some(c) => {
                    script.push(c);
                    self.i += 1;
                }
            }
        }
        Ok(WordPart::Command { script, quoted })
    }

    /// After a `$`: an expansion, or None when the `$` is literal.
    fn dollar(&mut self, quoted: bool, depth: usize) -> Result<Option<WordPart>, LexError> {
        let next = self.peek_at(1);
        match next {
            Some('(') if self.peek_at(2) == Some('(') => {
                self.i += 3;
                let inner = self.balanced('(', ')')?;
                // `$((expr))`: `balanced` consumed the first `)`; the second closes the `$((`.
                if self.peek() == Some(')') {
                    self.i += 1;
                }
                Ok(Some(WordPart::Arith {
                    expr: inner,
                    quoted,
                }))
            }
            Some('(') => {
                self.i += 2;
                let script = self.balanced('(', ')')?;
                Ok(Some(WordPart::Command { script, quoted }))
            }
            Some('{') => {
                self.i += 2;
                let inner = self.balanced('{', '}')?;
                let _ = depth;
                Ok(Some(parse_braced(&inner, quoted)?))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                self.i += 1;
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c == '_' || c.is_ascii_alphanumeric())
                {
                    self.i += 1;
                }
                let name: String = self.chars[start..self.i].iter().collect();
                Ok(Some(WordPart::Param {
                    name,
                    op: ParamOp::Plain,
                    arg: String::new(),
                    quoted,
                }))
            }
            Some(c) if c.is_ascii_digit() || "?#$@*!-".contains(c) => {
                self.i += 2;
                Ok(Some(WordPart::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    arg: String::new(),
                    quoted,
                }))
            }
            _ => {
                self.i += 1;
                Ok(None)
            }
        }
    }

    /// Text up to the matching `close` (the opener already consumed), skipping quotes.
    fn balanced(&mut self, open: char, close: char) -> Result<String, LexError> {
        let start = self.i;
        let mut level = 1usize;
        while let Some(c) = self.peek() {
            match c {
                '\\' => self.i += 1,
                '\'' if open == '(' => {
                    self.i += 1;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.i += 1;
                    }
                }
                '"' => {
                    self.i += 1;
                    while let Some(d) = self.peek() {
                        if d == '\\' {
                            self.i += 1;
                        } else if d == '"' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                c if c == open => {
                    level += 1;
                    if level > MAX_NESTING {
                        return Err(LexError("nesting too deep".into()));
                    }
                }
                c if c == close => {
                    level -= 1;
                    if level == 0 {
                        let text: String = self.chars[start..self.i].iter().collect();
                        self.i += 1;
                        return Ok(text);
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
        Err(LexError(format!("syntax error: missing '{close}'")))
    }
}

fn flush(parts: &mut Vec<WordPart>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(WordPart::Lit {
            text: std::mem::take(lit),
            quoted: false,
        });
    }
}

/// `${...}` contents: `#name`, `name`, `name<op>arg`.
fn parse_braced(inner: &str, quoted: bool) -> Result<WordPart, LexError> {
    let bad = || LexError(format!("syntax error: bad substitution ${{{inner}}}"));
    if let Some(name) = inner.strip_prefix('#') {
        if !name.is_empty() && is_param_name(name) {
            return Ok(WordPart::Param {
                name: name.to_string(),
                op: ParamOp::Length,
                arg: String::new(),
                quoted,
            });
        }
    }
    let name_len = if inner.starts_with(|c: char| c.is_ascii_digit() || "?#$@*!-".contains(c)) {
        1
    } else {
        inner
            .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
            .unwrap_or(inner.len())
    };
    let name = &inner[..name_len];
    if name.is_empty() {
        return Err(bad());
    }
    let rest = &inner[name_len..];
    let ops: [(&str, ParamOp); 12] = [
        (":-", ParamOp::Default { colon: true }),
        (":=", ParamOp::Assign { colon: true }),
        (":+", ParamOp::Alternative { colon: true }),
        (":?", ParamOp::Error { colon: true }),
        ("##", ParamOp::RemovePrefix { longest: true }),
        ("%%", ParamOp::RemoveSuffix { longest: true }),
        ("-", ParamOp::Default { colon: false }),
        ("=", ParamOp::Assign { colon: false }),
        ("+", ParamOp::Alternative { colon: false }),
        ("?", ParamOp::Error { colon: false }),
        ("#", ParamOp::RemovePrefix { longest: false }),
        ("%", ParamOp::RemoveSuffix { longest: false }),
    ];
    if rest.is_empty() {
        return Ok(WordPart::Param {
            name: name.to_string(),
            op: ParamOp::Plain,
            arg: String::new(),
            quoted,
        });
    }
    for (text, op) in ops {
        if let Some(arg) = rest.strip_prefix(text) {
            return Ok(WordPart::Param {
                name: name.to_string(),
                op,
                arg: arg.to_string(),
                quoted,
            });
        }
    }
    // ash with bash compatibility (BASH_SUBSTR, BASH_PATTERN_SUBST): `${v:1:2}`, `${v/a/b}`.
    let (op, arg) = if let Some(arg) = rest.strip_prefix(':') {
        (ParamOp::Substring, arg)
    } else if let Some(arg) = rest.strip_prefix("//") {
        (
            ParamOp::Replace {
                all: true,
                anchor: None,
            },
            arg,
        )
    } else if let Some(arg) = rest.strip_prefix('/') {
        let anchor = arg.chars().next().filter(|c| *c == '#' || *c == '%');
        let arg = if anchor.is_some() { &arg[1..] } else { arg };
        (ParamOp::Replace { all: false, anchor }, arg)
    } else {
        return Err(bad());
    };
    Ok(WordPart::Param {
        name: name.to_string(),
        op,
        arg: arg.to_string(),
        quoted,
    })
}

fn is_param_name(s: &str) -> bool {
    s.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
        || (s.len() == 1 && "?#$@*!-".contains(s))
}

/// Reads `text` as the inside of a word (for `${v:-arg}` and heredoc bodies): `$`, backticks
/// and backslashes are special; in `heredoc` mode quotes are literal characters.
pub fn word_of_text(text: &str, heredoc: bool) -> Result<Word, LexError> {
    let mut lx = Lexer {
        chars: text.chars().collect(),
        i: 0,
        heredocs: Vec::new(),
        pending: Vec::new(),
    };
    let mut parts = Vec::new();
    let mut lit = String::new();
    while let Some(c) = lx.peek() {
        match c {
            '\\' => {
                lx.i += 1;
                match lx.peek() {
                    Some(e @ ('$' | '`' | '\\')) => {
                        lit.push(e);
                        lx.i += 1;
                    }
                    Some('\n') => lx.i += 1,
                    Some('"') if !heredoc => {
                        lit.push('"');
                        lx.i += 1;
                    }
                    _ => lit.push('\\'),
                }
            }
            '$' => {
                if let Some(p) = lx.dollar(true, 0)? {
                    if !lit.is_empty() {
                        parts.push(WordPart::Lit {
                            text: std::mem::take(&mut lit),
                            quoted: true,
                        });
                    }
                    parts.push(p);
                } else {
                    lit.push('$');
                }
            }
            '`' => {
                if !lit.is_empty() {
                    parts.push(WordPart::Lit {
                        text: std::mem::take(&mut lit),
                        quoted: true,
                    });
                }
                parts.push(lx.backtick(true)?);
            }
            '\'' | '"' if !heredoc => {
                // Quotes inside `${v:-'x'}` group but are removed.
                lx.i += 1;
                let close = c;
                while let Some(d) = lx.peek() {
                    lx.i += 1;
                    if d == close {
                        break;
                    }
                    lit.push(d);
                }
            }
            _ => {
                lit.push(c);
                lx.i += 1;
            }
        }
    }
    if !lit.is_empty() {
        parts.push(WordPart::Lit {
            text: lit,
            quoted: true,
        });
    }
    Ok(Word { parts })
}
