//! The examples gallery: each example loads a Dockerfile and its context, and shows what to try.

use crate::examples;
use crate::state::AppState;
use leptos::prelude::*;

/// The gallery pane.
#[component]
pub fn Gallery() -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let all = examples::all();
    view! {
        <section class="pane gallery-pane" id="gallery" aria-labelledby="gallery-title">
            <div class="pane-head"><h2 id="gallery-title">"Examples"</h2></div>
            <ul class="gallery">
                {all.into_iter().map(|ex| {
                    let id = ex.id;
                    let title = ex.title.clone();
                    view! {
                        <li class="example-card" data-testid="example" data-example=id class:current=move || state.example.get() == Some(id)>
                            <h3>{ex.title.clone()}</h3>
                            <p class="topic small">{ex.topic.clone()}</p>
                            <p class="small">{ex.try_text.clone()}</p>
                            <button
                                disabled=readonly
                                aria-label=format!("Open the example: {}", ex.title)
                                on:click=move |_| {
                                    if let Some(ex) = examples::by_id(id) {
                                        crate::persist::replace_project(state, ex.project(), format!("Opened the example “{title}”."));
                                        state.example.set(Some(id));
                                    }
                                }
                            >
                                "Open"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The "what to try" of the example the project came from.
#[component]
pub fn TryThis() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ex = move || state.example.get().and_then(examples::by_id);
    view! {
        {move || ex().map(|ex| view! {
            <aside class="try-this" data-testid="try-this" aria-label="What to try">
                <strong>{ex.title}": "</strong>
                <span>{ex.try_text}</span>
                <button class="link small" aria-label="Hide the tip" on:click=move |_| state.example.set(None)>"✕"</button>
            </aside>
        })}
    }
}
