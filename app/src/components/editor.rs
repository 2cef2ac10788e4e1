//! The Dockerfile editor: a native `<textarea>` (so typing, selection, IME, spell-off and undo
//! are the browser's own) over a highlighted overlay, with line numbers and diagnostics.
//!
//! Undo stays native: the text is never written with `value=` after mount; programmatic edits
//! (Tab, Enter auto-indent, loading an example) go through `execCommand("insertText")`, which
//! the browser records in the textarea's undo stack.

use crate::core_adapter::{Segment, Sev};
use crate::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Spaces one Tab inserts.
const INDENT: &str = "    ";

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
                let origin = b.get_bounding_client_rect();
                let style = web_sys::HtmlElement::style(&t);
                let _ = style.set_property(
                    "left",
                    &format!("{}px", (rect.left() - origin.left()).max(0.0)),
                );
                let _ =
                    style.set_property("top", &format!("{}px", rect.bottom() - origin.top() + 2.0));
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
                    {move || format!("{} instructions", state.editor.with(|e| e.n_instructions))}
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

fn segment_view(s: Segment) -> impl IntoView {
    let mut class = s.class.to_string();
    if let Some(sev) = s.squiggle {
        class.push_str(match sev {
            Sev::Error => " sq-error",
            Sev::Warning => " sq-warning",
            Sev::Info => " sq-info",
        });
    }
    view! { <span class=class>{s.text}</span> }
}

/// The overlay line (0-based) and box of the underlined run at a viewport point, if any.
/// Every overlay line has the same height, so the line is found by arithmetic and only that
/// line's runs are measured (exact for any script, unlike column arithmetic).
fn squiggle_at(
    overlay: &web_sys::HtmlDivElement,
    x: f64,
    y: f64,
) -> Option<(usize, web_sys::DomRect)> {
    let lines = overlay.children();
    let first = lines.item(0)?.get_bounding_client_rect();
    if first.height() <= 0.0 || y < first.top() {
        return None;
    }
    let line = ((y - first.top()) / first.height()) as usize;
    let runs = lines.item(u32::try_from(line).ok()?)?.children();
    (0..runs.length())
        .filter_map(|i| runs.item(i))
        .filter(|r| r.class_name().contains("sq-"))
        .map(|r| r.get_bounding_client_rect())
        .find(|r| r.left() <= x && x < r.right() && r.top() <= y && y < r.bottom())
        .map(|r| (line, r))
}

fn sev_class(sev: Option<Sev>) -> &'static str {
    match sev {
        Some(Sev::Error) => "gl-error",
        Some(Sev::Warning) => "gl-warning",
        Some(Sev::Info) => "gl-info",
        None => "",
    }
}

/// Moves the overlay and the gutter with the textarea's scroll position (CSSOM, CSP-safe).
fn sync_scroll(
    ta: &web_sys::HtmlTextAreaElement,
    overlay: NodeRef<leptos::html::Div>,
    gutter: NodeRef<leptos::html::Div>,
) {
    let (x, y) = (ta.scroll_left(), ta.scroll_top());
    if let Some(o) = overlay.get() {
        let _ = web_sys::HtmlElement::style(&o)
            .set_property("transform", &format!("translate({}px,{}px)", -x, -y));
    }
    if let Some(g) = gutter.get() {
        let _ = web_sys::HtmlElement::style(&g)
            .set_property("transform", &format!("translateY({}px)", -y));
    }
}

fn line_height(ta: &web_sys::HtmlTextAreaElement) -> f64 {
    window()
        .get_computed_style(ta)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("line-height").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(21.0)
}

fn update_caret(textarea: NodeRef<leptos::html::Textarea>, caret_line: RwSignal<u32>) {
    let Some(ta) = textarea.get() else { return };
    let value = ta.value();
    let pos16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let pos = crate::core_adapter::utf8_offset(&value, pos16);
    let line = value.get(..pos).map_or(0, |s| s.matches('\n').count()) as u32 + 1;
    if caret_line.get_untracked() != line {
        caret_line.set(line);
    }
}

/// Inserts text at the selection as if typed (undoable); false when the browser refuses.
fn insert_text(text: &str) -> bool {
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    doc.exec_command_with_show_ui_and_value("insertText", false, text)
        .unwrap_or(false)
}

/// Tab / Shift+Tab: indent or outdent the selected lines (or insert spaces at the caret).
fn indent(ta: &web_sys::HtmlTextAreaElement, outdent: bool) {
    let value = ta.value();
    let s16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let e16 = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
    let (s, e) = (
        crate::core_adapter::utf8_offset(&value, s16),
        crate::core_adapter::utf8_offset(&value, e16),
    );
    let multi_line = value.get(s..e).is_some_and(|sel| sel.contains('\n'));
    if !outdent && !multi_line {
        insert_text(INDENT);
        return;
    }
    let line_start = value
        .get(..s)
        .and_then(|v| v.rfind('\n'))
        .map_or(0, |i| i + 1);
    let block_end = if e > s && value.get(..e).is_some_and(|v| v.ends_with('\n')) {
        e - 1
    } else {
        e
    };
    let line_end = value
        .get(block_end..)
        .and_then(|v| v.find('\n'))
        .map_or(value.len(), |i| block_end + i);
    let Some(block) = value.get(line_start..line_end) else {
        return;
    };
    let new_block: Vec<String> = block
        .split('\n')
        .map(|l| {
            if outdent {
                let n = l.len() - l.trim_start_matches(' ').len();
                if let Some(rest) = l.strip_prefix('\t') {
                    rest.to_string()
                } else {
                    l[n.min(INDENT.len())..].to_string()
                }
            } else {
                format!("{INDENT}{l}")
            }
        })
        .collect();
    let new_block = new_block.join("\n");
    if new_block == block {
        return;
    }
    let a16 = crate::core_adapter::utf16_offset(&value, line_start);
    let b16 = crate::core_adapter::utf16_offset(&value, line_end);
    let _ = ta.set_selection_range(a16, b16);
    if insert_text(&new_block) {
        let len16 = new_block.encode_utf16().count() as u32;
        let _ = ta.set_selection_range(a16, a16 + len16);
    }
}

/// Enter: a new line with the current line's indentation, one level deeper after a `\`.
fn newline_with_indent(ta: &web_sys::HtmlTextAreaElement) {
    let value = ta.value();
    let s16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let s = crate::core_adapter::utf8_offset(&value, s16);
    let line_start = value
        .get(..s)
        .and_then(|v| v.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = value.get(line_start..s).unwrap_or("");
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let continued = line.trim_end().ends_with('\\') && indent.is_empty();
    let text = format!("\n{indent}{}", if continued { INDENT } else { "" });
    if !insert_text(&text) {
        // No execCommand (very old browser): edit the value directly (that loses undo).
        let e16 = ta.selection_end().ok().flatten().unwrap_or(s16 as u32) as usize;
        let e = crate::core_adapter::utf8_offset(&value, e16).max(s);
        let new_value = format!(
            "{}{}{}",
            value.get(..s).unwrap_or(""),
            text,
            value.get(e..).unwrap_or("")
        );
        ta.set_value(&new_value);
        let caret = crate::core_adapter::utf16_offset(&new_value, s + text.len());
        let _ = ta.set_selection_range(caret, caret);
        if let Ok(ev) = web_sys::Event::new("input") {
            let _ = ta.dispatch_event(&ev);
        }
    }
}
