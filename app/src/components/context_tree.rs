//! The virtual build context: a tree of files and folders the learner can add, rename,
//! delete and edit (text, or only a size for binaries), with what `.dockerignore` excludes
//! greyed out, and whether the Dockerfile itself is inside the context.

use crate::core_adapter::ContextEntryView;
use crate::format;
use crate::model::{clean_path, CtxFile, FileBody};
use crate::state::AppState;
use leptos::prelude::*;

/// The context pane.
#[component]
pub fn ContextTree() -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let new_path = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let add = move |dir: bool| {
        let Some(path) = clean_path(&new_path.get_untracked()) else {
            error.set(Some("Type a path such as src/main.go (no ..).".into()));
            return;
        };
        if state
            .files
            .with_untracked(|fs| crate::model::path_taken(fs, &path, None))
        {
            error.set(Some(format!("{path} already exists, or a file is in its way.")));
            return;
        }
        let body = if dir {
            FileBody::Dir
        } else {
            FileBody::Text(String::new())
        };
        state.files.update(|fs| {
            fs.push(CtxFile {
                path: path.clone(),
                body,
            })
        });
        if !dir {
            state.selected_file.set(Some(path));
        }
        new_path.set(String::new());
        error.set(None);
    };

    view! {
        <section class="pane context-pane" aria-labelledby="context-title">
            <div class="pane-head">
                <h2 id="context-title">"Build context"</h2>
                <span class="muted small">
                    {move || state.context.with(|c| format!("{} sent · {}", format::count(c.sent_files, "file"), format::bytes(c.sent_bytes)))}
                </span>
            </div>
            <label class="check small">
                <input
                    type="checkbox"
                    data-testid="dockerfile-in-context"
                    disabled=readonly
                    prop:checked=move || state.dockerfile_in_context.get()
                    on:change=move |ev| state.dockerfile_in_context.set(event_target_checked(&ev))
                />
                " The Dockerfile is inside the context ("<code>"docker build ."</code>")"
            </label>
            <Show when=move || state.context.with(|c| c.dockerfile_excluded)>
                <p class="muted small">".dockerignore excludes the Dockerfile: BuildKit still reads it, but COPY does not see it."</p>
            </Show>
            <Show when=move || state.context.with(|c| c.ignore_error.is_some())>
                <p class="error small" role="alert">{move || state.context.with(|c| c.ignore_error.clone().unwrap_or_default())}</p>
            </Show>
            <ul class="tree" role="list">
                <For each=move || state.context.with(|c| c.entries.clone()) key=|e| (e.path.clone(), e.excluded, e.size, e.is_dir) let:entry>
                    <TreeRow entry=entry />
                </For>
            </ul>
            <Show when=move || !readonly>
                <div class="tree-add">
                    <input
                        type="text"
                        aria-label="New file or folder path"
                        placeholder="path/to/file"
                        data-testid="new-path"
                        prop:value=move || new_path.get()
                        on:input=move |ev| new_path.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { add(false) }
                    />
                    <button on:click=move |_| add(false) data-testid="add-file">"Add file"</button>
                    <button on:click=move |_| add(true) data-testid="add-folder">"Add folder"</button>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="error small" role="alert">{move || error.get().unwrap_or_default()}</p>
                </Show>
            </Show>
            <FileEditor />
        </section>
    }
}

/// One row of the tree.
#[component]
fn TreeRow(
    /// The entry to show.
    entry: ContextEntryView,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let path = entry.path.clone();
    let is_dockerfile = state.dockerfile_in_context.get_untracked() && path == "Dockerfile";
    let selected = {
        let p = path.clone();
        move || state.selected_file.get().as_deref() == Some(p.as_str())
    };
    let select = {
        let p = path.clone();
        move |_| {
            if !is_dockerfile {
                state.selected_file.set(Some(p.clone()));
            }
        }
    };
    let title = if entry.excluded {
        format!("{} (excluded by .dockerignore)", entry.path)
    } else {
        entry.path.clone()
    };
    view! {
        <li
            data-testid="context-file"
            data-path=entry.path.clone()
            data-excluded=entry.excluded.to_string()
            data-dir=entry.is_dir.to_string()
            class=format!("tree-row depth-{}", entry.depth.min(8))
            class:excluded=entry.excluded
            class:selected=selected
        >
            <button class="tree-name" on:click=select title=title aria-label=format!("Open {}", entry.path)>
                <span class="icon" aria-hidden="true">{if entry.is_dir { "▸ " } else { "· " }}</span>
                {entry.name.clone()}
                {entry.is_dir.then_some("/")}
                {is_dockerfile.then_some(" (this Dockerfile)")}
            </button>
            <span class="muted small size">{(!entry.is_dir).then(|| format::bytes(entry.size))}</span>
            {entry.excluded.then(|| view! { <span class="badge small">"ignored"</span> })}
        </li>
    }
}

/// Editing the selected file: text, or a size; rename and delete.
#[component]
fn FileEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let rename_to = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    // What kind of entry is selected (0 text, 1 sized, 2 folder): the editor below is rebuilt
    // only when this changes, never per keystroke (it would lose focus).
    let kind = Memo::new(move |_| {
        let p = state.selected_file.get()?;
        state.files.with(|fs| {
            fs.iter().find(|f| f.path == p).map(|f| match f.body {
                FileBody::Text(_) => (p.clone(), 0u8),
                FileBody::Sized(_) => (p.clone(), 1),
                FileBody::Dir => (p.clone(), 2),
            })
        })
    });
    let body_untracked = move || {
        state.selected_file.get_untracked().and_then(|p| {
            state
                .files
                .with_untracked(|fs| fs.iter().find(|f| f.path == p).map(|f| f.body.clone()))
        })
    };
    let size_now = move || {
        state
            .selected_file
            .get()
            .and_then(|p| {
                state
                    .files
                    .with(|fs| fs.iter().find(|f| f.path == p).map(|f| f.body.size()))
            })
            .unwrap_or(0)
    };
    Effect::new(move |_| rename_to.set(state.selected_file.get().unwrap_or_default()));

    let set_body = move |body: FileBody| {
        let Some(p) = state.selected_file.get_untracked() else {
            return;
        };
        state.files.update(|fs| {
            if let Some(f) = fs.iter_mut().find(|f| f.path == p) {
                f.body = body;
            }
        });
    };
    let rename = move |_| {
        let Some(from) = state.selected_file.get_untracked() else {
            return;
        };
        let Some(to) = clean_path(&rename_to.get_untracked()) else {
            message.set(Some("Type a valid path (no ..).".into()));
            return;
        };
        if to == from {
            return;
        }
        let prefix = format!("{from}/");
        if state
            .files
            .with_untracked(|fs| crate::model::path_taken(fs, &to, Some(&from)))
        {
            message.set(Some(format!("{to} already exists, or a file is in its way.")));
            return;
        }
        state.files.update(|fs| {
            for f in fs.iter_mut() {
                if f.path == from {
                    f.path = to.clone();
                } else if let Some(rest) = f.path.strip_prefix(&prefix) {
                    f.path = format!("{to}/{rest}");
                }
            }
        });
        state.selected_file.set(Some(to));
        message.set(None);
    };
    let delete = move |_| {
        let Some(p) = state.selected_file.get_untracked() else {
            return;
        };
        state.files.update(|fs| {
            fs.retain(|f| !layerlab_core::fs::path::is_within(&f.path, &p))
        });
        state.selected_file.set(None);
    };

    view! {
        <Show when=move || state.selected_file.get().is_some()>
            <div class="file-editor" data-testid="file-editor">
                <div class="row">
                    <input
                        type="text"
                        aria-label="File path"
                        data-testid="rename-path"
                        disabled=readonly
                        prop:value=move || rename_to.get()
                        on:input=move |ev| rename_to.set(event_target_value(&ev))
                    />
                    <Show when=move || !readonly>
                        <button on:click=rename data-testid="rename">"Rename"</button>
                        <button on:click=delete data-testid="delete" class="danger">"Delete"</button>
                    </Show>
                    <button on:click=move |_| state.selected_file.set(None) aria-label="Close the file editor">"Close"</button>
                </div>
                {move || match kind.get().map(|k| k.1) {
                    Some(0) => {
                        let text = match body_untracked() { Some(FileBody::Text(t)) => t, _ => String::new() };
                        view! {
                            <div>
                                <textarea
                                    class="file-text"
                                    data-testid="file-content"
                                    aria-label="File content"
                                    spellcheck="false"
                                    readonly=readonly
                                    prop:value=text
                                    on:input=move |ev| set_body(FileBody::Text(event_target_value(&ev)))
                                ></textarea>
                                <Show when=move || !readonly>
                                    <button class="small" data-testid="use-size" on:click=move |_| set_body(FileBody::Sized(1024))>"Give a size instead of text"</button>
                                </Show>
                            </div>
                        }.into_any()
                    }
                    Some(1) => {
                        let n = body_untracked().map_or(0, |b| b.size());
                        view! {
                            <div class="row">
                                <label class="small">"Size in bytes "
                                    <input
                                        type="number"
                                        min="0"
                                        data-testid="file-size"
                                        aria-label="File size in bytes"
                                        disabled=readonly
                                        prop:value=n.to_string()
                                        on:input=move |ev| {
                                            if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                                                set_body(FileBody::Sized(v.min(crate::model::MAX_SIZED_BYTES)));
                                            }
                                        }
                                    />
                                </label>
                                <span class="muted small">{move || format::bytes(size_now())}</span>
                                <Show when=move || !readonly>
                                    <button class="small" on:click=move |_| set_body(FileBody::Text(String::new()))>"Edit as text"</button>
                                </Show>
                            </div>
                        }.into_any()
                    }
                    Some(_) => view! { <p class="muted small">"A folder. Add files under it with the path box above."</p> }.into_any(),
                    None => view! { <p class="muted small">"A folder that exists because files are inside it (or an entry the Dockerfile setting adds)."</p> }.into_any(),
                }}
                <Show when=move || message.get().is_some()>
                    <p class="error small" role="alert">{move || message.get().unwrap_or_default()}</p>
                </Show>
            </div>
        </Show>
    }
}
