//! Layerlab's playground: a Dockerfile editor and what a BuildKit build would do with it.
//!
//! - `model.rs`: the project as plain data; `examples.rs` + `examples/`: the gallery's data;
//! - `core_adapter/`: the only code that calls `layerlab_core` (view models out);
//! - `state.rs`: signals and Memos; `history.rs`: when builds are kept, the history strip;
//! - `persist.rs`: autosave, share links, other tabs;
//! - `share_codec.rs`: lz-string-compatible link payloads; `url_params.rs`: embed options;
//! - `components/`: the panes (views only); `latency.rs`: keystroke-to-frame measurements.

#![warn(clippy::disallowed_methods)]

pub mod backups;
pub mod components;
pub mod core_adapter;
pub mod examples;
pub mod format;
pub mod history;
mod latency;
pub mod model;
pub mod persist;
pub mod share_codec;
pub mod state;
pub mod url_params;

use components::cache_timeline::CacheTimeline;
use components::context_tree::ContextTree;
use components::controls::Controls;
use components::diagnostics::DiagnosticsList;
use components::editor::Editor;
use components::gallery::{Gallery, TryThis};
use components::layer_stack::LayerStack;
use components::share::{share, Header, Notices};
use components::stage_graph::StageGraph;
use leptos::prelude::*;
use state::AppState;
use url_params::ViewOptions;

pub use examples::default_dockerfile;

/// The whole page, configured from the address (embed options, shared link).
#[component]
pub fn App() -> impl IntoView {
    let view_opts = ViewOptions::from_query(&window().location().search().unwrap_or_default());
    let boot = persist::boot(&view_opts);
    let theme = view_opts
        .theme
        .map(|t| t.as_str().to_string())
        .or_else(persist::stored_theme);
    persist::apply_theme(theme.as_deref());
    let embed = view_opts.embed;
    let click_to_load = view_opts.click_to_load;
    let autosave_start = boot.autosave;
    let state = AppState::new(boot.project, view_opts.clone());
    if let Some(id) = view_opts
        .example
        .as_deref()
        .and_then(examples::by_id)
        .map(|e| e.id)
    {
        if !boot.from_link {
            state.example.set(Some(id));
        }
    }
    for (level, text, action) in boot.notices {
        state.notify(level, text, action);
    }
    if persist::stored_cache_on_pause() {
        state.set_keep_on_pause(true);
    }
    if !embed {
        state.kept.set(persist::load_backups());
    }
    provide_context(state);
    persist::install(state, autosave_start);
    history::keep_builds(state);
    install_shortcuts(state);
    let loaded = RwSignal::new(!click_to_load);
    let shows = move |pane: &str| state.view.with_value(|v| v.shows(pane));

    view! {
        <div class="layerlab" class:embed=embed>
            {(!embed).then(|| view! { <Header /> })}
            <Notices />
            <Show
                when=move || loaded.get()
                fallback=move || view! {
                    <div class="click-to-load">
                        <pre class="preview">{state.dockerfile.get_untracked()}</pre>
                        <button data-testid="click-to-load" on:click=move |_| loaded.set(true)>"Load the playground"</button>
                    </div>
                }
            >
                <TryThis />
                <main class="workspace">
                    <div class="col col-input">
                        {shows("editor").then(|| view! { <Editor /><DiagnosticsList /> })}
                        {shows("controls").then(|| view! { <Controls /> })}
                        {shows("context").then(|| view! { <ContextTree /> })}
                    </div>
                    <div class="col col-output">
                        {shows("layers").then(|| view! { <LayerStack /> })}
                        {shows("cache").then(|| view! { <CacheTimeline /> })}
                        {shows("stages").then(|| view! { <StageGraph /> })}
                    </div>
                </main>
                {shows("gallery").then(|| view! { <Gallery /> })}
            </Show>
            {embed.then(|| view! {
                <footer class="embed-foot small">
                    <a href=persist::share_url(&state.project()) target="_blank" rel="noopener">"Open in Layerlab"</a>
                </footer>
            })}
        </div>
    }
}

/// Ctrl/Cmd+S copies a share link; Ctrl/Cmd+Enter forces a rebuild.
fn install_shortcuts(state: AppState) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        match ev.key().as_str() {
            "s" | "S" => {
                ev.prevent_default();
                if !state.view.with_value(|v| v.embed) {
                    share(state);
                }
            }
            "Enter" => {
                ev.prevent_default();
                state.build_now();
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// Installs the panic hook (a panic in wasm would otherwise vanish silently) and mounts the app.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
