//! The header tools: share link (URL in the fragment, compressed), embed code, theme, reset,
//! and the notices (link opened, other tab, long link, errors) with their actions.

use crate::backups;
use crate::examples;
use crate::persist::{self, AutosavePause};
use crate::state::{AppState, NoticeAction, NoticeLevel};
use crate::url_params::{html_attr_escape, ViewOptions};
use leptos::prelude::*;

/// Produces the share link for the current project, copies it and reports a long link.
pub fn share(state: AppState) {
    let url = persist::share_url(&state.project());
    persist::copy_to_clipboard(&url);
    let n = url.len();
    state.share_url.set(Some(url));
    if n > persist::LONG_LINK {
        state.notify(
            NoticeLevel::Warning,
            format!("Link copied, but it is long ({n} characters): some chat and mail apps cut links over {} characters. Fewer or smaller context files make it shorter.", persist::LONG_LINK),
            None,
        );
    } else {
        state.notify(
            NoticeLevel::Info,
            "Share link copied to the clipboard.",
            None,
        );
    }
}

/// The iframe snippet that embeds the current project.
pub fn embed_code(state: AppState, readonly: bool, click_to_load: bool) -> String {
    let opts = ViewOptions {
        embed: true,
        readonly,
        click_to_load,
        ..ViewOptions::from_query("embed=1")
    };
    let src = format!(
        "{}?{}#s={}",
        persist::page_base(),
        opts.embed_query(),
        persist::encode_project(&state.project())
    );
    format!(
        // clipboard-write: the embed's copy buttons work from another origin only if allowed.
        "<iframe src=\"{}\" title=\"Layerlab: Dockerfile playground\" width=\"100%\" height=\"560\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>",
        html_attr_escape(&src)
    )
}

/// The header with the page's tools.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let theme = RwSignal::new(
        state
            .view
            .with_value(|v| v.theme.map(|t| t.as_str().to_string()))
            .or_else(persist::stored_theme)
            .unwrap_or_default(),
    );
    let embed_open = RwSignal::new(false);
    let embed_ro = RwSignal::new(true);
    let embed_click = RwSignal::new(false);
    let embed_text = move || {
        embed_open.track();
        state.track_project();
        embed_code(state, embed_ro.get(), embed_click.get())
    };
    let kept = state.kept;
    let restore_kept = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return;
        };
        let chosen = select.value().parse::<usize>().ok();
        // The select is a menu: it shows its prompt again after each choice.
        select.set_value("");
        if let Some(b) = chosen.and_then(|i| kept.with_untracked(|k| k.get(i).cloned())) {
            persist::replace_project(state, b.project, "Your earlier work was restored.");
        }
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <h1>"Layerlab"</h1>
                <p class="tagline muted small">"A Dockerfile playground: what BuildKit would build, in your browser."</p>
            </div>
            <nav class="tools" aria-label="Page tools">
                <button
                    data-testid="share-link"
                    data-url=move || state.share_url.get().unwrap_or_default()
                    title="Copy a link to this project (Ctrl/Cmd+S)"
                    on:click=move |_| share(state)
                >
                    "Share link"
                </button>
                <button data-testid="embed-code" aria-expanded=move || embed_open.get().to_string() on:click=move |_| embed_open.update(|o| *o = !*o)>"Embed"</button>
                <button
                    data-testid="gallery-link"
                    on:click=move |_| {
                        if let Some(el) = document().get_element_by_id("gallery") {
                            el.scroll_into_view();
                        }
                    }
                >
                    "Examples"
                </button>
                <button
                    data-testid="reset"
                    title="Start again from the default example (can be undone)"
                    on:click=move |_| {
                        persist::replace_project(state, examples::default_example().project(), "The playground was reset.");
                        state.example.set(Some(examples::default_example().id));
                    }
                >
                    "Reset"
                </button>
                <Show when=move || kept.with(|k| !k.is_empty())>
                    <select class="small restore" aria-label="Restore earlier work" title="Your work, kept aside when a link, an example or Reset replaced it" data-testid="restore-backup" on:change=restore_kept>
                        <option value="">"Earlier work…"</option>
                        {move || {
                            let now = js_sys::Date::now();
                            kept.with(|k| k.iter().enumerate().map(|(i, b)| view! { <option value=i.to_string()>{backups::label(b, now)}</option> }).collect_view())
                        }}
                    </select>
                </Show>
                <label class="small theme">
                    <span class="visually-hidden">"Theme"</span>
                    <select
                        aria-label="Colour theme"
                        data-testid="theme-select"
                        prop:value=move || theme.get()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let t = (!v.is_empty()).then_some(v.as_str());
                            persist::store_theme(t);
                            persist::apply_theme(t);
                            theme.set(v);
                        }
                    >
                        <option value="">"Theme: system"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                    </select>
                </label>
            </nav>
        </header>
        <Show when=move || state.share_url.get().is_some()>
            <div class="share-out">
                <label class="small" for="share-url">"Share link"</label>
                <input id="share-url" readonly data-testid="share-url" prop:value=move || state.share_url.get().unwrap_or_default() on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { t.select(); }
                } />
                <span class="muted small">{move || format!("{} characters", state.share_url.get().map_or(0, |u| u.len()))}</span>
            </div>
        </Show>
        <Show when=move || embed_open.get()>
            <div class="embed-out">
                <label class="check small"><input type="checkbox" prop:checked=move || embed_ro.get() on:change=move |ev| embed_ro.set(event_target_checked(&ev)) />" read-only"</label>
                <label class="check small"><input type="checkbox" prop:checked=move || embed_click.get() on:change=move |ev| embed_click.set(event_target_checked(&ev)) />" click to load"</label>
                <textarea readonly class="embed-text" aria-label="Embed code" data-testid="embed-snippet" prop:value=embed_text></textarea>
                <button class="small" on:click=move |_| { persist::copy_to_clipboard(&embed_text()); state.notify(NoticeLevel::Info, "Embed code copied.", None); }>"Copy embed code"</button>
            </div>
        </Show>
    }
}

/// The notices, newest last, each dismissable.
#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pause = use_context::<AutosavePause>();
    let act = move |id: u32, action: NoticeAction| {
        match action {
            NoticeAction::RestoreBackup => {
                if let Some(p) = persist::load_backup() {
                    persist::replace_project(state, p, "Your earlier work was restored.");
                }
            }
            NoticeAction::LoadOtherTab => {
                if let Some(p) = persist::load_autosave() {
                    state.load(p);
                }
                if let Some(AutosavePause(p)) = pause {
                    p.set(false);
                }
            }
            NoticeAction::KeepThisTab => {
                if let Some(AutosavePause(p)) = pause {
                    p.set(false);
                }
                persist::save_autosave(&state.project());
            }
            NoticeAction::Restore(p) => state.load(*p),
        }
        state.dismiss(id);
    };
    view! {
        <div class="notices" aria-live="polite">
            <For each=move || state.notices.get() key=|n| n.id let:n>
                <div class=format!("notice notice-{}", n.level.as_str()) data-testid="notice" data-level=n.level.as_str() role=if n.level == NoticeLevel::Error { "alert" } else { "status" }>
                    <span>{n.text.clone()}</span>
                    {n.action.clone().map(|a| {
                        let label = match &a {
                            NoticeAction::RestoreBackup => "Restore my work",
                            NoticeAction::LoadOtherTab => "Load the other tab's work",
                            NoticeAction::KeepThisTab => "Keep this tab's work",
                            NoticeAction::Restore(_) => "Undo",
                        };
                        let id = n.id;
                        let other_tab = matches!(a, NoticeAction::LoadOtherTab);
                        view! {
                            <button class="small" data-testid="notice-action" on:click=move |_| act(id, a.clone())>{label}</button>
                            {other_tab.then(|| view! { <button class="small" on:click=move |_| act(id, NoticeAction::KeepThisTab)>"Keep this tab's work"</button> })}
                        }
                    })}
                    <button class="link small" aria-label="Dismiss" on:click={let id = n.id; move |_| state.dismiss(id)}>"✕"</button>
                </div>
            </For>
        </div>
    }
}
