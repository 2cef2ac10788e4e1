//! The syntax tree of a shell script: lists, and-or chains, pipelines, commands, words.

/// One piece of a word, before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Literal text; `quoted` text is never split or globbed.
    Lit { text: String, quoted: bool },
    /// `$name`, `${name}`, `${name<op>arg}`, `${#name}`.
    Param {
        name: String,
        op: ParamOp,
        arg: String,
        quoted: bool,
    },
    /// `$(...)` or backticks: the inner script text.
    Command { script: String, quoted: bool },
    /// `$((...))`: the expression text.
    Arith { expr: String, quoted: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `:-` (`colon` true) or `-`
    Default {
        colon: bool,
    },
    Assign {
        colon: bool,
    },
    Alternative {
        colon: bool,
    },
    Error {
        colon: bool,
    },
    /// `#` / `##`
    RemovePrefix {
        longest: bool,
    },
    /// `%` / `%%`
    RemoveSuffix {
        longest: bool,
    },
    /// `${v:offset}` / `${v:offset:length}` (ash's bash compatibility, Debian's build has it);
    /// `arg` holds `offset[:length]`, arithmetic expressions.
    Substring,
    /// `${v/pat/rep}` (first), `${v//pat/rep}` (all), `${v/#pat/rep}`, `${v/%pat/rep}`
    /// (anchored); `arg` holds `pat/rep` after the operator.
    Replace {
        all: bool,
        anchor: Option<char>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

impl Word {
    /// The text if the word is one unquoted literal (reserved words, assignments, names).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit {
                text,
                quoted: false,
            }] => Some(text),
            _ => None,
        }
    }

    pub fn lit(text: &str) -> Word {
        Word {
            parts: vec![WordPart::Lit {
                text: text.to_string(),
                quoted: false,
            }],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirOp {
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<>`
    ReadWrite,
    /// `>&` / `<&`: the target word is a fd number or `-`.
    Dup,
    /// `<<` / `<<-`: `body` is the heredoc text, expanded unless the delimiter was quoted.
    HereDoc { body: String, expand: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
    },
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: List,
        redirs: Vec<Redir>,
    },
    While {
        cond: List,
        body: List,
        until: bool,
        redirs: Vec<Redir>,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, List)>,
        redirs: Vec<Redir>,
    },
    Group {
        body: List,
        redirs: Vec<Redir>,
    },
    Subshell {
        body: List,
        redirs: Vec<Redir>,
    },
    FuncDef {
        name: String,
        body: Box<Command>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// Commands separated by `;`, `&` or newlines (`&` runs in the foreground here: a RUN waits
/// for its whole process tree anyway, as far as files are concerned).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    pub items: Vec<AndOr>,
}
