//! Benchmark of the playground in headless Chromium (a separate command, not a timed test):
//! types 200 characters, one key at a time, into moby's 649-line Dockerfile and reports the
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
        if name.ends_with(".wasm") || (name.ends_with(".js") && name.starts_with("layerlab-app")) {
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
        tokio::time::sleep(Duration::from_millis(500)).await;
        // Type into a comment line near the middle, so every key changes the text but not the
        // build's meaning (a realistic "edit in a big file").
        find::js(
            &c,
            "const t = document.querySelector(\"[data-testid='editor']\"); t.focus(); const i = t.value.indexOf('\\n', t.value.length >> 1); t.setSelectionRange(i, i); window.layerlabLatency = {frame: [], paint: [], editor: [], build: []};",
            vec![],
        )
        .await;
        find::js(&c, "const t = document.querySelector(\"[data-testid='editor']\"); const i = t.selectionStart; return i;", vec![]).await;
        let editor = find::one(&c, "editor").await;
        editor.send_keys("\n# ").await.unwrap();
        let text: Vec<char> = "benchmark typing into a big Dockerfile: the quick brown fox jumps over the lazy dog 0123456789 ".chars().cycle().take(N_KEYS - 3).collect();
        for ch in text {
            editor.send_keys(&ch.to_string()).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let v = find::js(&c, "return window.layerlabLatency;", vec![]).await;
        let mut frame: Vec<f64> = serde_json::from_value(v["frame"].clone()).unwrap_or_default();
        let mut paint: Vec<f64> = serde_json::from_value(v["paint"].clone()).unwrap_or_default();
        frame.sort_by(f64::total_cmp);
        paint.sort_by(f64::total_cmp);
        let steps = find::all(&c, "step").await.len();
        let rows = find::all(&c, "layer-row").await.len();
        println!("keystrokes: {N_KEYS} (samples: {} frames, {} paints); view: {steps} steps, {rows} layer rows", frame.len(), paint.len());
        println!(
            "input → first frame with the result: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            percentile(&frame, 0.5),
            percentile(&frame, 0.95),
            frame.last().copied().unwrap_or(f64::NAN)
        );
        println!("input → after that frame was painted: p50 {:.1} ms, p95 {:.1} ms", percentile(&paint, 0.5), percentile(&paint, 0.95));
        // Where a frame's time goes (app/src/latency.rs `timed`): the rest is rendering.
        for part in ["editor", "build"] {
            let mut ms: Vec<f64> = serde_json::from_value(v[part].clone()).unwrap_or_default();
            ms.sort_by(f64::total_cmp);
            println!("  of which {part}: p50 {:.1} ms, p95 {:.1} ms ({} runs)", percentile(&ms, 0.5), percentile(&ms, 0.95), ms.len());
        }
    })
    .await;
}
