//! Assertions that wait: the page updates after a frame, so every check polls until it holds
//! (or fails with what it last saw), and screenshots for people to look at.

use crate::find;
use crate::paths::target_dir;
use fantoccini::Client;
use std::future::Future;
use std::time::Duration;

/// Polls `cond` for up to 10 s.
pub async fn eventually<F, Fut>(c: &Client, what: &str, cond: F)
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..200 {
        if cond(c.clone()).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until `read` returns a value `ok` accepts, and returns it (fails with the last one).
pub async fn until<T, F, Fut>(c: &Client, what: &str, read: F, ok: impl Fn(&T) -> bool) -> T
where
    T: std::fmt::Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = T>,
{
    let mut last = read(c.clone()).await;
    for _ in 0..200 {
        if ok(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = read(c.clone()).await;
    }
    panic!("timed out waiting for {what}; last seen: {last:?}");
}

/// `(status, line, stage)` of every build step.
pub async fn steps(c: &Client) -> Vec<(String, u32, String)> {
    find::attrs(c, "step", &["data-status", "data-line", "data-stage"])
        .await
        .into_iter()
        .map(|v| (v[0].clone(), v[1].parse().unwrap_or(0), v[2].clone()))
        .collect()
}

/// `(size, empty)` of every layer row.
pub async fn layer_rows(c: &Client) -> Vec<(u64, bool)> {
    find::attrs(c, "layer-row", &["data-size", "data-empty"])
        .await
        .into_iter()
        .map(|v| (v[0].parse().unwrap_or(0), v[1] == "true"))
        .collect()
}

/// The image size in bytes (None while there is no image).
pub async fn image_bytes(c: &Client) -> Option<u64> {
    find::attrs(c, "image-size", &["data-bytes"])
        .await
        .first()
        .and_then(|v| v[0].parse().ok())
}

/// `(stage, built)` of every stage node.
pub async fn stage_nodes(c: &Client) -> Vec<(String, bool)> {
    find::attrs(c, "stage-node", &["data-stage", "data-built"])
        .await
        .into_iter()
        .map(|v| (v[0].clone(), v[1] == "true"))
        .collect()
}

/// CSP violations the page recorded (public/loader.js listens for them).
pub async fn csp_violations(c: &Client) -> Vec<String> {
    serde_json::from_value(
        find::js(
            c,
            "return window.layerlabCspViolations || ['loader.js did not run'];",
            vec![],
        )
        .await,
    )
    .unwrap_or_default()
}

/// Saves a PNG of the page under `<target>/screenshots/<name>`.
pub async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}
