//! The multi-stage graph: names, indexes, FROM/COPY --from/--mount=from edges, target reachability, cycles.
//!
//! Mirrors BuildKit's dockerfile2llb `Dockefile2LLB` stage handling: instructions before the
//! first FROM may only be ARG (the global scope); a stage is named by `AS name` (lower-cased)
//! or by its index; `FROM <earlier stage>`, `COPY --from=<stage|index>` and
//! `RUN --mount=from=<stage>` are edges, anything else they name is an image. Only stages
//! reachable from the target are built (buildkit-truth ms_unused_stage_pruned: an unused
//! stage never runs, even a broken one, and its base image is never resolved).

use crate::diagnostic::Diagnostic;
use crate::instructions::{ArgDecl, FromInstr, Instruction, Kind};
use crate::text::TextRange;
use std::collections::{HashMap, HashSet};

/// What a stage builds on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference, expanded with the global ARGs (`lab/busybox:${TAG}` → `lab/busybox:1`).
    Image(String),
}

/// Why a stage depends on another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    From,
    CopyFrom,
    MountFrom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub to: usize,
    pub kind: EdgeKind,
    /// The instruction (or flag) that makes the edge.
    pub range: TextRange,
}

/// One build stage: its FROM and the instructions after it.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    pub name: Option<String>,
    pub from: FromInstr,
    pub from_instr: Instruction,
    pub base: Base,
    pub instructions: Vec<Instruction>,
    pub edges: Vec<Edge>,
}

impl Stage {
    /// The label BuildKit prints: the stage name, or `stage-<index>`.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("stage-{}", self.index))
    }
}

/// A stage that will not be built, and why (for people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub index: usize,
    pub label: String,
    pub reason: String,
}

/// The stages of a Dockerfile and what the target needs.
#[derive(Debug, Clone, Default)]
pub struct StageGraph {
    /// ARGs declared before the first FROM.
    pub global_args: Vec<(ArgDecl, TextRange)>,
    pub stages: Vec<Stage>,
    /// The index of the target stage (the last one by default).
    pub target: usize,
    /// Reachable from the target, in index order.
    pub built: Vec<usize>,
    pub pruned: Vec<Pruned>,
    /// Errors (unknown target, cycles, instructions before FROM ...). Any error fails the build.
    pub diagnostics: Vec<Diagnostic>,
}

impl StageGraph {
    /// The label BuildKit prints before a step of `stage` (`[label 2/5] RUN ...`): none when
    /// the build has a single dispatch state. `COPY --from=<image>` and every `RUN --mount`
    /// add one (dockerfile2llb `toCommand`/`detectRunMount` register their sources, and
    /// `buildStageDependencyGraph` clears the name only when one state is left), so such a
    /// single-stage file is labelled `stage-0` (buildkit-truth: bk_run_mount_cache).
    pub fn step_label(&self, stage: &Stage) -> String {
        let extra_state = |i: &Instruction| match &i.kind {
            Kind::Run(r) => !r.mounts.is_empty(),
            Kind::Copy(c) => c.from.is_some(),
            _ => false,
        };
        if self.stages.len() == 1 && !stage.instructions.iter().any(extra_state) {
            String::new()
        } else {
            stage.label()
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn is_built(&self, index: usize) -> bool {
        self.built.contains(&index)
    }

    /// Finds a stage by name (case-insensitive) or index, as `--from=` and `FROM` do.
    pub fn find(&self, reference: &str) -> Option<usize> {
        find_stage(
            &name_index(&self.stages),
            self.stages.len(),
            reference,
            self.stages.len(),
        )
    }
}

/// Builds the graph. `expand_global` expands a word with the global ARGs (after build args),
/// as BuildKit expands FROM and `--from` references; `target` is `--target`.
pub fn graph(
    instructions: &[Instruction],
    target: Option<&str>,
    expand_global: &dyn Fn(&str) -> String,
) -> StageGraph {
    let mut g = StageGraph::default();
    let mut current: Option<Stage> = None;
    let mut names: HashMap<String, usize> = HashMap::new();
    for instr in instructions {
        match &instr.kind {
            Kind::From(f) => {
                if let Some(s) = current.take() {
                    if let Some(n) = &s.name {
                        names.entry(n.clone()).or_insert(s.index);
                    }
                    g.stages.push(s);
                }
                let index = g.stages.len();
                let image = expand_global(&f.image);
                // `FROM name` refers to an earlier stage only (a later one is an image name).
                let base = match find_stage(&names, g.stages.len(), &image, index) {
                    Some(i) if !image.chars().all(|c| c.is_ascii_digit()) => Base::Stage(i),
                    _ => Base::Image(image),
                };
                let mut edges = Vec::new();
                if let Base::Stage(i) = base {
                    edges.push(Edge {
                        to: i,
                        kind: EdgeKind::From,
                        range: instr.range,
                    });
                }
                current = Some(Stage {
                    index,
                    name: f.name.clone(),
                    from: f.clone(),
                    from_instr: instr.clone(),
                    base,
                    instructions: Vec::new(),
                    edges,
                });
            }
            Kind::Arg(decls) if current.is_none() => {
                g.global_args
                    .extend(decls.iter().map(|d| (d.clone(), instr.range)));
            }
            _ => match current.as_mut() {
                Some(s) => s.instructions.push(instr.clone()),
                None => g.diagnostics.push(Diagnostic::error(
                    "before-from",
                    instr.range,
                    format!(
                        "{} instruction before the first FROM (only ARG may come before FROM)",
                        instr.keyword()
                    ),
                )),
            },
        }
    }
    if let Some(s) = current.take() {
        g.stages.push(s);
    }
    if g.stages.is_empty() {
        g.diagnostics.push(Diagnostic::error(
            "no-stage",
            TextRange::empty(0),
            "the Dockerfile has no FROM instruction",
        ));
        return g;
    }
    check_duplicate_names(&mut g);
    add_from_edges(&mut g, expand_global);
    g.target = match target.filter(|t| !t.is_empty()) {
        None => g.stages.len() - 1,
        Some(t) => match g
            .stages
            .iter()
            .position(|s| s.name.as_deref() == Some(t.to_ascii_lowercase().as_str()))
        {
            Some(i) => i,
            None => {
                g.diagnostics.push(Diagnostic::error(
                    "unknown-target",
                    TextRange::empty(0),
                    format!("failed to reach build target {t} in Dockerfile"),
                ));
                g.stages.len() - 1
            }
        },
    };
    check_cycles(&mut g);
    mark_reachable(&mut g);
    g
}

/// The first stage of each name (names are unique; a duplicate is reported separately).
fn name_index(stages: &[Stage]) -> HashMap<String, usize> {
    let mut names = HashMap::with_capacity(stages.len());
    for s in stages {
        if let Some(n) = &s.name {
            names.entry(n.clone()).or_insert(s.index);
        }
    }
    names
}

/// A stage named `reference` (case-insensitive) or numbered so, among the first `limit`.
fn find_stage(
    names: &HashMap<String, usize>,
    n_stages: usize,
    reference: &str,
    limit: usize,
) -> Option<usize> {
    if let Some(&i) = names.get(&reference.to_ascii_lowercase()) {
        if i < limit {
            return Some(i);
        }
    }
    if !reference.is_empty() && reference.chars().all(|c| c.is_ascii_digit()) {
        let i: usize = reference.parse().ok()?;
        return (i < limit.min(n_stages)).then_some(i);
    }
    None
}

fn check_duplicate_names(g: &mut StageGraph) {
    let mut seen: HashSet<&str> = HashSet::new();
    for s in &g.stages {
        let Some(name) = &s.name else { continue };
        if !seen.insert(name.as_str()) {
            g.diagnostics.push(Diagnostic::error(
                "duplicate-stage",
                s.from_instr.range,
                format!("duplicate stage name {name:?}"),
            ));
        }
    }
}

/// `COPY --from` and `RUN --mount=from=` edges. A name matches any stage (BuildKit resolves
/// `--from` against all stages); the stage itself is an error, a later one a cycle candidate.
fn add_from_edges(g: &mut StageGraph, expand_global: &dyn Fn(&str) -> String) {
    let n = g.stages.len();
    let names = name_index(&g.stages);
    for si in 0..n {
        let mut edges = Vec::new();
        let mut errors = Vec::new();
        let stage = &g.stages[si];
        for instr in &stage.instructions {
            let refs: Vec<(String, EdgeKind)> = match &instr.kind {
                Kind::Copy(c) => c
                    .from
                    .iter()
                    .map(|f| (f.clone(), EdgeKind::CopyFrom))
                    .collect(),
                Kind::Run(r) => r
                    .mounts
                    .iter()
                    .filter_map(|m| m.from.clone().map(|f| (f, EdgeKind::MountFrom)))
                    .collect(),
                _ => Vec::new(),
            };
            for (raw, kind) in refs {
                let reference = expand_global(&raw);
                let Some(to) = find_stage(&names, n, &reference, n) else {
                    continue;
                };
                if to == si {
                    errors.push(Diagnostic::error(
                        "self-reference",
                        instr.range,
                        format!(
                            "stage {} cannot refer to itself (--from={reference})",
                            stage.label()
                        ),
                    ));
                    continue;
                }
                edges.push(Edge {
                    to,
                    kind,
                    range: instr.range,
                });
            }
        }
        g.stages[si].edges.extend(edges);
        g.diagnostics.extend(errors);
    }
}

fn check_cycles(g: &mut StageGraph) {
    // 0 = unvisited, 1 = on the current path, 2 = done. Iterative DFS bounded by the edge count.
    let n = g.stages.len();
    let mut state = vec![0u8; n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some((node, edge_i)) = stack.pop() {
            let edges = &g.stages[node].edges;
            if let Some(e) = edges.get(edge_i) {
                stack.push((node, edge_i + 1));
                match state[e.to] {
                    0 => {
                        state[e.to] = 1;
                        stack.push((e.to, 0));
                    }
                    1 => {
                        let msg = format!(
                            "circular dependency detected on stage: {}",
                            g.stages[e.to].label()
                        );
                        if !g.diagnostics.iter().any(|d| d.message == msg) {
                            g.diagnostics
                                .push(Diagnostic::error("stage-cycle", e.range, msg));
                        }
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
            }
        }
    }
}

fn mark_reachable(g: &mut StageGraph) {
    let n = g.stages.len();
    let mut seen = vec![false; n];
    let mut why: Vec<Option<usize>> = vec![None; n];
    let mut todo = vec![g.target];
    seen[g.target] = true;
    while let Some(i) = todo.pop() {
        for e in &g.stages[i].edges {
            if !seen[e.to] {
                seen[e.to] = true;
                why[e.to] = Some(i);
                todo.push(e.to);
            }
        }
    }
    let target_label = g.stages[g.target].label();
    for (i, s) in g.stages.iter().enumerate() {
        if seen[i] {
            g.built.push(i);
        } else {
            let reason = if i > g.target {
                format!("comes after the target stage {target_label} and nothing the target needs uses it")
            } else {
                format!("the target stage {target_label} does not use it (no FROM, COPY --from or RUN --mount=from refers to it)")
            };
            g.pruned.push(Pruned {
                index: i,
                label: s.label(),
                reason,
            });
        }
    }
}

#[cfg(test)]
mod tests;
