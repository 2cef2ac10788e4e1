//! The page's state: input signals (Dockerfile, context, build settings), the Memos over core
//! results that several panes read, and small view state (selection, notices).
//!
//! Costly work lives in Memos (parse + highlight, the context walk, the simulated build), so a
//! keystroke runs each once, whatever number of panes read them (style.md house rule 15).

use crate::core_adapter::{self, BuildView, ContextView, EditorView, Engine};
use crate::model::{BuildSettings, CtxFile, Project};
use crate::url_params::ViewOptions;
use leptos::prelude::*;
use std::sync::Arc;

/// The result panes' input: the current build, and the last good one when it failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildOutcome {
    pub current: BuildView,
    /// The last successful build, shown dimmed while the current one fails.
    pub last_good: Option<Arc<BuildView>>,
}

impl BuildOutcome {
    /// The build whose image and steps the panes show: the current one, or the last good one.
    pub fn shown(&self) -> (&BuildView, bool) {
        match (&self.last_good, self.current.ok) {
            (Some(good), false) => (good.as_ref(), true),
            _ => (&self.current, false),
        }
    }

    /// The build whose stages (graph, targets) the panes show: the current one, or the last
    /// good one while the file does not parse (a build that stops there has no stages).
    pub fn staged(&self) -> &BuildView {
        match &self.last_good {
            Some(good) if self.current.stages.is_empty() => good,
            _ => &self.current,
        }
    }
}

/// A message above the workspace, with an optional action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: u32,
    pub level: NoticeLevel,
    pub text: String,
    pub action: Option<NoticeAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

impl NoticeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeLevel::Info => "info",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Error => "error",
        }
    }
}

/// What a notice's button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAction {
    /// Load the work that was autosaved before a shared link was opened.
    RestoreBackup,
    /// Another tab saved different work: load it here.
    LoadOtherTab,
    /// Another tab saved different work: keep this tab's and save it again.
    KeepThisTab,
    /// Undo a replacement of the whole project (example loaded, reset).
    Restore(Box<Project>),
}

/// A place in the Dockerfile to show: UTF-16 selection and its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    pub start16: u32,
    pub end16: u32,
    pub line: u32,
}

/// Everything the components share, handed down as one context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub dockerfile: RwSignal<String>,
    pub files: RwSignal<Vec<CtxFile>>,
    pub dockerfile_in_context: RwSignal<bool>,
    pub settings: RwSignal<BuildSettings>,
    /// Bumped by Ctrl/Cmd+Enter and "fresh machine": forces a new build of the same input.
    pub rebuild: RwSignal<u32>,
    pub editor: Memo<EditorView>,
    pub context: Memo<ContextView>,
    pub build: Memo<BuildOutcome>,
    pub history: RwSignal<Vec<crate::history::HistoryEntry>>,
    /// With "cache only when I pause": how many builds the cache has kept (the shown build is
    /// compared with the last of them); set on commits, mode switches and "fresh machine".
    pub committed: RwSignal<u32>,
    /// True while the shown build is not yet kept in the cache (the learner has not paused).
    pub pending: RwSignal<bool>,
    /// Keep only the builds the learner pauses on (false: every edit's build, like running
    /// `docker build` after each change).
    pub keep_on_pause: RwSignal<bool>,
    /// Counts builds, so a pause timer knows whether a newer build came after it was set.
    pub build_gen: StoredValue<u32>,
    pub selected_layer: RwSignal<Option<usize>>,
    pub selected_file: RwSignal<Option<String>>,
    pub notices: RwSignal<Vec<Notice>>,
    /// Set when the textarea must show a new text (example, reset, restore): the editor
    /// replaces its content through the browser's undo stack instead of `value=`.
    pub replace_text: RwSignal<Option<String>>,
    /// The last share URL produced.
    pub share_url: RwSignal<Option<String>>,
    /// The learner's earlier projects, kept aside when something replaced them (newest first;
    /// stays empty in an embed, which never touches the reader's storage).
    pub kept: RwSignal<Vec<crate::backups::Backup>>,
    /// Set to move the editor's caret (a diagnostic, a step or a layer was clicked).
    pub jump: RwSignal<Option<Jump>>,
    /// The example the project came from (its "what to try" is shown).
    pub example: RwSignal<Option<&'static str>>,
    pub engine: StoredValue<Engine, LocalStorage>,
    pub view: StoredValue<ViewOptions>,
}

impl AppState {
    pub fn new(project: Project, view: ViewOptions) -> AppState {
        let dockerfile = RwSignal::new(project.dockerfile);
        let files = RwSignal::new(project.files);
        let dockerfile_in_context = RwSignal::new(project.dockerfile_in_context);
        let settings = RwSignal::new(project.settings);
        let rebuild = RwSignal::new(0u32);
        let engine = StoredValue::new_local(Engine::new());
        let build = Memo::new(move |prev: Option<&BuildOutcome>| {
            rebuild.track();
            let in_ctx = dockerfile_in_context.get();
            let current = dockerfile.with(|df| {
                files.with(|fs| {
                    settings.with(|s| {
                        crate::latency::timed("build", || {
                            engine
                                .try_update_value(|e| e.build(df, fs, in_ctx, s))
                                .unwrap_or_default()
                        })
                    })
                })
            });
            let last_good = if current.ok {
                None
            } else {
                prev.and_then(|p| {
                    if p.current.ok {
                        Some(Arc::new(p.current.clone()))
                    } else {
                        p.last_good.clone()
                    }
                })
            };
            BuildOutcome { current, last_good }
        });
        let editor = Memo::new(move |_| {
            let extra = build.with(|b| b.current.diagnostics.clone());
            dockerfile.with(|df| {
                crate::latency::timed("editor", || core_adapter::editor_view(df, &extra))
            })
        });
        let context = Memo::new(move |_| {
            let in_ctx = dockerfile_in_context.get();
            dockerfile.with(|df| {
                files.with(|fs| core_adapter::context_view(fs, in_ctx.then_some(df.as_str())))
            })
        });
        AppState {
            dockerfile,
            files,
            dockerfile_in_context,
            settings,
            rebuild,
            editor,
            context,
            build,
            history: RwSignal::new(Vec::new()),
            committed: RwSignal::new(0),
            pending: RwSignal::new(false),
            keep_on_pause: RwSignal::new(false),
            build_gen: StoredValue::new(0),
            selected_layer: RwSignal::new(None),
            selected_file: RwSignal::new(None),
            notices: RwSignal::new(Vec::new()),
            replace_text: RwSignal::new(None),
            share_url: RwSignal::new(None),
            kept: RwSignal::new(Vec::new()),
            jump: RwSignal::new(None),
            example: RwSignal::new(None),
            engine,
            view: StoredValue::new(view),
        }
    }

    /// The project as it is now (for autosave and share links).
    pub fn project(&self) -> Project {
        Project {
            dockerfile: self.dockerfile.get_untracked(),
            files: self.files.get_untracked(),
            dockerfile_in_context: self.dockerfile_in_context.get_untracked(),
            settings: self.settings.get_untracked(),
        }
    }

    /// Tracks every input of the project (for effects that save it).
    pub fn track_project(&self) {
        self.dockerfile.track();
        self.files.track();
        self.dockerfile_in_context.track();
        self.settings.track();
    }

    /// Jumps the editor to the start of a 1-based line.
    pub fn jump_to_line(&self, line: u32) {
        let start = self.dockerfile.with_untracked(|df| {
            let mut off = 0usize;
            for (i, l) in df.split('\n').enumerate() {
                if i + 1 >= line as usize {
                    break;
                }
                off += l.len() + 1;
            }
            crate::core_adapter::utf16_offset(df, off)
        });
        self.jump.set(Some(Jump {
            start16: start,
            end16: start,
            line,
        }));
    }

    /// Replaces the whole project and offers to undo it.
    pub fn replace_project(&self, project: Project, message: impl Into<String>) {
        let before = self.project();
        self.load(project);
        if before != self.project() {
            self.notify(
                NoticeLevel::Info,
                message,
                Some(NoticeAction::Restore(Box::new(before))),
            );
        }
    }

    /// Replaces the whole project (example, restore, reset); the editor keeps undo history.
    pub fn load(&self, project: Project) {
        self.replace_text.set(Some(project.dockerfile.clone()));
        self.dockerfile.set(project.dockerfile);
        self.files.set(project.files);
        self.dockerfile_in_context
            .set(project.dockerfile_in_context);
        self.settings.set(project.settings);
        self.selected_layer.set(None);
        self.selected_file.set(None);
    }

    /// Empties the build cache: the next build runs every step, as on a new machine.
    pub fn fresh_machine(&self) {
        self.engine.update_value(|e| e.fresh_machine());
        self.committed.set(0);
        self.rebuild.update(|n| *n += 1);
    }

    /// Keeps the newest build in the cache and, when its result differs from the last entry,
    /// in the history strip.
    pub fn commit(&self) {
        // Reading the Memo brings the build up to date first (Ctrl/Cmd+Enter commits at once).
        self.build.with_untracked(|_| ());
        let kept = self
            .engine
            .try_update_value(|e| e.commit().then(|| e.committed_builds()))
            .flatten();
        self.pending.set(false);
        if let Some(n) = kept {
            self.committed.set(n);
            crate::history::record_history(*self, n);
        }
    }

    /// Switches between keeping every build and keeping only the builds paused on.
    pub fn set_keep_on_pause(&self, on_pause: bool) {
        crate::persist::store_cache_on_pause(on_pause);
        self.keep_on_pause.set(on_pause);
        self.engine.update_value(|e| e.keep_every_build(!on_pause));
        self.committed
            .set(self.engine.with_value(|e| e.committed_builds()));
        if !on_pause {
            self.pending.set(false);
        }
    }

    /// Builds again now and keeps the result (Ctrl/Cmd+Enter).
    pub fn build_now(&self) {
        self.rebuild.update(|n| *n += 1);
        self.commit();
    }

    pub fn notify(
        &self,
        level: NoticeLevel,
        text: impl Into<String>,
        action: Option<NoticeAction>,
    ) {
        let text = text.into();
        let transient = level == NoticeLevel::Info && action.is_none();
        let undoable = matches!(action, Some(NoticeAction::Restore(_)));
        let mut new_id = 0;
        self.notices.update(|ns| {
            let id = ns.iter().map(|n| n.id).max().unwrap_or(0) + 1;
            // One undo offer at a time (the newest replacement), no repeated messages.
            ns.retain(|n| {
                n.text != text && !(undoable && matches!(n.action, Some(NoticeAction::Restore(_))))
            });
            ns.push(Notice {
                id,
                level,
                text,
                action,
            });
            new_id = id;
        });
        if transient {
            // Confirmations ("link copied") go away by themselves.
            let state = *self;
            set_timeout(
                move || state.dismiss(new_id),
                std::time::Duration::from_secs(5),
            );
        }
    }

    pub fn dismiss(&self, id: u32) {
        self.notices.update(|ns| ns.retain(|n| n.id != id));
    }

    pub fn readonly(&self) -> bool {
        self.view.with_value(|v| v.readonly)
    }
}
