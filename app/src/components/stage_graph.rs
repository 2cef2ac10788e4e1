//! The multi-stage graph as SVG: one box per stage placed by dependency depth, arrows from the
//! stages a stage uses (`FROM`, `COPY --from`, `RUN --mount=from`), pruned stages greyed with
//! the reason, the final stage highlighted.

use crate::core_adapter::{DepKind, StageView};
use crate::state::AppState;
use leptos::prelude::*;

const BOX_W: f64 = 170.0;
const BOX_H: f64 = 46.0;
const GAP_X: f64 = 60.0;
const GAP_Y: f64 = 18.0;
const PAD: f64 = 8.0;

/// A stage with its place in the drawing.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    stage: StageView,
    x: f64,
    y: f64,
}

/// Columns by longest dependency chain (a stage sits right of everything it uses).
fn layout(stages: &[StageView]) -> Vec<Placed> {
    let mut depth = vec![0usize; stages.len()];
    // Dependencies always point to earlier stages (BuildKit refuses forward references), so
    // one pass in index order settles every depth; bounded by the number of stages.
    for (i, s) in stages.iter().enumerate() {
        let d = s
            .deps
            .iter()
            .filter_map(|(to, _)| stages.iter().position(|x| x.index == *to))
            .filter(|&p| p < i)
            .map(|p| depth[p] + 1)
            .max()
            .unwrap_or(0);
        depth[i] = d;
    }
    let mut rows_in_col: Vec<usize> = Vec::new();
    stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let col = depth[i];
            if rows_in_col.len() <= col {
                rows_in_col.resize(col + 1, 0);
            }
            let row = rows_in_col[col];
            rows_in_col[col] += 1;
            Placed {
                stage: s.clone(),
                x: PAD + col as f64 * (BOX_W + GAP_X),
                y: PAD + row as f64 * (BOX_H + GAP_Y),
            }
        })
        .collect()
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// The stages pane.
#[component]
pub fn StageGraph() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A build that fails before its stages are known (a syntax error) keeps the last graph.
    let placed = Memo::new(move |_| state.build.with(|b| layout(&b.staged().stages)));
    let size = move || {
        placed.with(|p| {
            let w = p.iter().map(|n| n.x + BOX_W).fold(0.0, f64::max) + PAD;
            let h = p.iter().map(|n| n.y + BOX_H).fold(0.0, f64::max) + PAD;
            (w.max(BOX_W + 2.0 * PAD), h.max(BOX_H + 2.0 * PAD))
        })
    };
    let edges = move || {
        placed.with(|p| {
            let mut res = Vec::new();
            for n in p {
                for (to, kind) in &n.stage.deps {
                    if let Some(src) = p.iter().find(|m| m.stage.index == *to) {
                        res.push((
                            src.x + BOX_W,
                            src.y + BOX_H / 2.0,
                            n.x,
                            n.y + BOX_H / 2.0,
                            *kind,
                            n.stage.built && src.stage.built,
                        ));
                    }
                }
            }
            res
        })
    };
    let pruned = move || {
        state.build.with(|b| {
            b.staged()
                .stages
                .iter()
                .filter(|s| !s.built)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="pane stages-pane" aria-labelledby="stages-title">
            <div class="pane-head"><h2 id="stages-title">"Stages"</h2></div>
            <div class="graph-scroll">
                <svg
                    class="stage-graph"
                    role="img"
                    aria-label="Stage graph"
                    width=move || size().0.to_string()
                    height=move || size().1.to_string()
                    viewBox=move || format!("0 0 {} {}", size().0, size().1)
                >
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"></path>
                        </marker>
                    </defs>
                    {move || edges().into_iter().map(|(x1, y1, x2, y2, kind, live)| {
                        let class = format!("edge edge-{}{}", match kind { DepKind::From => "from", DepKind::CopyFrom => "copy", DepKind::MountFrom => "mount" }, if live { "" } else { " dead" });
                        let mid = (x1 + x2) / 2.0;
                        view! { <path class=class marker-end="url(#arrow)" d=format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}")></path> }
                    }).collect_view()}
                    <For each=move || placed.get() key=|p| (p.stage.clone(), p.x as i64, p.y as i64) let:p>
                        <StageNode placed=p />
                    </For>
                </svg>
            </div>
            <p class="legend small muted">"Solid: FROM · dashed: COPY --from · dotted: RUN --mount=from. Grey stages are not built for this target."</p>
            <ul class="pruned small">
                <For each=pruned key=|s| (s.index, s.reason.clone()) let:s>
                    <li data-testid="pruned-stage" data-stage=s.label.clone()>
                        <strong>{s.label.clone()}</strong>" not built: "{s.reason.clone().unwrap_or_else(|| "not needed by the target".into())}
                    </li>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn StageNode(
    /// The stage and its position.
    placed: Placed,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = placed.stage;
    let class = format!(
        "stage-node{}{}",
        if s.built { " built" } else { " pruned" },
        if s.is_final { " final" } else { "" }
    );
    let line = s.line;
    let tip = match &s.reason {
        Some(r) => format!("{} (not built: {r})", s.label),
        None if s.is_final => format!("{}: the final stage (the image)", s.label),
        None => format!("{}: built", s.label),
    };
    let (x, y) = (placed.x, placed.y);
    let label = tip.clone();
    view! {
        <g
            data-testid="stage-node"
            data-stage=s.label.clone()
            data-built=s.built.to_string()
            data-final=s.is_final.to_string()
            class=class
            tabindex="0"
            role="button"
            aria-label=label
            on:click=move |_| { if line > 0 { state.jump_to_line(line) } }
        >
            <title>{tip}</title>
            <rect x=x.to_string() y=y.to_string() width=BOX_W.to_string() height=BOX_H.to_string() rx="6"></rect>
            <text x=(x + 10.0).to_string() y=(y + 19.0).to_string() class="stage-label">{truncate(&s.label, 20)}</text>
            <text x=(x + 10.0).to_string() y=(y + 36.0).to_string() class="stage-base">{truncate(&format!("from {}", s.base), 26)}</text>
        </g>
    }
}
