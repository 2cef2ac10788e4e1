//! The build driver: resolves the stages the target needs, dispatches their instructions in
//! dependency order, decides CACHED or RUN for every step against the store, and assembles the
//! report. One file per keyword family does the work of a step (from.rs, run.rs, copy.rs,
//! workdir.rs, meta.rs).

use super::context::{transfer, Sent};
use super::report::{
    BuildError, BuildReport, ImageReport, LayerReport, StageInfo, StepReport, StepStatus,
};
use super::state::StageState;
use super::words::{expand, Mode};
use super::BuildOptions;
use crate::cache::{reason, CacheKey, CacheStore, MissReason, StepInputs, StepRecord};
use crate::context::BuildContext as Context;
use crate::diagnostic::Diagnostic;
use crate::fs::Layer;
use crate::instructions::{self, Instruction, Kind};
use crate::stages::{self, StageGraph};
use crate::text::TextRange;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Layers one image may stack (overlayfs lower-directory limit as Docker enforces it).
pub const MAX_LAYERS: usize = 127;

/// The automatic platform ARGs BuildKit defines (the simulator builds for linux/amd64).
pub const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

/// What a step's work returns: the layer, and what it printed.
pub struct StepOutput {
    pub layer: Arc<Layer>,
    pub output: String,
    /// Detailed inputs found while executing (COPY's per-file digests); `None` = the plan's.
    pub inputs: Option<StepInputs>,
}

/// A step's description before it runs.
pub struct StepPlan<'a> {
    pub instr: &'a Instruction,
    pub key: CacheKey,
    pub inputs: StepInputs,
    pub text: String,
    pub pos: usize,
    pub of: usize,
    /// The history row it adds (None: the step adds no row, e.g. a FROM).
    pub created_by: Option<String>,
}

pub struct Driver<'a> {
    /// The Dockerfile text, for what sits between instructions (`# layerlab:` pragmas).
    pub dockerfile: &'a str,
    pub opts: &'a BuildOptions,
    /// Unknown base images become placeholders instead of failing the build.
    pub placeholders: bool,
    pub cache: &'a mut CacheStore,
    pub sent: Sent,
    pub graph: Arc<StageGraph>,
    /// Global ARG values (after build args).
    pub global: Vec<(String, Option<String>)>,
    pub done: HashMap<usize, StageState>,
    /// Vertices already printed in this build: identical steps are one vertex.
    pub printed: HashSet<CacheKey>,
    /// Keys of steps that (re-)ran in this build.
    pub ran: HashSet<CacheKey>,
    /// What a failing step printed (set by its work, shown on the ERROR step).
    pub failed_output: String,
    pub report: BuildReport,
}

pub fn simulate(
    dockerfile: &str,
    context: &Context,
    options: &BuildOptions,
    cache: &mut CacheStore,
    placeholders: bool,
) -> BuildReport {
    cache.builds = cache.builds.saturating_add(1);
    let mut report = BuildReport::default();
    let parse = crate::syntax::parse(dockerfile);
    report.diagnostics.extend(parse.diagnostics.iter().cloned());
    if let Some(e) = parse.diagnostics.iter().find(|d| d.is_error()) {
        return failed(report, e.message.clone(), e.range);
    }
    let lowered = instructions::lower(&parse);
    report
        .diagnostics
        .extend(lowered.diagnostics.iter().cloned());
    if let Some(e) = lowered.diagnostics.iter().find(|d| d.is_error()) {
        return failed(report, e.message.clone(), e.range);
    }
    let global = global_args(&lowered.instructions, options);
    let global_for_expand = global.clone();
    let expand_global = move |w: &str| -> String {
        let lookup = |n: &str| lookup_global(&global_for_expand, n);
        expand(w, &lookup, Mode::Word).0
    };
    let graph = Arc::new(stages::graph(
        &lowered.instructions,
        options.target.as_deref(),
        &expand_global,
    ));
    report.graph = Some(Arc::clone(&graph));
    report.diagnostics.extend(graph.diagnostics.iter().cloned());
    for s in &graph.stages {
        let info = StageInfo {
            index: s.index,
            name: s.name.clone(),
            label: s.label(),
            reason: None,
        };
        if graph.is_built(s.index) {
            report.stages_built.push(info);
        } else {
            let reason = graph
                .pruned
                .iter()
                .find(|p| p.index == s.index)
                .map(|p| p.reason.clone());
            report.stages_not_built.push(StageInfo { reason, ..info });
        }
    }
    if let Some(e) = graph.diagnostics.iter().find(|d| d.is_error()) {
        return failed(report, e.message.clone(), e.range);
    }
    // Build checks: warnings, or a failure before any step with `# check=error=true`.
    let directive = super::checks::parse_directive(parse.directives.check.as_deref());
    let mut found = super::checks::run(&lowered.instructions, &graph, Some(context));
    // BuildKit reports the parser's empty-continuation warning as the NoEmptyContinuation check.
    for d in parse
        .diagnostics
        .iter()
        .filter(|d| d.code == "empty-continuation")
    {
        found.push(Diagnostic::warning(
            "NoEmptyContinuation",
            d.range,
            "Empty continuation lines will become errors in a future release",
        ));
    }
    let effective = super::checks::effective(&found, &directive);
    report
        .diagnostics
        .extend(effective.iter().map(|d| (*d).clone()));
    if directive.error && !effective.is_empty() {
        let mut rules: Vec<&str> = effective.iter().map(|d| d.code).collect();
        rules.dedup();
        let mut seen = HashSet::new();
        rules.retain(|r| seen.insert(*r));
        let range = effective.first().map_or(TextRange::empty(0), |d| d.range);
        return failed(
            report,
            format!("lint violation found for rules: {}", rules.join(", ")),
            range,
        );
    }
    if let Err(e) = super::copy::precheck(&graph) {
        return failed(report, e.message, e.range);
    }
    let sent = match transfer(context, cache) {
        Ok(s) => s,
        Err(message) => return failed(report, message, TextRange::empty(0)),
    };
    for p in &sent.stale {
        report.diagnostics.push(Diagnostic::warning(
            "stale-context-file",
            TextRange::empty(0),
            format!("{p} changed but kept its size and modification time: BuildKit's incremental context transfer compares metadata only, so this build uses the OLD content (touch the file to force a transfer)"),
        ));
    }
    if let Err(e) = super::copy::precheck_sources(&graph, &sent, context) {
        return failed(report, e.message, e.range);
    }
    let mut d = Driver {
        dockerfile,
        opts: options,
        placeholders,
        cache,
        sent,
        graph,
        global,
        done: HashMap::new(),
        printed: HashSet::new(),
        ran: HashSet::new(),
        failed_output: String::new(),
        report,
    };
    let order = d.order();
    for si in order {
        if let Err(e) = d.dispatch_stage(si) {
            let report = std::mem::take(&mut d.report);
            return failed(report, e.message, e.range);
        }
    }
    let target = d.graph.target;
    let mut report = std::mem::take(&mut d.report);
    if let Some(state) = d.done.remove(&target) {
        report.image = Some(image_report(state));
    }
    report.ok = true;
    report
}

fn failed(mut report: BuildReport, message: String, range: TextRange) -> BuildReport {
    report.ok = false;
    report.image = None;
    report.error = Some(BuildError { message, range });
    report
}

/// Global ARG values: a build arg wins over the default; defaults may use earlier globals.
fn global_args(instrs: &[Instruction], options: &BuildOptions) -> Vec<(String, Option<String>)> {
    let mut res: Vec<(String, Option<String>)> = Vec::new();
    for instr in instrs {
        match &instr.kind {
            Kind::From(_) => break,
            Kind::Arg(decls) => {
                for decl in decls {
                    let value = match options.build_args.get(&decl.name) {
                        Some(v) => Some(v.clone()),
                        None => decl.default.as_ref().map(|d| {
                            let lookup = |n: &str| lookup_global(&res, n);
                            expand(d, &lookup, Mode::Word).0
                        }),
                    };
                    res.push((decl.name.clone(), value));
                }
            }
            _ => {}
        }
    }
    res
}

fn lookup_global(globals: &[(String, Option<String>)], name: &str) -> Option<String> {
    if let Some((_, v)) = globals.iter().rev().find(|(k, _)| k == name) {
        return v.clone();
    }
    PLATFORM_ARGS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl Driver<'_> {
    /// Stages reachable from the target, dependencies first (post-order DFS, bounded).
    fn order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(self.graph.target, false)];
        while let Some((i, expanded)) = stack.pop() {
            if expanded {
                if !out.contains(&i) {
                    out.push(i);
                }
                continue;
            }
            if !seen.insert(i) {
                continue;
            }
            stack.push((i, true));
            if let Some(s) = self.graph.stages.get(i) {
                for e in s.edges.iter().rev() {
                    if !seen.contains(&e.to) {
                        stack.push((e.to, false));
                    }
                }
            }
        }
        out
    }

    /// A global ARG or platform ARG value (for `ARG NAME` re-declared in a stage).
    pub fn global_value(&self, name: &str) -> Option<String> {
        lookup_global(&self.global, name)
    }

    fn dispatch_stage(&mut self, si: usize) -> Result<(), BuildError> {
        let Some(stage) = self.graph.stages.get(si).cloned() else {
            return Ok(());
        };
        let of = step_count(&stage);
        let (mut state, mut pos) = super::from::start(self, &stage, of)?;
        let triggers = onbuild_triggers(&mut state, &stage.from_instr);
        let of = of
            + triggers
                .iter()
                .filter(|i| matches!(i.kind, Kind::Run(_) | Kind::Copy(_) | Kind::Workdir(_)))
                .count();
        for instr in triggers.iter().chain(stage.instructions.iter()) {
            match &instr.kind {
                Kind::Run(r) => {
                    pos += 1;
                    super::run::dispatch(self, &mut state, instr, r, pos, of)?;
                }
                Kind::Copy(c) => {
                    pos += 1;
                    super::copy::dispatch(self, &mut state, instr, c, pos, of)?;
                }
                Kind::Workdir(w) => {
                    pos += 1;
                    super::workdir::dispatch(self, &mut state, instr, w, pos, of)?;
                }
                _ => super::meta::dispatch(self, &mut state, instr),
            }
        }
        self.done.insert(si, state);
        Ok(())
    }

    /// Expands with the variables in scope at this step.
    pub fn expand(&self, state: &StageState, word: &str, mode: Mode) -> String {
        let lookup = |n: &str| state.lookup(n);
        expand(word, &lookup, mode).0
    }

    /// Runs or reuses one step, prints it once, and appends its layer and history row.
    pub fn step(
        &mut self,
        state: &mut StageState,
        plan: StepPlan,
        work: &mut dyn FnMut(&mut Driver) -> Result<StepOutput, BuildError>,
    ) -> Result<(), BuildError> {
        let slot = format!("{}#{}:{}", state.label, plan.pos, plan.instr.keyword());
        let already = self.printed.contains(&plan.key);
        let hit = !self.opts.no_cache && self.cache.get(plan.key).is_some();
        let (layer, status, reason, output) = if already || hit {
            let rec = self.cache.get(plan.key).cloned();
            let Some(rec) = rec else {
                return Err(BuildError {
                    message: "internal: cached step without a record".into(),
                    range: plan.instr.range,
                });
            };
            let status = if already && self.ran.contains(&plan.key) {
                StepStatus::Run
            } else {
                StepStatus::Cached
            };
            (rec.layer, status, None, String::new())
        } else {
            match work(self) {
                Ok(out) => {
                    let inputs = out.inputs.unwrap_or_else(|| plan.inputs.clone());
                    let why = if self.opts.no_cache {
                        MissReason::NoCache
                    } else if state.head_ran {
                        MissReason::ParentReran
                    } else {
                        reason::explain(
                            plan.instr.keyword(),
                            &inputs,
                            self.cache.last_inputs(&slot),
                        )
                    };
                    self.cache.insert(
                        plan.key,
                        StepRecord {
                            layer: out.layer.clone(),
                            built_in: self.cache.builds,
                        },
                    );
                    self.cache.set_key_inputs(plan.key, inputs);
                    self.ran.insert(plan.key);
                    (out.layer, StepStatus::Run, Some(why.text()), out.output)
                }
                Err(e) => {
                    let output = std::mem::take(&mut self.failed_output);
                    self.print(
                        state,
                        &plan,
                        StepStatus::Error,
                        Some(e.message.clone()),
                        0,
                        output,
                    );
                    return Err(e);
                }
            }
        };
        self.cache.set_slot_key(slot, plan.key);
        if !already {
            self.print(state, &plan, status, reason, layer.size, output);
            self.printed.insert(plan.key);
        }
        state.head_ran = status == StepStatus::Run;
        state.key = plan.key;
        state.layers.push(layer.clone());
        if state.layers.len() > MAX_LAYERS {
            // An overlay mount stacks at most this many lower layers (Docker/containerd: "max
            // depth exceeded"); it also bounds the work a runaway Dockerfile can ask for.
            return Err(BuildError { message: format!("failed to solve: max depth exceeded ({} layers; an image can have at most {MAX_LAYERS})", state.layers.len()), range: plan.instr.range });
        }
        if let Some(created_by) = plan.created_by {
            state.push_row(created_by, Some(layer), Some(plan.instr.start_line));
        }
        Ok(())
    }

    pub fn print(
        &mut self,
        state: &StageState,
        plan: &StepPlan,
        status: StepStatus,
        reason: Option<String>,
        size: u64,
        output: String,
    ) {
        let stage = self
            .graph
            .stages
            .get(state.index)
            .map_or_else(|| state.label.clone(), |st| self.graph.step_label(st));
        self.report.steps.push(StepReport {
            stage,
            stage_index: state.index,
            instruction: plan.instr.keyword().to_string(),
            text: plan.text.clone(),
            status,
            reason,
            range: plan.instr.range,
            start_line: plan.instr.start_line,
            end_line: plan.instr.end_line,
            pos: plan.pos,
            of: plan.of,
            size,
            output,
        });
    }
}

/// The base's ONBUILD triggers: BuildKit runs them first in the stage that builds on it and
/// clears `Config.OnBuild` (dockerfile2llb `dispatchOnBuildTriggers`). Their spans point at the
/// FROM that pulled them in.
fn onbuild_triggers(state: &mut StageState, from: &Instruction) -> Vec<Instruction> {
    if state.config.on_build.is_empty() {
        return Vec::new();
    }
    let text = std::mem::take(&mut state.config.on_build).join("\n");
    let lowered = instructions::lower(&crate::syntax::parse(&text));
    lowered
        .instructions
        .into_iter()
        .filter(|i| !matches!(i.kind, Kind::From(_) | Kind::Onbuild(_)))
        .map(|mut i| {
            i.range = from.range;
            i.start_line = from.start_line;
            i.end_line = from.end_line;
            i
        })
        .collect()
}

/// `[i/n]`: n counts FROM (image-based stages), RUN, COPY, ADD and WORKDIR.
fn step_count(stage: &stages::Stage) -> usize {
    let from = usize::from(matches!(stage.base, stages::Base::Image(_)));
    from + stage
        .instructions
        .iter()
        .filter(|i| matches!(i.kind, Kind::Run(_) | Kind::Copy(_) | Kind::Workdir(_)))
        .count()
}

/// The text BuildKit prints for a step: the instruction's logical line trimmed (its heredoc
/// bodies are not part of it), expanded as one word, then the part before the first space
/// upper-cased (convert.go `uppercaseCmd(processCmdEnv(shlex, c.String(), env))`;
/// instructions/parse.go `newWithNameAndCode`: `code = TrimSpace(original)`). So whitespace
/// inside the line is printed as written (`RUN    echo two` prints so). RUN expands with raw
/// quotes and unset variables left as written (`dispatchRun`: `RawQuotes`, `SkipUnsetEnv`);
/// COPY/ADD/WORKDIR with the stage's lexer: quotes removed (`<<"EOF"` prints as `<<EOF`,
/// buildkit-truth bk_heredoc_run_copy), unset variables empty.
pub fn print_text(d: &Driver, state: &StageState, instr: &Instruction) -> String {
    print_text_with(d, state, instr, "")
}

/// [`print_text`] with `suffix` appended to the line before it is expanded.
pub fn print_text_with(
    d: &Driver,
    state: &StageState,
    instr: &Instruction,
    suffix: &str,
) -> String {
    let code = format!(
        "{}{suffix}",
        instr.original.lines().next().unwrap_or("").trim()
    );
    let mode = match instr.kind {
        Kind::Run(_) => Mode::Print,
        _ => Mode::Word,
    };
    let expanded = d.expand(state, &code, mode);
    match expanded.split_once(' ') {
        Some((kw, rest)) => format!("{} {rest}", kw.to_ascii_uppercase()),
        None => expanded.to_ascii_uppercase(),
    }
}

fn image_report(state: StageState) -> ImageReport {
    let layers: Vec<LayerReport> = state
        .row_layers
        .iter()
        .map(|l| LayerReport {
            size: l.size,
            entries: l.entries.clone(),
        })
        .collect();
    let size = state
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.size)
        .sum();
    let layer_count = state.history.iter().filter(|h| !h.empty_layer).count();
    ImageReport {
        size,
        layer_count,
        history: state.history,
        layers,
        config: state.config,
        stage: state.label,
        notes: BTreeMap::new(),
    }
}
