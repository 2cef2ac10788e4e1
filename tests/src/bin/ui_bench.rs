//! Benchmark of the playground in headless Chromium (a separate command, not a timed test):
//! types 200 characters, one key at a time, into moby's 649-line Dockerfile (and into a RUN of
//! the node-multistage example, whose build succeeds and re-runs on every key) and reports the
//! keystroke-to-updated-view latency measured inside the page (app/src/latency.rs: `input`
//! event → first animation frame with the new result; and → the task after that frame was
//! painted), plus the shipped wasm + JS size, raw and gzip -9.
//!
//! `cargo run --release -p layerlab-tests --bin ui_bench` (builds the site with Trunk, or uses
//! `E2E_DIST`). Set `UI_BENCH_FILE` to benchmark another Dockerfile.

use layerlab_tests::browser::with_browser;
use layerlab_tests::paths::shared_dir;
use layerlab_tests::server::StaticServer;
use layerlab_tests::site::built_site;
use layerlab_tests::{action, check, find};
use std::path::Path;
use std::time::Duration;

const N_KEYS: usize = 200;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn gzip_size(path: &Path) -> u64 {
    let out = std::process::Command::new("gzip")
        .arg("-9")
        .arg("-c")
        .arg(path)
        .output()
        .expect("gzip");
    out.stdout.len() as u64
}

fn shipped_sizes(dist: &Path) {
    let mut raw = 0;
    let mut gz = 0;
    for entry in std::fs::read_dir(dist).expect("dist").flatten() {
        let p = entry.path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        // Every script the page loads counts: the wasm, its JS glue and the small loader.
        if name.ends_with(".wasm") || name.ends_with(".js") {
            let r = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            let g = gzip_size(&p);
            println!("  {name}: {r} B raw, {g} B gzip -9");
            raw += r;
            gz += g;
        }
    }
    println!(
        "shipped wasm+js: {raw} B raw ({:.1} KB), {gz} B gzip -9 ({:.1} KB)",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let file = std::env::var("UI_BENCH_FILE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            shared_dir().join("conformance/realworld/moby+moby__Dockerfile.Dockerfile")
        });
    let dockerfile =
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let dist = built_site("local", "/", "E2E_DIST");
    println!("site: {}", dist.display());
    shipped_sizes(&dist);
    let server = StaticServer::start(&dist, "/").expect("server");
    let url = server.url();
    println!(
        "benchmark file: {} ({} lines)",
        file.display(),
        dockerfile.lines().count()
    );
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::set_dockerfile(&c, &dockerfile).await;
        check::eventually(&c, "the big file's build", |c| async move { !find::all(&c, "step").await.is_empty() || !find::all(&c, "build-error").await.is_empty() }).await;
        action::pause(&c).await;
        // Type into a new comment line near the middle, so every key changes the text but not
        // the build's meaning (a realistic "edit in a big file").
        let caret = "t.value.indexOf('\\n', t.value.length >> 1)";
        measure(&c, "moby's Dockerfile, typing a comment", caret, "\n# ", "benchmark typing into a big Dockerfile: the quick brown fox jumps over the lazy dog 0123456789 ").await;

        // An ordinary project whose build succeeds: every key changes a RUN command, so the
        // step and everything after it are simulated again and the result panes change.
        action::open_example(&c, "node-multistage").await;
        check::eventually(&c, "the example's build", |c| async move { find::all(&c, "step").await.len() > 5 }).await;
        action::pause(&c).await;
        let caret = "t.value.indexOf('\\n', t.value.indexOf('cp src/index.js'))";
        measure(&c, "node-multistage example, typing into a RUN", caret, " ", "&& echo the quick brown fox jumps over the lazy dog 0123456789 ").await;
    })
    .await;
}

/// Puts the caret at `caret_js` (an expression over the textarea `t`), types `prefix` then
/// `text` cycled to N_KEYS keys in all, one key per WebDriver call, and prints the latency the
/// page measured.
async fn measure(c: &fantoccini::Client, label: &str, caret_js: &str, prefix: &str, text: &str) {
    find::js(
        c,
        &format!("const t = document.querySelector(\"[data-testid='editor']\"); t.focus(); const i = {caret_js}; t.setSelectionRange(i, i); window.layerlabLatency = {{frame: [], paint: [], editor: [], build: [], autosave: []}};"),
        vec![],
    )
    .await;
    let editor = find::one(c, "editor").await;
    editor.send_keys(prefix).await.unwrap();
    let keys: Vec<char> = text
        .chars()
        .cycle()
        .take(N_KEYS - prefix.chars().count())
        .collect();
    for ch in keys {
        editor.send_keys(&ch.to_string()).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let v = find::js(c, "return window.layerlabLatency;", vec![]).await;
    let sorted = |key: &str| {
        let mut ms: Vec<f64> = serde_json::from_value(v[key].clone()).unwrap_or_default();
        ms.sort_by(f64::total_cmp);
        ms
    };
    let (frame, paint) = (sorted("frame"), sorted("paint"));
    let steps = find::all(c, "step").await.len();
    let rows = find::all(c, "layer-row").await.len();
    println!("\n{label}: {N_KEYS} keystrokes ({} frames measured); view: {steps} steps, {rows} layer rows", frame.len());
    println!(
        "input → first frame with the result: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&frame, 0.5),
        percentile(&frame, 0.95),
        frame.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "input → after that frame was painted: p50 {:.1} ms, p95 {:.1} ms",
        percentile(&paint, 0.5),
        percentile(&paint, 0.95)
    );
    // Where a frame's time goes (app/src/latency.rs `timed`): the rest is rendering.
    for part in ["editor", "build", "autosave"] {
        let ms = sorted(part);
        println!(
            "  of which {part}: p50 {:.1} ms, p95 {:.1} ms ({} runs)",
            percentile(&ms, 0.5),
            percentile(&ms, 0.95),
            ms.len()
        );
    }
}
