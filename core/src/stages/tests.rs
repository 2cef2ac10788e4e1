//! Stage graph tests: names, indexes, edges, target, pruning, cycles.

use super::*;
use crate::instructions::lower;
use crate::syntax::parse;

fn graph_of(text: &str, target: Option<&str>) -> StageGraph {
    let l = lower(&parse(text));
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    graph(&l.instructions, target, &|w: &str| w.replace("${TAG}", "1"))
}

const MS: &str = "FROM lab/busybox:1 AS base\nRUN echo base\nFROM base AS builder\nRUN echo b\nFROM lab/busybox:${TAG} AS unused\nRUN exit 1\nFROM lab/busybox:1\nCOPY --from=builder /x /\nCOPY --from=0 /y /\n";

#[test]
fn names_indexes_and_labels() {
    let g = graph_of(MS, None);
    assert_eq!(g.stages.len(), 4);
    assert_eq!(g.stages[1].base, Base::Stage(0));
    assert_eq!(g.stages[2].base, Base::Image("lab/busybox:1".into()));
    assert_eq!(g.stages[3].label(), "stage-3");
    assert_eq!(g.built, vec![0, 1, 3]);
    assert_eq!(
        g.pruned
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>(),
        vec!["unused"]
    );
}

#[test]
fn target_selects_an_earlier_stage() {
    let g = graph_of(MS, Some("builder"));
    assert_eq!((g.target, g.built.clone()), (1, vec![0, 1]));
    let g = graph_of(MS, Some("nope"));
    assert!(g.has_errors());
}

#[test]
fn self_reference_and_cycles_are_errors() {
    let g = graph_of("FROM a AS x\nCOPY --from=x /a /\n", None);
    assert_eq!(g.diagnostics[0].code, "self-reference");
    let g = graph_of(
        "FROM a AS x\nCOPY --from=y /a /\nFROM a AS y\nCOPY --from=x /b /\n",
        None,
    );
    assert!(
        g.diagnostics.iter().any(|d| d.code == "stage-cycle"),
        "{:?}",
        g.diagnostics
    );
    let g = graph_of("ARG A=1\nFROM a\n", None);
    assert_eq!(g.global_args.len(), 1);
    let l = lower(&parse("ENV A=1\nFROM a\n"));
    assert_eq!(
        graph(&l.instructions, None, &|w: &str| w.to_string()).diagnostics[0].code,
        "before-from"
    );
}
