//! Line-oriented Dockerfile parser. (Walking-skeleton version: one instruction per line, with
//! `\` continuations; the BuildKit-faithful parser replaces it.)

use super::node::{Directives, Node, Parse, Word};
use crate::diagnostic::Diagnostic;
use crate::text::{LineIndex, TextRange};

pub fn parse(text: &str) -> Parse {
    let line_index = LineIndex::new(text);
    let mut nodes = Vec::new();
    let mut diagnostics = Vec::new();
    let mut offset = 0usize;
    let mut pending: Option<(usize, String)> = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if pending.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (cont, body) = match line.strip_suffix('\\') {
            Some(b) => (true, b),
            None => (false, line),
        };
        let (begin, mut acc) = pending.take().unwrap_or((start, String::new()));
        acc.push_str(if acc.is_empty() { body.trim_start() } else { body });
        if cont {
            pending = Some((begin, acc));
            continue;
        }
        nodes.push(make_node(&acc, begin, start + line.len(), &line_index));
    }
    if let Some((begin, acc)) = pending {
        nodes.push(make_node(&acc, begin, text.len(), &line_index));
    }
    if nodes.is_empty() {
        diagnostics.push(Diagnostic::error("empty-dockerfile", TextRange::empty(0), "file with no instructions"));
    }
    Parse { directives: Directives::default(), nodes, diagnostics, line_index }
}

fn make_node(acc: &str, begin: usize, end: usize, idx: &LineIndex) -> Node {
    let (kw, rest) = acc.split_once(char::is_whitespace).unwrap_or((acc, ""));
    let range = TextRange::new(begin, end);
    Node {
        cmd: kw.to_ascii_lowercase(),
        keyword_range: TextRange::new(begin, begin + kw.len()),
        flags: Vec::new(),
        json: false,
        value: vec![Word { text: rest.trim().to_string(), range }],
        sub: None,
        heredocs: Vec::new(),
        original: acc.to_string(),
        range,
        start_line: idx.line_of(range.start),
        end_line: idx.line_of(range.end.saturating_sub(1).max(range.start)),
    }
}
