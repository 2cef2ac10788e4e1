//! Layerlab's playground: a Dockerfile editor and what a BuildKit build would do with it.

mod core_adapter;
mod examples;

use leptos::prelude::*;

pub use core_adapter::{instruction_rows, InstructionRow};
pub use examples::DEFAULT_DOCKERFILE;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (src, set_src) = signal(DEFAULT_DOCKERFILE.to_string());
    let rows = Memo::new(move |_| instruction_rows(&src.get()));
    view! {
        <main class="layerlab">
            <header><h1>"Layerlab"</h1><p class="tagline">"A Dockerfile playground: see what BuildKit would build."</p></header>
            <label for="editor" class="pane-title">"Dockerfile"</label>
            <textarea
                id="editor"
                data-testid="editor"
                aria-label="Dockerfile"
                spellcheck="false"
                rows="14"
                prop:value=move || src.get()
                on:input=move |ev| set_src.set(event_target_value(&ev))
            ></textarea>
            <p data-testid="instruction-count">{move || format!("{} instructions", rows.get().len())}</p>
            <ol class="instructions" data-testid="instructions">
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <li data-testid="instruction" data-line=row.line.to_string()>
                        <code class="kw">{row.keyword.clone()}</code>" "<span>{row.args.clone()}</span>
                    </li>
                </For>
            </ol>
        </main>
    }
}

/// Installs the panic hook (a panic in wasm would otherwise vanish silently) and mounts the app.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
