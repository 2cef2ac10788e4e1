//! One simulated build per change, against a build cache that lives as long as the page (or
//! until "fresh machine"), mapped to steps, stages and the image for the result panes.

use super::context::sync_context;
use super::editor::{range_diagnostic, severity};
use super::image::image_view;
use super::{BuildView, DepKind, ErrorView, Sev, StageView, StepView};
use crate::model::{BuildSettings, CtxFile, FileBody};
use layerlab_core::build::{self, BuildOptions, CacheStore};
use layerlab_core::context::BuildContext;
use layerlab_core::{stages, LineIndex};
use std::collections::BTreeMap;

/// The simulated machine: its build cache survives between builds, as Docker's does.
#[derive(Default)]
pub struct Engine {
    /// The cache after the last committed build: what every new build is compared with.
    committed: CacheStore,
    /// The cache after the newest build, until [`Engine::commit`] keeps it.
    pending: Option<CacheStore>,
    /// Each build is kept at once (the default); false: only when [`Engine::commit`] is called.
    keep_pending: bool,
    /// The context directory on the simulated machine, edited in place between builds.
    context: BuildContext,
    /// What `context` holds, by path (to write only what changed).
    known: BTreeMap<String, FileBody>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            keep_pending: false,
            ..Engine::default()
        }
    }

    /// Whether every build is kept in the cache at once (true, the default) or only the ones
    /// [`Engine::commit`] keeps. Switching to true keeps the pending build.
    pub fn keep_every_build(&mut self, every: bool) {
        self.keep_pending = !every;
        if every {
            self.commit();
        }
    }

    /// Forgets every cached step: the next build is a cold build, as on a new machine (the
    /// context files stay: they are the learner's checkout).
    pub fn fresh_machine(&mut self) {
        self.committed = CacheStore::new();
        self.pending = None;
    }

    /// Keeps the newest build in the cache (the learner paused on it, or asked to build).
    /// False when there was nothing new to keep.
    pub fn commit(&mut self) -> bool {
        match self.pending.take() {
            Some(cache) => {
                self.committed = cache;
                true
            }
            None => false,
        }
    }

    /// How many builds the cache has kept (0 on a fresh machine).
    pub fn committed_builds(&self) -> u32 {
        self.committed.builds
    }

    /// Simulates against the committed cache, keeping the result or holding it as pending;
    /// also returns the build's number on this machine.
    fn simulate(&mut self, dockerfile: &str, options: &BuildOptions) -> (build::BuildReport, u32) {
        if !self.keep_pending {
            self.pending = None;
            let report = build::simulate(dockerfile, &self.context, options, &mut self.committed);
            return (report, self.committed.builds);
        }
        let mut trial = self.committed.clone();
        let report = build::simulate(dockerfile, &self.context, options, &mut trial);
        let n = trial.builds;
        self.pending = Some(trial);
        (report, n)
    }

    /// Builds the project once against the committed cache and describes what happened; the
    /// result replaces any earlier uncommitted build.
    pub fn build(
        &mut self,
        dockerfile: &str,
        files: &[CtxFile],
        dockerfile_in_context: bool,
        settings: &BuildSettings,
    ) -> BuildView {
        sync_context(
            &mut self.context,
            &mut self.known,
            files,
            dockerfile_in_context.then_some(dockerfile),
        );
        let options = to_options(settings);
        let (report, build_number) = self.simulate(dockerfile, &options);
        let line_index = LineIndex::new(dockerfile);
        let mut view = BuildView {
            ok: report.ok,
            build_number,
            ..BuildView::default()
        };
        view.error = report.error.as_ref().map(|e| ErrorView {
            line: (!e.range.is_empty() || e.range.start > 0)
                .then(|| line_index.line_of(e.range.start)),
            message: e.message.clone(),
        });
        for d in &report.diagnostics {
            view.diagnostics.push(range_diagnostic(
                dockerfile,
                &line_index,
                d.range,
                severity(d.severity),
                d.code,
                &d.message,
            ));
        }
        if let Some(e) = &report.error {
            if !view.diagnostics.iter().any(|d| d.message == e.message) {
                view.diagnostics.push(range_diagnostic(
                    dockerfile,
                    &line_index,
                    e.range,
                    Sev::Error,
                    "build-error",
                    &e.message,
                ));
            }
        }
        view.steps = report
            .steps
            .iter()
            .map(|s| StepView {
                // The stage's own label (as on its graph node), also where BuildKit prints none.
                stage: report
                    .graph
                    .as_deref()
                    .and_then(|g| g.stages.get(s.stage_index))
                    .map_or_else(|| s.stage.clone(), |st| st.label()),
                prefix: s.progress_prefix(),
                line: s.start_line,
                status: s.status.as_str(),
                instruction: s.instruction.clone(),
                text: s.text.clone(),
                reason: s.reason.clone(),
                pos: s.pos,
                of: s.of,
                size: s.size,
                output: s.output.clone(),
            })
            .collect();
        let graph = report.graph.as_deref();
        let final_label = report.image.as_ref().map(|i| i.stage.clone());
        let target_index = graph.map(|g| g.target);
        for info in report
            .stages_built
            .iter()
            .map(|s| (s, true))
            .chain(report.stages_not_built.iter().map(|s| (s, false)))
        {
            let (s, built) = info;
            let g = graph.and_then(|g| g.stages.iter().find(|x| x.index == s.index));
            let base = match g.map(|g| &g.base) {
                Some(stages::Base::Image(r)) => r.clone(),
                Some(stages::Base::Stage(i)) => graph
                    .and_then(|gr| gr.stages.get(*i))
                    .map(|x| x.label())
                    .unwrap_or_default(),
                None => String::new(),
            };
            let deps = g
                .map(|g| {
                    g.edges
                        .iter()
                        .map(|e| {
                            let k = match e.kind {
                                stages::EdgeKind::From => DepKind::From,
                                stages::EdgeKind::CopyFrom => DepKind::CopyFrom,
                                stages::EdgeKind::MountFrom => DepKind::MountFrom,
                            };
                            (e.to, k)
                        })
                        .collect()
                })
                .unwrap_or_default();
            view.stages.push(StageView {
                index: s.index,
                label: s.label.clone(),
                built,
                reason: s.reason.clone(),
                is_final: final_label.as_deref() == Some(s.label.as_str())
                    || (final_label.is_none() && target_index == Some(s.index)),
                base,
                deps,
                line: g.map_or(0, |g| g.from_instr.start_line),
            });
        }
        layerlab_core::sorting::sort_by_key(&mut view.stages, |s| s.index);
        view.targets = graph
            .map(|g| g.stages.iter().filter_map(|s| s.name.clone()).collect())
            .unwrap_or_default();
        view.image = report.image.as_ref().map(image_view);
        view
    }
}

fn to_options(s: &BuildSettings) -> BuildOptions {
    let mut build_args = BTreeMap::new();
    for (k, v) in &s.build_args {
        let k = k.trim();
        if !k.is_empty() {
            build_args.insert(k.to_string(), v.clone());
        }
    }
    let target = s.target.trim();
    BuildOptions {
        target: (!target.is_empty()).then(|| target.to_string()),
        build_args,
        no_cache: s.no_cache,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::CtxFile;

    #[test]
    fn a_context_edit_reruns_the_copy_and_what_follows() {
        let df = "FROM lab/busybox:1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b\n";
        let mut files = vec![CtxFile::text("a.txt", "one")];
        let mut e = Engine::new();
        let s = BuildSettings::default();
        let b1 = e.build(df, &files, false, &s);
        assert!(b1.ok, "{:?}", b1.error);
        assert!(!e.commit(), "every build is kept at once by default");
        assert!(b1
            .steps
            .iter()
            .filter(|s| s.instruction != "FROM")
            .all(|s| s.status == "RUN"));
        let b2 = e.build(df, &files, false, &s);
        assert!(
            b2.steps.iter().all(|s| s.status == "CACHED"),
            "{:?}",
            b2.steps
        );
        files[0] = CtxFile::text("a.txt", "two!");
        let b3 = e.build(df, &files, false, &s);
        let st: Vec<(&str, &str)> = b3
            .steps
            .iter()
            .map(|s| (s.instruction.as_str(), s.status))
            .collect();
        assert_eq!(
            st,
            vec![("FROM", "CACHED"), ("COPY", "RUN"), ("RUN", "RUN")]
        );
        let img = b3.image.expect("an image");
        assert!(img.size > 0);
        assert!(img.rows.iter().any(|r| r.line == Some(2) && r.size == 4));
        e.fresh_machine();
        let b4 = e.build(df, &files, false, &s);
        assert!(b4
            .steps
            .iter()
            .any(|s| s.instruction == "COPY" && s.status == "RUN"));
    }

    #[test]
    fn builds_compare_with_the_last_committed_build_only() {
        let mut e = Engine::new();
        e.keep_every_build(false);
        let s = BuildSettings::default();
        let base = "FROM lab/busybox:1\nRUN echo a > /a\n";
        assert!(e.build(base, &[], false, &s).ok);
        assert!(e.commit());
        // Typing a new RUN letter by letter: each keystroke builds, none is kept...
        for typed in ["RUN echo", "RUN echo b", "RUN echo b > /b"] {
            let b = e.build(&format!("{base}{typed}\n"), &[], false, &s);
            let st: Vec<&str> = b.steps.iter().skip(1).map(|s| s.status).collect();
            assert_eq!(st, vec!["CACHED", "RUN"], "{typed}");
            assert_eq!(b.build_number, 2, "the build being typed is build #2");
        }
        assert_eq!(e.committed_builds(), 1);
        // ...until the learner pauses: then the finished line is in the cache.
        assert!(e.commit());
        assert!(!e.commit(), "nothing new to keep");
        let b = e.build(&format!("{base}RUN echo b > /b\n"), &[], false, &s);
        assert!(
            b.steps.iter().all(|s| s.status == "CACHED"),
            "{:?}",
            b.steps
        );
        assert_eq!(e.committed_builds(), 2);
    }

    #[test]
    fn the_target_prunes_stages() {
        let df =
            "FROM lab/busybox:1 AS a\nRUN echo a > /a\nFROM lab/busybox:1 AS b\nRUN echo b > /b\n";
        let mut e = Engine::new();
        let s = BuildSettings {
            target: "a".into(),
            ..Default::default()
        };
        let b = e.build(df, &[], false, &s);
        assert!(b.ok, "{:?}", b.error);
        let built: Vec<(&str, bool)> = b
            .stages
            .iter()
            .map(|s| (s.label.as_str(), s.built))
            .collect();
        assert_eq!(built, vec![("a", true), ("b", false)]);
        assert!(b.stages[1].reason.is_some());
        assert!(b.stages[0].is_final);
        assert_eq!(b.targets, vec!["a".to_string(), "b".to_string()]);
    }
}
