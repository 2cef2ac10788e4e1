//! Tokens to a syntax tree: the POSIX grammar subset learners use in RUN (lists, `&&`/`||`,
//! pipelines, `if`, `for`, `while`/`until`, `case`, `{ }`, `( )`, functions, redirections).
//! Errors read like ash's (`sh: syntax error: unexpected "fi"`).

use super::ast::*;
use super::lexer::{lex, HereDocBody, Tok};

/// Compound commands nested deeper than this are refused (no stack overflow on hostile input).
pub const MAX_DEPTH: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

struct Parser {
    toks: Vec<Tok>,
    i: usize,
    heredocs: Vec<HereDocBody>,
    depth: usize,
}

/// Parses a whole script.
pub fn parse_script(script: &str) -> Result<List, ParseError> {
    let lexed = lex(script).map_err(|e| ParseError(e.0))?;
    let mut p = Parser {
        toks: lexed.tokens,
        i: 0,
        heredocs: lexed.heredocs,
        depth: 0,
    };
    let list = p.list()?;
    match p.peek() {
        None => Ok(list),
        Some(t) => Err(p.unexpected(t.clone())),
    }
}

const TERMINATORS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn peek_reserved(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => w.as_plain(),
            _ => None,
        }
    }

    fn unexpected(&self, t: Tok) -> ParseError {
        let text = match t {
            Tok::Word(w) => w.as_plain().unwrap_or("word").to_string(),
            Tok::Op(op) => op.to_string(),
            Tok::Newline => "newline".to_string(),
            Tok::Redir { kind, .. } => kind.to_string(),
            Tok::HereDoc { .. } => "<<".to_string(),
        };
        ParseError(format!("syntax error: unexpected \"{text}\""))
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.i += 1;
        }
    }

    fn expect_word(&mut self, kw: &str) -> Result<(), ParseError> {
        self.skip_newlines();
        if self.peek_reserved() == Some(kw) {
            self.i += 1;
            Ok(())
        } else {
            match self.peek().cloned() {
                Some(t) => Err(self.unexpected(t)),
                None => Err(ParseError(format!(
                    "syntax error: unexpected end of file (expecting \"{kw}\")"
                ))),
            }
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError("syntax error: nesting too deep".into()));
        }
        Ok(())
    }

    fn list(&mut self) -> Result<List, ParseError> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) | Some(Tok::Op(";;")) => break,
                Some(Tok::Word(w)) if w.as_plain().is_some_and(|s| TERMINATORS.contains(&s)) => {
                    break
                }
                _ => {}
            }
            items.push(self.and_or()?);
            match self.peek() {
                Some(Tok::Op(";")) | Some(Tok::Op("&")) | Some(Tok::Newline) => self.i += 1,
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(List { items })
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::Op("&&")) => AndOrOp::And,
                Some(Tok::Op("||")) => AndOrOp::Or,
                _ => break,
            };
            self.i += 1;
            self.skip_newlines();
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut negate = false;
        if self.peek_reserved() == Some("!") {
            negate = true;
            self.i += 1;
        }
        let mut commands = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.i += 1;
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        self.enter()?;
        let res = self.command_inner();
        self.depth -= 1;
        res
    }

    fn command_inner(&mut self) -> Result<Command, ParseError> {
        match self.peek().cloned() {
            None => Err(ParseError("syntax error: unexpected end of file".into())),
            Some(Tok::Op("(")) => {
                self.i += 1;
                let body = self.list()?;
                match self.peek() {
                    Some(Tok::Op(")")) => self.i += 1,
                    _ => return Err(ParseError("syntax error: missing ')'".into())),
                }
                let redirs = self.redirs()?;
                Ok(Command::Subshell { body, redirs })
            }
            Some(Tok::Op(op)) => Err(self.unexpected(Tok::Op(op))),
            Some(Tok::Newline) => Err(self.unexpected(Tok::Newline)),
            Some(Tok::Word(w)) => match w.as_plain() {
                Some("if") => self.if_clause(),
                Some("for") => self.for_clause(),
                Some("while") => self.while_clause(false),
                Some("until") => self.while_clause(true),
                Some("case") => self.case_clause(),
                Some("{") => {
                    self.i += 1;
                    let body = self.list()?;
                    self.expect_word("}")?;
                    let redirs = self.redirs()?;
                    Ok(Command::Group { body, redirs })
                }
                Some(kw) if TERMINATORS.contains(&kw) => Err(self.unexpected(Tok::Word(w.clone()))),
                _ => self.simple(),
            },
            Some(_) => self.simple(),
        }
    }

    fn if_clause(&mut self) -> Result<Command, ParseError> {
        self.i += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list()?;
            self.expect_word("then")?;
            let body = self.list()?;
            branches.push((cond, body));
            self.skip_newlines();
            match self.peek_reserved() {
                Some("elif") => {
                    self.i += 1;
                }
                Some("else") => {
                    self.i += 1;
                    otherwise = Some(self.list()?);
                    self.expect_word("fi")?;
                    break;
                }
                _ => {
                    self.expect_word("fi")?;
                    break;
                }
            }
        }
        let redirs = self.redirs()?;
        Ok(Command::If {
            branches,
            otherwise,
            redirs,
        })
    }

    fn for_clause(&mut self) -> Result<Command, ParseError> {
        self.i += 1;
        let var = match self.peek() {
            Some(Tok::Word(w)) => w.as_plain().map(str::to_string),
            _ => None,
        }
        .ok_or_else(|| ParseError("syntax error: bad for loop variable".into()))?;
        self.i += 1;
        let mut items = None;
        self.skip_newlines();
        if self.peek_reserved() == Some("in") {
            self.i += 1;
            let mut words = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                words.push(w.clone());
                self.i += 1;
            }
            items = Some(words);
        }
        if matches!(self.peek(), Some(Tok::Op(";"))) {
            self.i += 1;
        }
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        let redirs = self.redirs()?;
        Ok(Command::For {
            var,
            items,
            body,
            redirs,
        })
    }

    fn while_clause(&mut self, until: bool) -> Result<Command, ParseError> {
        self.i += 1;
        let cond = self.list()?;
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        let redirs = self.redirs()?;
        Ok(Command::While {
            cond,
            body,
            until,
            redirs,
        })
    }

    fn case_clause(&mut self) -> Result<Command, ParseError> {
        self.i += 1;
        let word = match self.peek() {
            Some(Tok::Word(w)) => w.clone(),
            _ => return Err(ParseError("syntax error: bad case".into())),
        };
        self.i += 1;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_reserved() == Some("esac") {
                self.i += 1;
                break;
            }
            if matches!(self.peek(), Some(Tok::Op("("))) {
                self.i += 1;
            }
            let mut pats = Vec::new();
            loop {
                match self.peek() {
                    Some(Tok::Word(w)) => {
                        pats.push(w.clone());
                        self.i += 1;
                    }
                    _ => return Err(ParseError("syntax error: bad case pattern".into())),
                }
                match self.peek() {
                    Some(Tok::Op("|")) => self.i += 1,
                    Some(Tok::Op(")")) => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(ParseError("syntax error: expecting ')'".into())),
                }
            }
            let body = self.list()?;
            arms.push((pats, body));
            self.skip_newlines();
            if matches!(self.peek(), Some(Tok::Op(";;"))) {
                self.i += 1;
            } else {
                self.expect_word("esac")?;
                break;
            }
        }
        let redirs = self.redirs()?;
        Ok(Command::Case { word, arms, redirs })
    }

    fn redirs(&mut self) -> Result<Vec<Redir>, ParseError> {
        let mut out = Vec::new();
        while let Some(r) = self.redir()? {
            out.push(r);
        }
        Ok(out)
    }

    fn redir(&mut self) -> Result<Option<Redir>, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Redir { fd, kind }) => {
                self.i += 1;
                let target = match self.peek() {
                    Some(Tok::Word(w)) => w.clone(),
                    Some(t) => return Err(self.unexpected(t.clone())),
                    None => return Err(ParseError("syntax error: unexpected newline".into())),
                };
                self.i += 1;
                let (default_fd, op) = match kind {
                    ">" | ">|" => (1, RedirOp::Out),
                    ">>" => (1, RedirOp::Append),
                    "<" => (0, RedirOp::In),
                    "<>" => (0, RedirOp::ReadWrite),
                    ">&" => (1, RedirOp::Dup),
                    _ => (0, RedirOp::Dup),
                };
                Ok(Some(Redir {
                    fd: fd.unwrap_or(default_fd),
                    op,
                    target,
                }))
            }
            Some(Tok::HereDoc { fd, index }) => {
                self.i += 1;
                let h = self.heredocs.get(index).cloned().unwrap_or(HereDocBody {
                    body: String::new(),
                    expand: false,
                });
                Ok(Some(Redir {
                    fd: fd.unwrap_or(0),
                    op: RedirOp::HereDoc {
                        body: h.body,
                        expand: h.expand,
                    },
                    target: Word::default(),
                }))
            }
            _ => Ok(None),
        }
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            if let Some(r) = self.redir()? {
                redirs.push(r);
                continue;
            }
            match self.peek() {
                Some(Tok::Word(w)) => {
                    let w = w.clone();
                    self.i += 1;
                    if words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            assigns.push((name, value));
                            continue;
                        }
                    }
                    words.push(w);
                }
                Some(Tok::Op("(")) if words.len() == 1 && assigns.is_empty() => {
                    // `name() compound`: a function definition.
                    let name = words.first().and_then(|w| w.as_plain()).map(str::to_string);
                    let Some(name) = name else {
                        return Err(ParseError("syntax error: bad function name".into()));
                    };
                    self.i += 1;
                    match self.peek() {
                        Some(Tok::Op(")")) => self.i += 1,
                        _ => return Err(ParseError("syntax error: expecting ')'".into())),
                    }
                    self.skip_newlines();
                    let body = self.command()?;
                    return Ok(Command::FuncDef {
                        name,
                        body: Box::new(body),
                    });
                }
                _ => break,
            }
        }
        if words.is_empty() && assigns.is_empty() && redirs.is_empty() {
            return match self.peek().cloned() {
                Some(t) => Err(self.unexpected(t)),
                None => Err(ParseError("syntax error: unexpected end of file".into())),
            };
        }
        Ok(Command::Simple {
            assigns,
            words,
            redirs,
        })
    }
}

/// `NAME=value` (the name unquoted and valid) as a name and the value word.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let WordPart::Lit {
        text,
        quoted: false,
    } = w.parts.first()?
    else {
        return None;
    };
    let eq = text.find('=')?;
    let name = &text[..eq];
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &text[eq + 1..];
    if !rest.is_empty() {
        parts.push(WordPart::Lit {
            text: rest.to_string(),
            quoted: false,
        });
    }
    parts.extend(w.parts.iter().skip(1).cloned());
    Some((name.to_string(), Word { parts }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_shapes_and_rejects_broken_ones() {
        for ok in [
            "echo hi > /a/hi",
            "mkdir /a/d && echo 12345 > /a/d/f",
            "cat /etc/lab-release > /release 2>/dev/null || echo none > /release",
            "if [ -f /x ]; then echo y; elif true; then :; else echo n; fi",
            "for f in a b c; do echo $f; done",
            "while false; do :; done",
            "case $x in a|b) echo ab;; *) echo other;; esac",
            "f() { echo in f; }; f",
            "(cd /tmp && ls) | wc -c",
            "cat <<EOF > /from-shell\npiped through the shell\nEOF",
            "echo \"$(echo 'a b')\" `echo c`",
            "",
            "# only a comment",
        ] {
            assert!(parse_script(ok).is_ok(), "{ok}: {:?}", parse_script(ok));
        }
        for bad in [
            "if true; then",
            "fi",
            "echo 'unterminated",
            "a && ",
            "done",
            "for do",
        ] {
            assert!(parse_script(bad).is_err(), "{bad}");
        }
        let deep = "(".repeat(5000);
        assert!(parse_script(&deep).is_err());
    }

    #[test]
    fn heredoc_body_is_attached_to_its_redirection() {
        let list = parse_script("cat <<EOF > /f\nline $X\nEOF\necho after").unwrap();
        assert_eq!(list.items.len(), 2);
        let Command::Simple { redirs, .. } = &list.items[0].first.commands[0] else {
            panic!()
        };
        assert_eq!(
            redirs[0].op,
            RedirOp::HereDoc {
                body: "line $X\n".into(),
                expand: true
            }
        );
        let list = parse_script("cat <<'EOF'\n$X\nEOF").unwrap();
        let Command::Simple { redirs, .. } = &list.items[0].first.commands[0] else {
            panic!()
        };
        assert_eq!(
            redirs[0].op,
            RedirOp::HereDoc {
                body: "$X\n".into(),
                expand: false
            }
        );
    }
}
