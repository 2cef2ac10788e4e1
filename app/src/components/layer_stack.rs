//! The image: total and estimated compressed size, layer count, dive's efficiency, the layer
//! stack (one row per `docker history` row, oldest first, bars proportional to bytes, base
//! rows collapsible), the files a clicked layer changed, and the image config.

use crate::core_adapter::{ImageView, LayerRowView, WastedPath};
use crate::format;
use crate::state::AppState;
use leptos::prelude::*;

/// The image summary and the layer stack.
#[component]
pub fn LayerStack() -> impl IntoView {
    let state = expect_context::<AppState>();
    let base_open = RwSignal::new(false);
    // The image the panes show: the current one, or the last good one (dimmed) when failing.
    let image = Memo::new(move |_| state.build.with(|b| b.shown().0.image.clone()));
    let stale = move || state.build.with(|b| b.shown().1);
    let max_size = move || {
        image.with(|i| {
            i.as_ref().map_or(1, |i| {
                i.rows.iter().map(|r| r.size).max().unwrap_or(1).max(1)
            })
        })
    };
    let rows = move || image.with(|i| i.as_ref().map(|i| i.rows.clone()).unwrap_or_default());
    let base_summary = move || {
        image.with(|i| {
            let i = i.as_ref()?;
            let base: Vec<&LayerRowView> = i.rows.iter().filter(|r| r.is_base).collect();
            (!base.is_empty()).then(|| (base.len(), base.iter().map(|r| r.size).sum::<u64>()))
        })
    };

    view! {
        <section class="pane layers-pane" class:stale=stale aria-labelledby="layers-title">
            <div class="pane-head">
                <h2 id="layers-title">"Image"</h2>
                <Show when=stale>
                    <span class="badge warn small">"last good build (the current one fails)"</span>
                </Show>
            </div>
            {move || image.get().map(|i| view! { <Summary image=i /> })}
            <Show when=move || image.with(|i| i.is_none())>
                <p class="muted">"No image yet: the build has not produced one."</p>
            </Show>
            <Show when=move || base_summary().is_some()>
                <button
                    class="base-toggle small"
                    data-testid="base-toggle"
                    aria-expanded=move || base_open.get().to_string()
                    on:click=move |_| base_open.update(|o| *o = !*o)
                >
                    {move || {
                        let (n, bytes) = base_summary().unwrap_or((0, 0));
                        format!("{} · {} {}", format::count(n, "base image row"), format::bytes(bytes), if base_open.get() { "▾ hide" } else { "▸ show" })
                    }}
                </button>
            </Show>
            <ol class="layer-stack">
                <For each=rows key=|r| (r.index, r.created_by.clone(), r.size, r.line) let:row>
                    <LayerRow row=row max=max_size base_open=base_open />
                </For>
            </ol>
            <LayerDetail image=image />
            <ImageConfig image=image />
        </section>
    }
}

/// Size, compressed estimate, layer count and efficiency.
#[component]
fn Summary(
    /// The image to describe.
    image: ImageView,
) -> impl IntoView {
    let eff = (image.efficiency * 100.0).clamp(0.0, 100.0);
    view! {
        <dl class="summary">
            <div>
                <dt>"Size"</dt>
                <dd data-testid="image-size" data-bytes=image.size.to_string()>{format::bytes(image.size)}</dd>
            </div>
            <div>
                <dt>"Compressed (est.)"</dt>
                <dd data-testid="compressed-size" data-bytes=image.compressed_estimate.to_string() title="A rough estimate of what a registry stores (gzip'd layers)">
                    {format!("≈ {}", format::bytes(image.compressed_estimate))}
                </dd>
            </div>
            <div>
                <dt>"Layers"</dt>
                <dd data-testid="layer-count" title="Layers with content; a layer's bytes come from what it leaves behind, not from the number of lines">{image.layer_count}</dd>
            </div>
            <div>
                <dt>"Efficiency"</dt>
                <dd data-testid="efficiency" data-score=format!("{:.4}", image.efficiency) title="dive's score: 100 % means no byte is stored twice">
                    {format!("{eff:.1} %")}
                </dd>
            </div>
            <div>
                <dt>"Wasted"</dt>
                <dd data-testid="wasted-bytes" data-bytes=image.wasted_bytes.to_string() title="Bytes a rewrite could reclaim: files a later layer deleted, and lower copies of files a later layer replaced">
                    {format::bytes(image.wasted_bytes)}
                </dd>
            </div>
        </dl>
        {(!image.wasted.is_empty()).then(|| {
            let top: Vec<_> = image.wasted.iter().take(5).cloned().collect();
            view! {
                <details class="wasted small" data-testid="wasted-list">
                    <summary>"Where the wasted bytes are"</summary>
                    <ul>
                        {top.into_iter().map(|w| {
                            let why = wasted_why(&w);
                            view! { <li><code>{w.path}</code>" · "{format::bytes(w.bytes)}" · "{why}</li> }
                        }).collect_view()}
                    </ul>
                </details>
            }
        })}
    }
}

/// Why a path's bytes are wasted, in words.
fn wasted_why(w: &WastedPath) -> String {
    match w.deleted_files {
        0 => format!("stored in {} layers, the image shows the last", w.copies),
        1 => "deleted by a later layer".into(),
        n => format!("{n} files deleted by a later layer"),
    }
}

/// One history row.
#[component]
fn LayerRow(
    /// The row.
    row: LayerRowView,
    /// The largest row size (the bar scale).
    max: impl Fn() -> u64 + Send + Sync + Copy + 'static,
    /// Whether base-image rows are expanded.
    base_open: RwSignal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = row.index;
    let size = row.size;
    let pct = move || {
        if size == 0 {
            0.0
        } else {
            (size as f64 / max() as f64 * 100.0).max(0.8)
        }
    };
    let selected = move || state.selected_layer.get() == Some(index);
    let is_base = row.is_base;
    let hidden = move || is_base && !base_open.get();
    let line = row.line;
    let label = short(&row.created_by);
    view! {
        <li
            data-testid="layer-row"
            data-size=row.size.to_string()
            data-empty=row.empty.to_string()
            data-line=row.line.map(|l| l.to_string()).unwrap_or_default()
            data-base=row.is_base.to_string()
            class="layer-row"
            class:empty=row.empty
            class:base=row.is_base
            class:selected=selected
            hidden=hidden
        >
            <button
                class="layer-btn"
                aria-label=format!("Layer {}: {} ({})", index + 1, label, format::bytes(size))
                aria-pressed=move || selected().to_string()
                on:click=move |_| {
                    state.selected_layer.set(if selected() { None } else { Some(index) });
                    if let Some(l) = line {
                        state.jump_to_line(l);
                    }
                }
            >
                <span class="bar-track" aria-hidden="true"><span class="bar" style:width=move || format!("{:.2}%", pct())></span></span>
                <span class="layer-size">{if row.empty { "0 B (config)".to_string() } else { format::bytes(size) }}</span>
                <span class="layer-cmd" title=row.created_by.clone()>{label.clone()}</span>
            </button>
        </li>
    }
}

/// `created_by` without BuildKit's `/bin/sh -c #(nop) ` noise, one line.
fn short(created_by: &str) -> String {
    let s = created_by
        .trim_start_matches("/bin/sh -c #(nop) ")
        .trim_start_matches("|0 ");
    let s: String = s.replace('\n', " ↵ ");
    if s.chars().count() > 140 {
        s.chars().take(140).collect::<String>() + "…"
    } else {
        s
    }
}

/// The selected layer: its instruction and the files it added, modified or removed.
#[component]
fn LayerDetail(
    /// The image the layer belongs to.
    image: Memo<Option<ImageView>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let row = move || {
        state
            .selected_layer
            .get()
            .and_then(|i| image.with(|img| img.as_ref().and_then(|img| img.rows.get(i).cloned())))
    };
    view! {
        {move || row().map(|r| view! {
            <div class="layer-detail" data-testid="layer-detail" aria-live="polite">
                <h3 class="small">{format!("Layer {} · {}", r.index + 1, format::bytes(r.size))}
                    {r.line.map(|l| format!(" · Dockerfile line {l}"))}
                    {r.is_base.then_some(" · from the base image")}
                </h3>
                <pre class="created-by">{r.created_by.clone()}</pre>
                {if r.empty {
                    view! { <p class="muted small">"This row changes only the image config (no files)."</p> }.into_any()
                } else {
                    let more = r.n_changes.saturating_sub(r.changes.len());
                    view! {
                        <ul class="changes">
                            {r.changes.into_iter().map(|c| view! {
                                <li data-testid="layer-file" data-change=c.change.as_str() class=format!("chg chg-{}", c.change.as_str())>
                                    <span class="chg-kind">{c.change.as_str()}</span>" "
                                    <code>{c.path}</code>
                                    <span class="muted">{if c.kind == "file" { format!(" {}", format::bytes(c.size)) } else { format!(" ({}{})", c.kind, if c.size > 0 { format!(", {}", format::bytes(c.size)) } else { String::new() }) }}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="muted small">{format!("… and {more} more")}</p> })}
                    }.into_any()
                }}
            </div>
        })}
    }
}

/// The image config (`docker inspect`'s Config).
#[component]
fn ImageConfig(
    /// The image whose config is shown.
    image: Memo<Option<ImageView>>,
) -> impl IntoView {
    let rows = move || image.with(|i| i.as_ref().map(|i| i.config.clone()).unwrap_or_default());
    view! {
        <Show when=move || !rows().is_empty()>
            <details class="config" open>
                <summary class="small">"Image config"</summary>
                <dl class="config-list" data-testid="image-config">
                    {move || rows().into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd><code>{v}</code></dd></div> }).collect_view()}
                </dl>
            </details>
        </Show>
    }
}
