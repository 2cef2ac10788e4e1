//! When builds are kept, and the history strip of kept builds.
//!
//! Every edit is a build kept in the cache (as `docker build` after each change); with "cache
//! only when I pause", a build is kept once the learner has paused after it. A kept build whose
//! result differs from the last entry joins the history strip.

use crate::state::AppState;
use leptos::prelude::*;
use std::time::Duration;

/// With "keep only the builds I pause on": how long the learner must pause before the newest
/// build is kept in the cache (and in the history strip): longer than the gap between
/// keystrokes, shorter than reading the result.
pub const COMMIT_PAUSE: Duration = Duration::from_millis(800);

/// One entry of the build history strip: a build whose result differed from the one before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Unique in the strip (its key).
    pub id: u32,
    /// The build's number on its machine (restarts at 1 after "fresh machine").
    pub build: u32,
    pub ok: bool,
    pub n_run: usize,
    pub n_steps: usize,
    pub size: Option<u64>,
    /// What identifies the result (to skip builds that changed nothing).
    pub signature: u64,
    /// Which steps ran (statuses by stage and position): equal for the builds of one edit
    /// typed key by key.
    pub pattern: u64,
    /// The same steps ran as in the entry before (drawn compact, so pattern changes stand out).
    pub repeat: bool,
    /// The first build after "fresh machine" (its number restarts): drawn with a divider.
    pub fresh: bool,
}

/// Records each build (every build is kept), or, with "keep only the builds I pause on",
/// commits a build once the learner has paused for [`COMMIT_PAUSE`] after it.
pub fn keep_builds(state: AppState) {
    Effect::new(move |_| {
        state.build.track();
        if !state.keep_on_pause.get_untracked() {
            record_history(state, state.engine.with_value(|e| e.committed_builds()));
            return;
        }
        state.pending.set(true);
        let gen = state.build_gen.get_value().wrapping_add(1);
        state.build_gen.set_value(gen);
        set_timeout(
            move || {
                if state.build_gen.try_get_value() == Some(gen) {
                    state.commit();
                }
            },
            COMMIT_PAUSE,
        );
    });
}

/// Adds the current build to the history strip when its result differs from the last entry.
pub(crate) fn record_history(state: AppState, build: u32) {
    let entry = state.build.with_untracked(|b| {
        let v = &b.current;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        use std::hash::{Hash, Hasher};
        v.ok.hash(&mut h);
        for s in &v.steps {
            (&s.text, s.status, &s.stage).hash(&mut h);
        }
        v.image.as_ref().map(|i| i.size).hash(&mut h);
        v.error.as_ref().map(|e| &e.message).hash(&mut h);
        let mut p = std::collections::hash_map::DefaultHasher::new();
        v.ok.hash(&mut p);
        for s in &v.steps {
            (s.status, &s.stage, s.pos).hash(&mut p);
        }
        HistoryEntry {
            id: 0,
            build,
            ok: v.ok,
            n_run: v
                .steps
                .iter()
                .filter(|s| s.status != "CACHED" && s.instruction != "FROM")
                .count(),
            n_steps: v.steps.iter().filter(|s| s.instruction != "FROM").count(),
            size: v.image.as_ref().map(|i| i.size),
            signature: h.finish(),
            pattern: p.finish(),
            repeat: false,
            fresh: false,
        }
    });
    state.history.update(|hist| {
        if hist.last().map(|l| l.signature) == Some(entry.signature) {
            return;
        }
        let id = hist.last().map_or(1, |l| l.id + 1);
        let repeat = hist.last().map(|l| l.pattern) == Some(entry.pattern);
        let fresh = hist.last().is_some_and(|l| entry.build < l.build);
        hist.push(HistoryEntry {
            id,
            repeat,
            fresh,
            ..entry
        });
        // Keep the strip readable: the last 40 builds.
        if hist.len() > 40 {
            let cut = hist.len() - 40;
            hist.drain(..cut);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Project;
    use crate::url_params::ViewOptions;

    #[test]
    fn builds_that_ran_the_same_steps_are_marked_as_repeats() {
        Owner::new().with(|| {
            let project = |df: &str| Project {
                dockerfile: df.to_string(),
                ..Project::default()
            };
            let state = AppState::new(
                project("FROM lab/busybox:1\nRUN echo a > /a\n"),
                ViewOptions::default(),
            );
            record_history(state, 1);
            // One edit typed key by key: the same step runs each time.
            for df in ["RUN echo ab > /a", "RUN echo abc > /a"] {
                state.dockerfile.set(format!("FROM lab/busybox:1\n{df}\n"));
                record_history(state, 2);
            }
            // A new step: the one above is cached now, a different pattern.
            state
                .dockerfile
                .set("FROM lab/busybox:1\nRUN echo abc > /a\nRUN echo b > /b\n".into());
            record_history(state, 3);
            let repeats: Vec<bool> = state
                .history
                .get_untracked()
                .iter()
                .map(|h| h.repeat)
                .collect();
            assert_eq!(repeats, [false, true, true, false]);
        });
    }

    #[test]
    fn the_first_build_on_a_fresh_machine_starts_a_new_run_of_numbers() {
        Owner::new().with(|| {
            let state = AppState::new(Project::default(), ViewOptions::default());
            for (df, build) in [
                ("RUN echo a > /a", 1),
                ("RUN echo b > /b", 2),
                ("RUN echo c > /c", 1),
            ] {
                state.dockerfile.set(format!("FROM lab/busybox:1\n{df}\n"));
                record_history(state, build);
            }
            let fresh: Vec<bool> = state
                .history
                .get_untracked()
                .iter()
                .map(|h| h.fresh)
                .collect();
            assert_eq!(fresh, [false, false, true]);
        });
    }
}
