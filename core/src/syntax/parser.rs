//! The parser driver: lines in, instruction nodes out, never failing.
//!
//! Mirrors the loop of BuildKit's `parser.Parse` (frontend/dockerfile/parser/parser.go): strip
//! the BOM, read directives, skip blank and comment lines, join continuation lines (dropping
//! comment lines inside them and warning about empty ones), split the instruction
//! (`newNodeFromLine`), then read the bodies of its heredocs. Where BuildKit stops at its first
//! error, we record a diagnostic and go on with the next line, so the editor always gets a
//! tree; `Parse::fatal_error` tells what BuildKit would have stopped at.

use super::codes;
use super::directives::{DirectiveKey, DirectiveParser};
use super::flags::split_command;
use super::heredoc::{heredocs_from_line, HeredocHeader};
use super::line_parsers::{is_keyword, parse_args};
use super::lines::{is_comment, next_line, trim_continuation, LogicalLine, PhysicalLine};
use super::node::{Directives, Heredoc, Node, Parse, Word};
use super::suggest::unknown_instruction_message;
use crate::diagnostic::Diagnostic;
use crate::text::{LineIndex, TextRange};

/// BuildKit reads lines with a default `bufio.Scanner`: a line longer than this (line ending
/// included) stops the parse.
const MAX_LINE_LEN: usize = 64 * 1024;

/// How many `ONBUILD ONBUILD ...` levels we follow (BuildKit recurses without bound; the
/// instructions layer rejects any nesting anyway).
const MAX_ONBUILD_DEPTH: u32 = 8;

/// Parses a Dockerfile. Never fails and never panics: problems are in `Parse::diagnostics`.
pub fn parse(text: &str) -> Parse {
    let mut p = Parser {
        text,
        pos: 0,
        line_no: 0,
        escape: b'\\',
        directive_parser: DirectiveParser::default(),
        directives: Directives::default(),
        // About one instruction per two lines in real files: avoids regrowing a large Vec.
        nodes: Vec::with_capacity(text.len() / 80 + 1),
        diagnostics: Vec::new(),
        logical: LogicalLine::default(),
        long_line_seen: false,
    };
    p.run();
    Parse {
        directives: p.directives,
        nodes: p.nodes,
        diagnostics: p.diagnostics,
        line_index: LineIndex::new(text),
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Offset of the next unread line.
    pos: usize,
    /// Lines read so far (BuildKit's `currentLine`).
    line_no: u32,
    escape: u8,
    directive_parser: DirectiveParser,
    directives: Directives,
    nodes: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
    /// Reused between instructions to avoid allocating per line.
    logical: LogicalLine,
    long_line_seen: bool,
}

impl<'a> Parser<'a> {
    fn run(&mut self) {
        let text = self.text;
        while let Some(pl) = self.next_line() {
            let mut start = pl.start;
            if self.line_no == 1
                && text
                    .get(start..pl.end)
                    .is_some_and(|l| l.starts_with('\u{FEFF}'))
            {
                start += '\u{FEFF}'.len_utf8();
            }
            let raw = text.get(start..pl.end).unwrap_or("");
            let trimmed = raw.trim_start();
            let trimmed_at = pl.end - trimmed.len();
            self.directive(trimmed, TextRange::new(start, pl.end));
            if is_comment(trimmed) {
                continue;
            }
            let (piece, cont) = trim_continuation(trimmed, self.escape);
            if !cont && piece.is_empty() {
                continue;
            }
            self.instruction(pl, piece, trimmed_at, cont);
        }
        if self.nodes.is_empty() {
            self.fatal(
                codes::EMPTY_DOCKERFILE,
                TextRange::new(0, text.len()),
                "file with no instructions".to_string(),
            );
        }
    }

    /// Reads the next physical line, counting it and checking BuildKit's line-length limit.
    fn next_line(&mut self) -> Option<PhysicalLine> {
        let pl = next_line(self.text, self.pos)?;
        self.pos = pl.next;
        self.line_no += 1;
        let len = pl.next - pl.start;
        let has_newline = self.text.as_bytes().get(pl.next.wrapping_sub(1)) == Some(&b'\n');
        if !self.long_line_seen && (len > MAX_LINE_LEN || (!has_newline && len >= MAX_LINE_LEN)) {
            self.long_line_seen = true;
            // BuildKit's scanner stops here; with nothing parsed yet, the error is the empty file.
            let msg = if self.nodes.is_empty() {
                "file with no instructions".to_string()
            } else {
                format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE_LEN - 1
                )
            };
            self.fatal(codes::LINE_TOO_LONG, TextRange::new(pl.start, pl.end), msg);
        }
        Some(pl)
    }

    fn directive(&mut self, line: &str, range: TextRange) {
        match self.directive_parser.parse_line(line) {
            Ok(None) => {}
            Ok(Some(d)) => match d.key {
                DirectiveKey::Syntax => self.directives.syntax = Some(d.value.to_string()),
                DirectiveKey::Check => self.directives.check = Some(d.value.to_string()),
                DirectiveKey::Escape => match d.value {
                    "`" | "\\" => {
                        self.escape = d.value.as_bytes().first().copied().unwrap_or(b'\\');
                        self.directives.escape = char::from(self.escape);
                    }
                    v => {
                        let msg = format!("invalid escape token '{v}' does not match ` or \\");
                        self.fatal(codes::INVALID_ESCAPE, range, msg);
                    }
                },
            },
            Err(msg) => self.fatal(codes::DUPLICATE_DIRECTIVE, range, msg),
        }
    }

    /// One instruction: its first line is already read (`piece` at `piece_at`).
    fn instruction(&mut self, first: PhysicalLine, piece: &str, piece_at: usize, mut cont: bool) {
        let text = self.text;
        let start_line = self.line_no;
        let mut ll = std::mem::take(&mut self.logical);
        ll.clear(piece_at);
        ll.push(piece, piece_at);
        let mut end = first.end;
        let mut empty_line: Option<TextRange> = None;
        while cont {
            let Some(pl) = self.next_line() else { break };
            end = pl.end;
            let raw = text.get(pl.start..pl.end).unwrap_or("");
            if is_comment(raw) {
                continue; // comment lines inside a continuation vanish silently
            }
            if raw.trim_start().is_empty() {
                empty_line.get_or_insert(TextRange::new(pl.start, pl.end));
                continue;
            }
            let (p, c) = trim_continuation(raw, self.escape);
            ll.push(p, pl.start);
            cont = c;
        }
        if let Some(range) = empty_line {
            let msg = format!("Empty continuation line found in: {}", ll.text);
            self.diagnostics
                .push(Diagnostic::warning(codes::EMPTY_CONTINUATION, range, msg));
        }
        let mut node = self.node_from_line(&ll, 0, ll.text.len(), 0);
        if can_contain_heredoc(&node) && ll.text.contains("<<") {
            match heredocs_from_line(&ll.text) {
                Ok(headers) => {
                    for h in headers {
                        self.read_heredoc(h, &mut node, &mut end);
                    }
                }
                Err(msg) => self.fatal(codes::HEREDOC_SYNTAX, node.range, msg),
            }
        }
        node.range = TextRange::new(node.range.start as usize, end);
        set_lines(&mut node, start_line, self.line_no);
        self.nodes.push(node);
        self.logical = ll;
    }

    /// BuildKit's `newNodeFromLine` over `ll.text[start..end]`.
    fn node_from_line(&mut self, ll: &LogicalLine, start: usize, end: usize, depth: u32) -> Node {
        let line = ll.text.get(start..end).unwrap_or("");
        let split = split_command(line, self.escape);
        let cmd_raw = line.get(split.cmd.0..split.cmd.1).unwrap_or("");
        let cmd = go_lower(cmd_raw);
        let mut flags = split.flags;
        for f in &mut flags {
            f.range = ll.range(start + f.range.start as usize, start + f.range.end as usize);
        }
        let keyword_range = ll.range(start + split.cmd.0, start + split.cmd.1);
        let mut node = Node {
            cmd,
            keyword_range,
            flags,
            json: false,
            value: Vec::new(),
            legacy_key_value: false,
            sub: None,
            heredocs: Vec::new(),
            original: line.to_string(),
            range: ll.range(start + split.cmd.0, end),
            start_line: 0,
            end_line: 0,
        };
        let args = line.get(split.args.0..split.args.1).unwrap_or("");
        let args_at = start + split.args.0;
        if node.cmd == "onbuild" {
            // parseSubCommand: the rest is an instruction of its own.
            if !args.is_empty() && depth < MAX_ONBUILD_DEPTH {
                node.sub = Some(Box::new(self.node_from_line(
                    ll,
                    args_at,
                    args_at + args.len(),
                    depth + 1,
                )));
            }
        } else {
            match parse_args(&node.cmd, args, char::from(self.escape)) {
                Ok(a) => {
                    node.json = a.json;
                    node.legacy_key_value = a.legacy_key_value;
                    node.value = a
                        .value
                        .into_iter()
                        .map(|(text, s, e)| Word {
                            text,
                            range: ll.range(args_at + s, args_at + e),
                        })
                        .collect();
                }
                Err(e) => self.fatal(e.code, node.range, e.message),
            }
        }
        if !is_keyword(&node.cmd) {
            let msg = unknown_instruction_message(cmd_raw);
            self.diagnostics.push(Diagnostic::error(
                codes::UNKNOWN_INSTRUCTION,
                keyword_range,
                msg,
            ));
        }
        node
    }

    /// Reads one heredoc body up to its terminator line (BuildKit's loop in `Parse`).
    fn read_heredoc(&mut self, h: HeredocHeader, node: &mut Node, end: &mut usize) {
        let text = self.text;
        let body_start = self.pos;
        let mut content = String::new();
        let mut terminated = false;
        while let Some(pl) = self.next_line() {
            let line = text.get(pl.start..pl.end).unwrap_or("");
            *end = pl.end;
            let candidate = if h.chomp {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if candidate == h.name {
                terminated = true;
                break;
            }
            content.push_str(text.get(pl.start..pl.next).unwrap_or(""));
        }
        let range = TextRange::new(body_start, (*end).max(body_start));
        if !terminated {
            let at = TextRange::new(node.range.start as usize, text.len());
            self.fatal(
                codes::UNTERMINATED_HEREDOC,
                at,
                "unterminated heredoc".to_string(),
            );
        }
        node.heredocs.push(Heredoc {
            name: h.name,
            file_descriptor: h.file_descriptor,
            content,
            expand: h.expand,
            chomp: h.chomp,
            range,
        });
    }

    fn fatal(&mut self, code: &'static str, range: TextRange, message: String) {
        self.diagnostics
            .push(Diagnostic::error(code, range, message));
    }
}

/// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also inside ONBUILD.
fn can_contain_heredoc(node: &Node) -> bool {
    let n = match &node.sub {
        Some(sub) if node.cmd == "onbuild" => sub.as_ref(),
        _ => node,
    };
    matches!(n.cmd.as_str(), "run" | "copy" | "add") && !n.json
}

fn set_lines(node: &mut Node, start: u32, end: u32) {
    node.start_line = start;
    node.end_line = end;
    if let Some(sub) = node.sub.as_deref_mut() {
        set_lines(sub, start, end);
    }
}

/// Go's `strings.ToLower` as far as it can change which instruction a word names: ASCII, plus the
/// two non-ASCII letters whose lower case is ASCII (U+0130 `İ` → `i`, U+212A Kelvin `K` → `k`;
/// found by walking `unicode.ToLower` over every rune). Other letters keep their case: they never
/// make a keyword, and the message for an unknown one upper-cases the ASCII back. Not
/// `str::to_lowercase`: its Unicode tables cost the wasm ~17 KB gzip, and it maps `İ` to `i̇`.
fn go_lower(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            '\u{212A}' => 'k',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}
