//! Snapshot tests over `core/test_data/syntax/{ok,err}/*.Dockerfile`: each file's tree (BuildKit's
//! dump per instruction, with lines, the source text of every word, flag and heredoc, and the
//! diagnostics) is compared with the `.tree` file beside it. `ok` files must have no error,
//! `err` files must have some. `UPDATE_EXPECT=1 cargo test -p layerlab-core --lib syntax`
//! rewrites the snapshots.

use super::{dump_node, parse, Node, Parse};
use std::fmt::Write;
use std::path::Path;

// Only the folder listing is used here; test support sorts with the standard sort.
#[allow(dead_code, clippy::disallowed_methods)]
#[path = "../../tests/support/corpus.rs"]
mod corpus;

fn render(text: &str, parse: &Parse) -> String {
    let mut out = String::new();
    let d = &parse.directives;
    let _ = writeln!(
        out,
        "directives: syntax={:?} escape={:?} check={:?}",
        d.syntax, d.escape, d.check
    );
    for node in &parse.nodes {
        render_node(text, node, &mut out, "");
    }
    for diag in &parse.diagnostics {
        let line = parse.line_index.line_of(diag.range.start);
        let fatal = if super::is_fatal_in_buildkit(diag) {
            " (fatal in BuildKit)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "! {:?} {} L{line}{fatal}: {}",
            diag.severity, diag.code, diag.message
        );
    }
    out
}

fn render_node(text: &str, node: &Node, out: &mut String, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}L{}-{} ({})",
        node.start_line,
        node.end_line,
        dump_node(node)
    );
    let _ = writeln!(
        out,
        "{indent}  keyword {:?}",
        node.keyword_range.slice(text)
    );
    for f in &node.flags {
        let _ = writeln!(
            out,
            "{indent}  flag {:?} <- {:?}",
            f.original(),
            f.range.slice(text)
        );
    }
    for w in &node.value {
        let _ = writeln!(
            out,
            "{indent}  word {:?} <- {:?}",
            w.text,
            w.range.slice(text)
        );
    }
    for h in &node.heredocs {
        let _ = writeln!(
            out,
            "{indent}  heredoc {:?} fd={} expand={} chomp={} content={:?} <- {:?}",
            h.name,
            h.file_descriptor,
            h.expand,
            h.chomp,
            h.content,
            h.range.slice(text)
        );
    }
    if let Some(sub) = &node.sub {
        render_node(text, sub, out, "    ");
    }
}

fn check_dir(kind: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data/syntax")
        .join(kind);
    let files = corpus::dockerfiles(&dir);
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
        let parse = parse(&text);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (kind, parse.has_errors()) {
            ("ok", true) => failures.push(format!("{name}: ok case has errors")),
            ("err", false) => failures.push(format!("{name}: err case has no error")),
            _ => {}
        }
        let got = render(&text, &parse);
        let tree = file.with_extension("tree");
        if update {
            let _ = std::fs::write(&tree, &got);
            continue;
        }
        let want = std::fs::read_to_string(&tree).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}: snapshot differs (UPDATE_EXPECT=1 to refresh)\n--- got\n{got}--- want\n{want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    files.len()
}

#[test]
fn ok_fixtures_match_their_trees() {
    assert!(check_dir("ok") >= 5);
}

#[test]
fn err_fixtures_match_their_trees() {
    assert!(check_dir("err") >= 5);
}

/// BuildKit's `TestParseReturnsScannerErrors`: a line longer than bufio's 64 KiB token limit.
#[test]
fn overlong_line_is_rejected_like_buildkit() {
    let text = format!(
        "\n\t\tFROM image\n\t\tLABEL test={}\n",
        "a".repeat(64 * 1024)
    );
    let p = parse(&text);
    let err = p.fatal_error().map(|d| d.message.as_str());
    assert_eq!(
        err,
        Some("dockerfile line greater than max allowed size of 65535")
    );
    // We still parse it, for the editor.
    assert_eq!(p.nodes.len(), 2);
    let ok = format!("FROM image\nLABEL test={}\n", "a".repeat(60_000));
    assert!(parse(&ok).fatal_error().is_none());
}

/// BuildKit's `TestParseNameValOldFormat` / `NewFormat` / `WithoutVal` (line_parsers_test.go),
/// through the dump, which shows the separator nodes.
#[test]
fn name_val_forms_like_buildkit() {
    let p = parse("LABEL foo bar\nLABEL foo=bar thing=star\n");
    assert_eq!(
        super::dump(&p),
        "(label \"foo\" \"bar\" \"\")\n(label \"foo\" \"bar\" \"=\" \"thing\" \"star\" \"=\")"
    );
    let p = parse("ENV foo\n");
    assert_eq!(
        p.fatal_error().map(|d| d.message.as_str()),
        Some("ENV must have two arguments")
    );
}

/// Directive rules of BuildKit's directives.go: once, at the top, before any other line.
#[test]
fn directives_like_buildkit() {
    let p = parse("# syntax=a\n# check=skip=all\n# escape=`\n\n# escape=\\\nFROM a `\n  b\n");
    assert_eq!(p.directives.syntax.as_deref(), Some("a"));
    assert_eq!(p.directives.check.as_deref(), Some("skip=all"));
    assert_eq!(p.directives.escape, '`');
    assert!(p.fatal_error().is_none());
    assert_eq!(p.nodes.len(), 1);
    let p = parse("# escape=x\nFROM a\n");
    assert_eq!(
        p.fatal_error().map(|d| d.message.as_str()),
        Some("invalid escape token 'x' does not match ` or \\")
    );
    let p = parse("# syntax=a\n# SYNTAX=b\nFROM a\n");
    assert_eq!(
        p.fatal_error().map(|d| d.message.as_str()),
        Some("only one syntax parser directive can be used")
    );
}

/// BuildKit lower-cases the instruction word with Go's `strings.ToLower`, which turns `İ` and the
/// Kelvin sign into ASCII letters, so these name WORKDIR; other non-ASCII letters keep their case.
#[test]
fn instruction_words_lower_case_like_go() {
    let p = parse("WORKD\u{130}R /a\nWOR\u{212A}DIR /b\nRÜN x\n");
    let cmds: Vec<&str> = p.nodes.iter().map(|n| n.cmd.as_str()).collect();
    assert_eq!(cmds, ["workdir", "workdir", "rÜn"]);
}
