//! The cache view: every step of the build with CACHED or RUN and why it re-ran, the build
//! history strip (one entry per build whose result changed), and "fresh machine".

use crate::core_adapter::StepView;
use crate::format;
use crate::state::AppState;
use leptos::prelude::*;

/// The steps pane.
#[component]
pub fn CacheTimeline() -> impl IntoView {
    let state = expect_context::<AppState>();
    let steps = move || state.build.with(|b| b.current.steps.clone());
    let error = move || state.build.with(|b| b.current.error.clone());
    let counts = move || {
        state.build.with(|b| {
            let s = &b.current.steps;
            let real: Vec<&StepView> = s.iter().filter(|s| s.instruction != "FROM").collect();
            (
                real.iter().filter(|s| s.status == "CACHED").count(),
                real.len(),
            )
        })
    };
    view! {
        <section class="pane cache-pane" aria-labelledby="cache-title">
            <div class="pane-head">
                <h2 id="cache-title">"Build steps"</h2>
                <span
                    class="muted small"
                    title="Steps that build something; FROM lines are not counted (a base image is pulled, not built)"
                    data-testid="cache-summary"
                    data-pending=move || state.pending.get().to_string()
                >
                    {move || {
                        let (c, n) = counts();
                        let this = state.build.with(|b| b.current.build_number);
                        if !state.keep_on_pause.get() {
                            format!("{c} of {n} steps cached · build #{this} on this machine")
                        } else {
                            match state.committed.get() {
                                0 => format!("{c} of {n} steps cached · first build on this machine"),
                                k => format!("{c} of {n} steps cached · compared with build #{k}"),
                            }
                        }
                    }}
                </span>
                <label class="small" title="Off: every edit is a build, kept in the cache as `docker build` would after each change. On: only the build you pause on is kept, so a line you are still typing is never cached.">
                    <input
                        type="checkbox"
                        data-testid="keep-on-pause"
                        prop:checked=move || state.keep_on_pause.get()
                        on:change=move |ev| state.set_keep_on_pause(event_target_checked(&ev))
                    />
                    " Cache only when I pause"
                </label>
                <button
                    class="small"
                    data-testid="fresh-machine"
                    title="Forget the build cache, as on a new machine: every step runs again"
                    on:click=move |_| state.fresh_machine()
                >
                    "Fresh machine"
                </button>
            </div>
            {move || error().map(|e| {
                let line = e.line;
                view! {
                    <div class="build-error" role="alert" data-testid="build-error" data-line=line.map(|l| l.to_string()).unwrap_or_default()>
                        <strong>"Build failed"</strong>
                        {line.map(|l| view! {
                            " at "
                            <button class="link" on:click=move |_| state.jump_to_line(l)>{format!("line {l}")}</button>
                        })}
                        ": "
                        <span>{e.message}</span>
                    </div>
                }
            })}
            <ol class="steps">
                <For each=steps key=|s| (s.stage.clone(), s.line, s.text.clone(), s.status, s.reason.clone(), s.pos) let:s>
                    <StepRow step=s />
                </For>
            </ol>
            <HistoryStrip />
        </section>
    }
}

/// One step.
#[component]
fn StepRow(
    /// The step.
    step: StepView,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let line = step.line;
    let status_class = format!("step step-{}", step.status.to_ascii_lowercase());
    view! {
        <li
            data-testid="step"
            data-status=step.status
            data-line=step.line.to_string()
            data-stage=step.stage.clone()
            class=status_class
        >
            <span class="status" title=if step.status == "CACHED" { "Reused from the build cache" } else { "Executed in this build" }>
                {move || status_label(step.status, state.build.with(|b| b.current.build_number))}
            </span>
            <button class="link step-text" on:click=move |_| state.jump_to_line(line) title=format!("Line {line}")>
                {format!("{} {}", step.prefix, step.text.replace('\n', " ↵ "))}
            </button>
            {(step.size > 0).then(|| view! { <span class="muted small">{format!(" +{}", format::bytes(step.size))}</span> })}
            {step.reason.clone().map(|r| view! { <div class="reason small">{r}</div> })}
        </li>
    }
}

/// The word a learner reads: a step executed after the machine's first build re-ran, compared
/// with the previous build (`data-status` keeps the contract's `RUN`).
fn status_label(status: &'static str, build_number: u32) -> &'static str {
    match status {
        "RUN" if build_number > 1 => "RE-RUN",
        other => other,
    }
}

/// One entry per build whose result changed: how many steps ran and the image size.
#[component]
fn HistoryStrip() -> impl IntoView {
    let state = expect_context::<AppState>();
    let strip = NodeRef::<leptos::html::Ol>::new();
    // The newest build is the one to see: keep the strip scrolled to its end, unless the
    // learner scrolled back to look at older builds (then new builds do not move it).
    let follow = StoredValue::new(true);
    Effect::new(move |_| {
        state.history.track();
        if !follow.get_value() {
            return;
        }
        // After the frame's DOM update, so the new entry is measured.
        request_animation_frame(move || {
            if let Some(ol) = strip.get_untracked() {
                ol.set_scroll_left(ol.scroll_width());
            }
        });
    });
    let on_scroll = move |_| {
        if let Some(ol) = strip.get_untracked() {
            follow.set_value(ol.scroll_left() + ol.client_width() >= ol.scroll_width() - 4);
        }
    };
    view! {
        <div class="history" aria-label="Build history">
            <h3 class="small">"Build history"</h3>
            <ol class="history-strip" node_ref=strip data-testid="history-strip" on:scroll=on_scroll>
                <For each=move || state.history.get() key=|h| h.id let:h>
                    <li
                        data-testid="history-entry"
                        data-run=h.n_run.to_string()
                        class:failed=!h.ok
                        class:repeat=h.repeat
                        class:fresh=h.fresh
                        title=format!("{}Build {}: {} of {} steps ran{}", if h.fresh { "Fresh machine. " } else { "" }, h.build, h.n_run, h.n_steps, h.size.map(|s| format!(", image {}", format::bytes(s))).unwrap_or_default())
                    >
                        <span class="h-id">{format!("#{}", h.build)}</span>
                        <span class="h-run">{if h.ok { format!("{}/{} ran", h.n_run, h.n_steps) } else { "failed".to_string() }}</span>
                        <span class="h-size">{h.size.map(format::bytes).unwrap_or_default()}</span>
                    </li>
                </For>
            </ol>
        </div>
    }
}
