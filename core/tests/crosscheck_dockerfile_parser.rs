//! Cross-check against an independent parser, the `dockerfile-parser` crate (0.9, a pest
//! grammar; dev-dependency only): on the real-world corpus, for every file it accepts, the
//! instruction kinds and their line spans must agree with ours. The files it rejects are
//! listed with its reason (heredocs, quoted FROM, `# escape`, ... which BuildKit accepts).

use dockerfile_parser::{Dockerfile, Instruction};
use layerlab_core::syntax;

/// The keyword of one of its instructions, lower case.
fn kind(ins: &Instruction) -> String {
    match ins {
        Instruction::From(_) => "from".into(),
        Instruction::Arg(_) => "arg".into(),
        Instruction::Label(_) => "label".into(),
        Instruction::Run(_) => "run".into(),
        Instruction::Entrypoint(_) => "entrypoint".into(),
        Instruction::Cmd(_) => "cmd".into(),
        Instruction::Copy(_) => "copy".into(),
        Instruction::Env(_) => "env".into(),
        Instruction::Misc(m) => m.instruction.content.to_lowercase(),
    }
}

#[path = "support/corpus.rs"]
mod corpus;
use corpus::corpus;

#[test]
fn kinds_and_line_spans_agree_on_files_it_accepts() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 50,
        "realworld corpus found: {}",
        corpus.len()
    );
    let mut rejected = Vec::new();
    let mut failures = Vec::new();
    let mut agreed = 0;
    for (name, text) in &corpus {
        let theirs = match Dockerfile::parse(text) {
            Ok(d) => d,
            Err(e) => {
                let reason = e
                    .to_string()
                    .lines()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" | ");
                rejected.push(format!("{name}: {reason}"));
                continue;
            }
        };
        let ours = syntax::parse(text);
        assert!(
            ours.fatal_error().is_none(),
            "{name}: BuildKit accepts every realworld file"
        );
        let idx = &ours.line_index;
        let their_rows: Vec<(String, u32, u32)> = theirs
            .instructions
            .iter()
            .map(|i| {
                let s = i.span();
                // Its spans may end after the line break: the last line is the one of the
                // last byte that is not a line break.
                let body = text
                    .get(s.start..s.end)
                    .unwrap_or("")
                    .trim_end_matches(['\n', '\r']);
                let end = s.start + body.len().max(1) - 1;
                (
                    kind(i),
                    idx.line_of(s.start as u32),
                    idx.line_of(end as u32),
                )
            })
            .collect();
        let our_rows: Vec<(String, u32, u32)> = ours
            .nodes
            .iter()
            .map(|n| (n.cmd.clone(), n.start_line, n.end_line))
            .collect();
        if their_rows == our_rows {
            agreed += 1;
        } else {
            let diff: Vec<String> = their_rows
                .iter()
                .zip(&our_rows)
                .filter(|(a, b)| a != b)
                .take(3)
                .map(|(a, b)| format!("theirs {a:?} ours {b:?}"))
                .collect();
            failures.push(format!(
                "{name}: {} vs {} instructions; {}",
                their_rows.len(),
                our_rows.len(),
                diff.join("; ")
            ));
        }
    }
    println!("dockerfile-parser rejects {} files:", rejected.len());
    for r in &rejected {
        println!("  {r}");
    }
    for f in &failures {
        println!("DISAGREE {f}");
    }
    println!(
        "crosscheck: {agreed} passed, {} failed, {} skipped (rejected by dockerfile-parser)",
        failures.len(),
        rejected.len()
    );
    assert!(failures.is_empty());
    assert!(agreed >= 30, "most of the corpus is cross-checked");
}
