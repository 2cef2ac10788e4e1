//! The syntax tree: one `Node` per instruction, shaped like BuildKit's `parser.Node` so that
//! `layerlab parse --json` can print BuildKit's view field for field, plus byte spans.

use crate::diagnostic::Diagnostic;
use crate::text::{LineIndex, TextRange};

/// The result of parsing a Dockerfile: never an error, always a (possibly partial) tree.
#[derive(Debug, Clone)]
pub struct Parse {
    pub directives: Directives,
    pub nodes: Vec<Node>,
    /// Syntax problems (errors) and BuildKit's parser warnings (e.g. empty continuation lines),
    /// in the order the parser met them. See [`super::is_fatal_in_buildkit`] for which errors
    /// BuildKit's own parser rejects.
    pub diagnostics: Vec<Diagnostic>,
    pub line_index: LineIndex,
}

impl Parse {
    /// Returns true if and only if the parse found an error (warnings do not count).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The error BuildKit's parser (parser.go) would stop at, if any: the first diagnostic
    /// whose code is one BuildKit's parser rejects. Unknown instructions are not among them
    /// (BuildKit rejects those one layer up, in instructions/parse.go).
    pub fn fatal_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| super::is_fatal_in_buildkit(d))
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
        Directives {
            syntax: None,
            escape: '\\',
            check: None,
        }
    }
}

/// A piece of text taken from the Dockerfile, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text as BuildKit's parser yields it (continuations joined, JSON strings decoded).
    pub text: String,
    /// Where it sits in the source: exact for a word on one line, the covering range otherwise
    /// (continuation characters and dropped comment lines included). A JSON-form element's
    /// range includes its quotes; an ENV/LABEL value's range starts after the `=`.
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
    /// The body exactly as BuildKit's parser keeps it: every body line with its own line ending
    /// (`\r\n` stays), leading tabs NOT yet removed for `<<-` (BuildKit chomps later, in
    /// `instructions`; see [`Heredoc::chomped_content`]).
    pub content: String,
    /// False when the delimiter was quoted: the body is then taken literally.
    pub expand: bool,
    /// True for `<<-`: leading tabs were removed from every body line.
    pub chomp: bool,
    /// The body and its terminating line.
    pub range: TextRange,
}

impl Heredoc {
    /// The body as the build sees it: for `<<-`, leading tabs removed from every line
    /// (BuildKit's `parser.ChompHeredocContent`), otherwise `content` unchanged.
    pub fn chomped_content(&self) -> std::borrow::Cow<'_, str> {
        if !self.chomp {
            return std::borrow::Cow::Borrowed(&self.content);
        }
        let mut res = String::with_capacity(self.content.len());
        for line in self.content.split_inclusive('\n') {
            res.push_str(line.trim_start_matches('\t'));
        }
        std::borrow::Cow::Owned(res)
    }
}

/// One instruction as the parser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The keyword in lower case (`from`, `run`, ... or an unknown word as written, lowered).
    pub cmd: String,
    /// Where the keyword sits (its text there is the keyword as written, any case).
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    /// True for JSON (exec) form: `value` then holds the decoded array elements.
    pub json: bool,
    /// BuildKit's argument list for this keyword (see ../shared/conformance/README.md).
    pub value: Vec<Word>,
    /// True for ENV/LABEL written in the legacy `KEY value` form (BuildKit's separator node `""`
    /// instead of `"="`, which the `LegacyKeyValueFormat` check reports).
    pub legacy_key_value: bool,
    /// The instruction ONBUILD wraps.
    pub sub: Option<Box<Node>>,
    /// Here-documents of this instruction. For `ONBUILD RUN <<EOF` they sit on the ONBUILD node,
    /// as in BuildKit's parser.go (`child.Heredocs`).
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
