//! Parse → what the editor overlay shows: highlighted lines, squiggles and the diagnostics list.
//!
//! Core spans are UTF-8 byte ranges; the overlay is built from substrings of the text (so any
//! script renders correctly), and the diagnostics carry UTF-16 offsets for the textarea
//! (../shared/toolchain.md, gotcha 10).

use super::{DiagnosticView, EditorView, LineView, Segment, Sev};
use layerlab_core::syntax::{self, Parse};
use layerlab_core::text::TextRange;
use std::hash::{Hash, Hasher};

/// Highlight classes, indexed by the byte-class codes painted below (0 = plain).
const CLASSES: [&str; 11] = [
    "",
    "tk-keyword",
    "tk-flag",
    "tk-variable",
    "tk-string",
    "tk-comment",
    "tk-directive",
    "tk-heredoc",
    "tk-heredoc-marker",
    "tk-operator",
    "tk-error",
];

fn class_code(kind: syntax::TokenKind) -> u8 {
    use syntax::TokenKind as K;
    match kind {
        K::Keyword => 1,
        K::Flag => 2,
        K::Variable => 3,
        K::String => 4,
        K::Comment => 5,
        K::Directive => 6,
        K::HeredocBody => 7,
        K::HeredocMarker => 8,
        K::Operator => 9,
        K::Error => 10,
    }
}

/// Everything the editor needs for `text`. Extra diagnostics (from the build) are merged in.
pub fn editor_view(text: &str, extra: &[DiagnosticView]) -> EditorView {
    let parse = syntax::parse(text);
    let mut diagnostics: Vec<DiagnosticView> = parse
        .diagnostics
        .iter()
        .map(|d| diagnostic_view(text, &parse, d))
        .collect();
    for d in extra {
        if !diagnostics
            .iter()
            .any(|x| x.start16 == d.start16 && x.message == d.message)
        {
            diagnostics.push(d.clone());
        }
    }
    layerlab_core::sorting::sort_by_key(&mut diagnostics, |d| (d.line, d.col, d.severity));
    let tokens = syntax::highlight_parse(text, &parse);
    let lines = paint_lines(text, &tokens, &parse, &diagnostics);
    EditorView {
        lines,
        diagnostics,
        n_instructions: parse.nodes.len(),
    }
}

/// Maps a core diagnostic to a view (line/column for people, UTF-16 for the textarea).
pub(super) fn diagnostic_view(
    text: &str,
    parse: &Parse,
    d: &layerlab_core::Diagnostic,
) -> DiagnosticView {
    range_diagnostic(
        text,
        &parse.line_index,
        d.range,
        severity(d.severity),
        d.code,
        &d.message,
    )
}

pub(super) fn range_diagnostic(
    text: &str,
    index: &layerlab_core::LineIndex,
    range: TextRange,
    severity: Sev,
    code: &str,
    message: &str,
) -> DiagnosticView {
    let lc = index.line_col(text, range.start);
    DiagnosticView {
        line: lc.line,
        col: lc.col,
        start16: super::utf16_offset(text, range.start as usize),
        end16: super::utf16_offset(text, range.end as usize),
        severity,
        code: code.to_string(),
        message: message.to_string(),
    }
}

pub(super) fn severity(s: layerlab_core::Severity) -> Sev {
    match s {
        layerlab_core::Severity::Error => Sev::Error,
        layerlab_core::Severity::Warning => Sev::Warning,
        layerlab_core::Severity::Info => Sev::Info,
    }
}

/// Paints a class code and a squiggle code per byte, then cuts every line into runs.
fn paint_lines(
    text: &str,
    tokens: &[(TextRange, syntax::TokenKind)],
    parse: &Parse,
    diags: &[DiagnosticView],
) -> Vec<LineView> {
    let n = text.len();
    let mut class = vec![0u8; n];
    for (r, k) in tokens {
        let (s, e) = (r.start as usize, (r.end as usize).min(n));
        if let Some(slot) = class.get_mut(s.min(e)..e) {
            slot.fill(class_code(*k));
        }
    }
    // Squiggles: 1 = info, 2 = warning, 3 = error; an empty range marks its whole line.
    let mut squiggle = vec![0u8; n];
    let mut line_sev: Vec<Option<Sev>> = vec![None; parse.line_index.line_count() + 1];
    let mut line_msgs: Vec<String> = vec![String::new(); parse.line_index.line_count() + 1];
    for d in diags {
        let code = match d.severity {
            Sev::Error => 3,
            Sev::Warning => 2,
            Sev::Info => 1,
        };
        let start = layerlab_core::text::utf16_to_utf8(text, d.start16 as usize);
        let mut end = layerlab_core::text::utf16_to_utf8(text, d.end16 as usize).min(n);
        if end <= start {
            // Underline to the end of the line (at least one character).
            end = text
                .get(start..)
                .and_then(|t| t.find('\n'))
                .map_or(n, |i| start + i);
        }
        if let Some(slot) = squiggle.get_mut(start.min(end)..end) {
            for b in slot {
                *b = (*b).max(code);
            }
        }
        let li = d.line as usize;
        if let Some(s) = line_sev.get_mut(li) {
            *s = Some(s.map_or(d.severity, |x| x.min(d.severity)));
        }
        if let Some(m) = line_msgs.get_mut(li) {
            if !m.is_empty() {
                m.push('\n');
            }
            m.push_str(&d.message);
        }
    }
    let mut lines = Vec::with_capacity(parse.line_index.line_count());
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let mut start = 0usize;
    for (idx, line) in text.split('\n').enumerate() {
        let number = idx as u32 + 1;
        let end = start + line.len();
        let mut segments: Vec<Segment> = Vec::new();
        let mut run_start = start;
        while run_start < end {
            let c = class.get(run_start).copied().unwrap_or(0);
            let q = squiggle.get(run_start).copied().unwrap_or(0);
            let mut run_end = run_start + 1;
            while run_end < end
                && class.get(run_end) == Some(&c)
                && squiggle.get(run_end) == Some(&q)
            {
                run_end += 1;
            }
            while run_end < end && !text.is_char_boundary(run_end) {
                run_end += 1;
            }
            let piece = text.get(run_start..run_end).unwrap_or("");
            let squig = match q {
                3 => Some(Sev::Error),
                2 => Some(Sev::Warning),
                1 => Some(Sev::Info),
                _ => None,
            };
            segments.push(Segment {
                text: piece.replace('\r', ""),
                class: CLASSES.get(c as usize).copied().unwrap_or(""),
                squiggle: squig,
            });
            run_start = run_end;
        }
        let severity = line_sev.get(number as usize).copied().flatten();
        let messages = line_msgs.get(number as usize).cloned().unwrap_or_default();
        // The key is what the line shows, not where: a line typed or deleted above leaves
        // every other line's key (and DOM node) as it was. Equal lines are told apart by
        // their occurrence.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        segments.hash(&mut h);
        severity.hash(&mut h);
        messages.hash(&mut h);
        let shown = h.finish();
        let nth = seen.entry(shown).or_insert(0u32);
        *nth += 1;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (shown, *nth).hash(&mut h);
        lines.push(LineView {
            key: h.finish(),
            number,
            segments,
            severity,
            messages,
        });
        start = end + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_lines_come_from_the_core() {
        let v = editor_view("FROM alpine AS base\nRUN echo hi\n", &[]);
        assert_eq!(v.n_instructions, 2);
        assert_eq!(v.lines.len(), 3);
        assert_eq!(v.lines[0].segments[0].text, "FROM");
        assert_eq!(v.lines[0].segments[0].class, "tk-keyword");
        let joined: String = v.lines[1]
            .segments
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(joined, "RUN echo hi");
    }

    #[test]
    fn line_keys_follow_content_not_position() {
        let before = editor_view("FROM alpine\n\nRUN echo hi\n\n", &[]);
        let after = editor_view("# new\nFROM alpine\n\nRUN echo hi\n\n", &[]);
        let keys = |v: &EditorView| v.lines.iter().map(|l| l.key).collect::<Vec<_>>();
        // Every old line keeps its key one line further down; equal (empty) lines stay distinct.
        assert_eq!(keys(&after)[1..], keys(&before)[..]);
        let k = keys(&before);
        let distinct: std::collections::HashSet<_> = k.iter().collect();
        assert_eq!(distinct.len(), k.len(), "{k:?}");
    }

    #[test]
    fn non_ascii_text_is_kept_whole_and_diagnostics_use_utf16() {
        let text = "FROM alpine\n# héllo 🐳\nFORM x\n";
        let v = editor_view(text, &[]);
        let joined: String = v.lines[1]
            .segments
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(joined, "# héllo 🐳");
        let d = v
            .diagnostics
            .iter()
            .find(|d| d.line == 3)
            .expect("unknown instruction FORM");
        // "FROM alpine\n" (12) + "# héllo 🐳\n" (11 UTF-16 units: é is 1, 🐳 is 2).
        assert_eq!(d.start16, 12 + 11);
        assert_eq!(v.lines[2].severity, Some(Sev::Error));
    }
}
