//! The Dockerfile editor: a native `<textarea>` (so typing, selection, IME, spell-off and undo
//! are the browser's own) over a highlighted overlay, with line numbers and diagnostics.
//!
//! Undo stays native: the text is never written with `value=` after mount; programmatic edits
//! (Tab, Enter auto-indent, loading an example) go through `execCommand("insertText")`, which
//! the browser records in the textarea's undo stack.

mod commands;
mod overlay;

use crate::state::AppState;
use commands::{indent, insert_text, newline_with_indent, update_caret};
use leptos::prelude::*;
use overlay::{line_height, place_below, segment_view, sev_class, squiggle_at, sync_scroll};

/// The editor pane.
#[component]
pub fn Editor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let overlay = NodeRef::<leptos::html::Div>::new();
    let gutter = NodeRef::<leptos::html::Div>::new();
    let body = NodeRef::<leptos::html::Div>::new();
    let tip = NodeRef::<leptos::html::Div>::new();
    // The messages of the underlined text under the mouse pointer.
    let hover = RwSignal::new(None::<String>);
    let caret_line = RwSignal::new(1u32);
    // After Escape, the next Tab leaves the editor (keyboard users are not trapped).
    let tab_releases = RwSignal::new(false);
    let initial = state.dockerfile.get_untracked();

    // Programmatic replacement of the whole text, through the undo stack.
    Effect::new(move |_| {
        let Some(text) = state.replace_text.get() else {
            return;
        };
        state.replace_text.set(None);
        let Some(ta) = textarea.get() else { return };
        if ta.value() == text {
            return;
        }
        let inserted = !ta.read_only() && {
            let _ = ta.focus();
            ta.select();
            insert_text(&text) && ta.value() == text
        };
        if !inserted {
            ta.set_value(&text);
        }
        ta.set_selection_range(0, 0).ok();
        ta.set_scroll_top(0);
        sync_scroll(&ta, overlay, gutter);
    });

    // Jumps from diagnostics, steps and layers.
    Effect::new(move |_| {
        let Some(j) = state.jump.get() else { return };
        let Some(ta) = textarea.get() else { return };
        let _ = ta.focus();
        let _ = ta.set_selection_range(j.start16, j.end16);
        let line_px = line_height(&ta);
        let target = ((j.line.saturating_sub(1)) as f64 * line_px
            - ta.client_height() as f64 / 3.0)
            .max(0.0);
        ta.set_scroll_top(target as i32);
        sync_scroll(&ta, overlay, gutter);
        caret_line.set(j.line);
    });

    let on_input = move |ev: leptos::ev::Event| {
        crate::latency::input_started();
        let value = event_target_value(&ev);
        state.dockerfile.set(value);
        update_caret(textarea, caret_line);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if hover.get_untracked().is_some() {
            hover.set(None);
        }
        let Some(ta) = textarea.get() else { return };
        if ta.read_only() || ev.is_composing() {
            return;
        }
        let modified = ev.ctrl_key() || ev.meta_key() || ev.alt_key();
        match ev.key().as_str() {
            "Escape" => tab_releases.set(true),
            "Tab" if !modified && !tab_releases.get_untracked() => {
                ev.prevent_default();
                indent(&ta, ev.shift_key());
            }
            "Tab" => {}
            "Enter" if !modified && !ev.shift_key() => {
                ev.prevent_default();
                newline_with_indent(&ta);
            }
            _ => tab_releases.set(false),
        }
    };
    let on_scroll = move |_| {
        hover.set(None);
        if let Some(ta) = textarea.get() {
            sync_scroll(&ta, overlay, gutter);
        }
    };
    // The textarea sits above the overlay, so the pointer is mapped to the overlay's text.
    let on_mousemove = move |ev: leptos::ev::MouseEvent| {
        let (Some(ov), Some(b), Some(t)) = (overlay.get(), body.get(), tip.get()) else {
            return;
        };
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let found = squiggle_at(&ov, x, y).and_then(|(line, rect)| {
            let msgs = state.editor.with_untracked(|e| {
                e.lines
                    .get(line)
                    .map(|l| l.messages.clone())
                    .filter(|m| !m.is_empty())
            })?;
            Some((msgs, rect))
        });
        match found {
            Some((msgs, rect)) => {
                place_below(&t, &b, &rect);
                if hover.get_untracked().as_deref() != Some(msgs.as_str()) {
                    hover.set(Some(msgs));
                }
            }
            None => {
                if hover.get_untracked().is_some() {
                    hover.set(None);
                }
            }
        }
    };
    let caret_info = move || {
        let line = caret_line.get();
        state.editor.with(|e| {
            e.diagnostics
                .iter()
                .filter(|d| d.line == line)
                .map(|d| format!("{} {}: {}", d.severity.as_str(), d.code, d.message))
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };

    view! {
        <section class="pane editor-pane" aria-labelledby="editor-title">
            <div class="pane-head">
                <h2 id="editor-title">"Dockerfile"</h2>
                <span class="muted small" data-testid="instruction-count">
                    {move || crate::format::count(state.editor.with(|e| e.n_instructions), "instruction")}
                </span>
            </div>
            <div class="editor" class:readonly=readonly>
                <div class="ed-gutter" aria-hidden="true">
                    <div class="ed-gutter-inner" node_ref=gutter>
                        <For
                            each=move || state.editor.with(|e| e.lines.iter().map(|l| (l.number, l.severity, l.messages.clone())).collect::<Vec<_>>())
                            key=|l| l.clone()
                            let:l
                        >
                            <div class=format!("gl {}", sev_class(l.1)) title=l.2.clone()>{l.0}</div>
                        </For>
                    </div>
                </div>
                <div class="ed-body" node_ref=body>
                    <div class="ed-overlay" aria-hidden="true">
                        <div class="ed-overlay-inner" node_ref=overlay>
                            <For each=move || state.editor.with(|e| e.lines.clone()) key=|l| l.key let:line>
                                <div class="ol">{line.segments.into_iter().map(segment_view).collect_view()}</div>
                            </For>
                        </div>
                    </div>
                    <textarea
                        class="ed-input"
                        node_ref=textarea
                        id="editor"
                        data-testid="editor"
                        aria-label="Dockerfile editor"
                        aria-describedby="editor-help"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        readonly=readonly
                        prop:value=initial
                        on:input=on_input
                        on:keydown=on_keydown
                        on:scroll=on_scroll
                        on:mousemove=on_mousemove
                        on:mouseleave=move |_| hover.set(None)
                        on:click=move |_| update_caret(textarea, caret_line)
                        on:keyup=move |_| update_caret(textarea, caret_line)
                    ></textarea>
                    <div class="ed-tip small" role="tooltip" data-testid="editor-tooltip" node_ref=tip hidden=move || hover.with(Option::is_none)>
                        {move || hover.get().unwrap_or_default()}
                    </div>
                </div>
            </div>
            <p class="ed-status small" aria-live="polite">
                <span class="muted">{move || format!("Line {}", caret_line.get())}</span>
                " "
                <span class="ed-status-msg">{caret_info}</span>
            </p>
            <p id="editor-help" class="muted small">
                {if readonly { "Read-only view." } else { "Tab indents, Shift+Tab outdents; Esc then Tab leaves the editor. Ctrl/Cmd+Enter rebuilds, Ctrl/Cmd+S copies a share link." }}
            </p>
        </section>
    }
}
