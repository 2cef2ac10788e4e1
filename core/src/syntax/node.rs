//! The syntax tree: one `Node` per instruction, shaped like BuildKit's `parser.Node` so that
//! `layerlab parse --json` can print BuildKit's view field for field, plus byte spans.

use crate::diagnostic::Diagnostic;
use crate::text::{LineIndex, TextRange};

/// The result of parsing a Dockerfile: never an error, always a (possibly partial) tree.
#[derive(Debug, Clone)]
pub struct Parse {
    pub directives: Directives,
    pub nodes: Vec<Node>,
    /// Syntax problems (errors) and BuildKit's parser warnings (e.g. empty continuation lines).
    pub diagnostics: Vec<Diagnostic>,
    pub line_index: LineIndex,
}

impl Parse {
    /// Returns true if and only if the parse found an error (warnings do not count).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parser directives read from the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    pub syntax: Option<String>,
    /// The escape character for line continuations: `\` unless `# escape=` said otherwise.
    pub escape: char,
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Directives {
        Directives { syntax: None, escape: '\\', check: None }
    }
}

/// A piece of text taken from the Dockerfile, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text as BuildKit's parser yields it (continuations joined, JSON strings decoded).
    pub text: String,
    /// Where it sits in the source: exact for a word on one line, the covering range otherwise.
    pub range: TextRange,
}

/// An instruction flag such as `--from=builder` or a bare `--link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The name without the leading dashes (`from`, `mount`, `link`).
    pub name: String,
    /// `None` for a bare flag (`--link`); `Some("")` for `--flag=`.
    pub value: Option<String>,
    pub range: TextRange,
}

impl Flag {
    /// The flag as BuildKit prints it in its dump: `--name=value` or `--name`.
    pub fn original(&self) -> String {
        match &self.value {
            Some(v) => format!("--{}={}", self.name, v),
            None => format!("--{}", self.name),
        }
    }
}

/// A here-document attached to an instruction (`RUN <<EOF`, `COPY <<EOF /dst`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// The file descriptor prefix (`3<<EOF`), 0 when absent.
    pub file_descriptor: u32,
    /// The body, lines joined with `\n` and ending with `\n` when non-empty; tabs stripped for `<<-`.
    pub content: String,
    /// False when the delimiter was quoted: the body is then taken literally.
    pub expand: bool,
    /// True for `<<-`: leading tabs were removed from every body line.
    pub chomp: bool,
    /// The body and its terminating line.
    pub range: TextRange,
}

/// One instruction as the parser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The keyword in lower case (`from`, `run`, ... or an unknown word as written, lowered).
    pub cmd: String,
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    /// True for JSON (exec) form: `value` then holds the decoded array elements.
    pub json: bool,
    /// BuildKit's argument list for this keyword (see ../shared/conformance/README.md).
    pub value: Vec<Word>,
    /// The instruction ONBUILD wraps.
    pub sub: Option<Box<Node>>,
    pub heredocs: Vec<Heredoc>,
    /// The instruction's text with continuations joined (BuildKit's `Original`).
    pub original: String,
    /// The whole instruction: keyword to the end of its last line or heredoc.
    pub range: TextRange,
    /// 1-based, inclusive, as BuildKit's `StartLine`/`EndLine`.
    pub start_line: u32,
    pub end_line: u32,
}

impl Node {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.value.iter().map(|w| w.text.as_str())
    }
}
