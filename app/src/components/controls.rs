//! Build controls: build args, target stage, no-cache, image tag, and the equivalent
//! `docker build` command line (copyable).

use crate::format::shell_quote;
use crate::model::BuildSettings;
use crate::persist;
use crate::state::{AppState, NoticeLevel};
use leptos::prelude::*;

/// The command a learner would type for the same build.
pub fn docker_build_command(s: &BuildSettings, in_context: bool) -> String {
    let mut parts = vec!["docker build".to_string()];
    if !s.tag.trim().is_empty() {
        parts.push(format!("-t {}", shell_quote(s.tag.trim())));
    }
    if !s.target.trim().is_empty() {
        parts.push(format!("--target {}", shell_quote(s.target.trim())));
    }
    for (k, v) in &s.build_args {
        if !k.trim().is_empty() {
            parts.push(format!(
                "--build-arg {}",
                shell_quote(&format!("{}={v}", k.trim()))
            ));
        }
    }
    if s.no_cache {
        parts.push("--no-cache".into());
    }
    if !in_context {
        // The Dockerfile comes from outside the context directory.
        parts.push("-f ../Dockerfile".into());
    }
    parts.push(".".into());
    parts.join(" ")
}

/// The controls pane.
#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let settings = state.settings;
    let command =
        move || settings.with(|s| docker_build_command(s, state.dockerfile_in_context.get()));
    let targets = move || state.build.with(|b| b.staged().targets.clone());
    let rows =
        move || settings.with(|s| s.build_args.iter().cloned().enumerate().collect::<Vec<_>>());

    view! {
        <section class="pane controls-pane" aria-labelledby="controls-title">
            <div class="pane-head"><h2 id="controls-title">"Build"</h2></div>
            <div class="controls-grid">
                <label class="small" for="target-select">"Target stage"</label>
                <select
                    id="target-select"
                    data-testid="target-select"
                    disabled=readonly
                    on:change=move |ev| { let v = event_target_value(&ev); settings.update(|s| s.target = v) }
                    prop:value=move || settings.with(|s| s.target.clone())
                >
                    <option value="" selected=move || settings.with(|s| s.target.is_empty())>"(last stage)"</option>
                    <For
                        each=move || {
                            let mut t = targets();
                            let cur = settings.with(|s| s.target.clone());
                            if !cur.is_empty() && !t.contains(&cur) {
                                t.push(cur);
                            }
                            t
                        }
                        key=|t| t.clone()
                        let:t
                    >
                        <option value=t.clone() selected={let t = t.clone(); move || settings.with(|s| s.target == t)}>{t.clone()}</option>
                    </For>
                </select>
                <label class="small" for="image-tag">"Image tag"</label>
                <input
                    id="image-tag"
                    type="text"
                    placeholder="myapp:1.0"
                    data-testid="image-tag"
                    disabled=readonly
                    prop:value=move || settings.with(|s| s.tag.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); settings.update(|s| s.tag = v) }
                />
                <span></span>
                <label class="check small">
                    <input
                        type="checkbox"
                        data-testid="no-cache"
                        disabled=readonly
                        prop:checked=move || settings.with(|s| s.no_cache)
                        on:change=move |ev| { let v = event_target_checked(&ev); settings.update(|s| s.no_cache = v) }
                    />
                    " --no-cache (run every step)"
                </label>
            </div>
            <h3 class="small">"Build args"</h3>
            <div class="build-args">
                <For each=rows key=|(i, _)| *i let:row>
                    <BuildArgRow index=row.0 />
                </For>
                <Show when=move || !readonly>
                    <button class="small" data-testid="add-build-arg" on:click=move |_| settings.update(|s| s.build_args.push((String::new(), String::new())))>
                        "Add build arg"
                    </button>
                </Show>
            </div>
            <div class="command">
                <code data-testid="build-command">{command}</code>
                <button
                    class="small"
                    aria-label="Copy the docker build command"
                    on:click=move |_| {
                        persist::copy_to_clipboard(&command());
                        state.notify(NoticeLevel::Info, "Command copied.", None);
                    }
                >
                    "Copy"
                </button>
            </div>
        </section>
    }
}

/// One `--build-arg NAME=VALUE` row.
#[component]
fn BuildArgRow(
    /// Position of the row in the settings' build args.
    index: usize,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let readonly = state.readonly();
    let settings = state.settings;
    let get = move |name: bool| {
        settings.with(|s| {
            s.build_args
                .get(index)
                .map(|(k, v)| if name { k.clone() } else { v.clone() })
                .unwrap_or_default()
        })
    };
    let set = move |name: bool, value: String| {
        settings.update(|s| {
            if let Some(row) = s.build_args.get_mut(index) {
                if name {
                    row.0 = value;
                } else {
                    row.1 = value;
                }
            }
        })
    };
    view! {
        <div class="build-arg" data-testid="build-arg">
            <input type="text" aria-label="Build arg name" placeholder="NAME" disabled=readonly data-testid="build-arg-name"
                prop:value=move || get(true) on:input=move |ev| set(true, event_target_value(&ev)) />
            <span aria-hidden="true">"="</span>
            <input type="text" aria-label="Build arg value" placeholder="value" disabled=readonly data-testid="build-arg-value"
                prop:value=move || get(false) on:input=move |ev| set(false, event_target_value(&ev)) />
            <Show when=move || !readonly>
                <button class="small" aria-label="Remove this build arg" on:click=move |_| settings.update(|s| { if index < s.build_args.len() { s.build_args.remove(index); } })>"✕"</button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_mirrors_the_settings() {
        let s = BuildSettings {
            build_args: vec![("V".into(), "1 2".into()), ("".into(), "x".into())],
            target: "build".into(),
            no_cache: true,
            tag: "app:1".into(),
        };
        assert_eq!(
            docker_build_command(&s, true),
            "docker build -t app:1 --target build --build-arg 'V=1 2' --no-cache ."
        );
        assert_eq!(
            docker_build_command(&BuildSettings::default(), false),
            "docker build -f ../Dockerfile ."
        );
    }
}
