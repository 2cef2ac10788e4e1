//! The list of problems in the Dockerfile (parser, lowering and build), each a button that
//! moves the editor's caret to it.

use crate::state::{AppState, Jump};
use leptos::prelude::*;

/// The diagnostics list under the editor.
#[component]
pub fn DiagnosticsList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let items = move || state.editor.with(|e| e.diagnostics.clone());
    view! {
        <div class="diagnostics" aria-live="polite">
            <Show when=move || state.editor.with(|e| !e.diagnostics.is_empty())>
                <h3 class="small">{move || format!("Problems ({})", state.editor.with(|e| e.diagnostics.len()))}</h3>
            </Show>
            <ul class="diag-list">
                <For each=items key=|d| (d.start16, d.code.clone(), d.message.clone(), d.line) let:d>
                    <li
                        data-testid="diagnostic"
                        data-line=d.line.to_string()
                        data-severity=d.severity.as_str()
                        data-code=d.code.clone()
                        class=format!("diag diag-{}", d.severity.as_str())
                    >
                        <button
                            class="link"
                            on:click=move |_| state.jump.set(Some(Jump { start16: d.start16, end16: d.end16, line: d.line }))
                            aria-label=format!("Go to line {}", d.line)
                        >
                            {format!("Line {}:{}", d.line, d.col)}
                        </button>
                        " "
                        <span class="sev">{d.severity.as_str()}</span>
                        " "
                        <span class="msg">{d.message.clone()}</span>
                    </li>
                </For>
            </ul>
        </div>
    }
}
