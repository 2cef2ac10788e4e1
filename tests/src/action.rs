//! What a learner does on the page: open it, type, replace the Dockerfile, click, edit files.

use crate::find::{self, js};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Opens `url` and waits until the app has mounted and produced a first build.
pub async fn open(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&find::testid("editor")))
        .await
        .unwrap();
    crate::check::eventually(c, "the first build", |c| async move {
        !find::all(&c, "step").await.is_empty() || !find::all(&c, "build-error").await.is_empty()
    })
    .await;
}

/// Replaces the Dockerfile as a paste would (one input event).
pub async fn set_dockerfile(c: &Client, text: &str) {
    js(
        c,
        "const t = document.querySelector(\"[data-testid='editor']\"); t.focus(); t.select(); \
         if (!document.execCommand('insertText', false, arguments[0]) || t.value !== arguments[0]) { t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true})); } \
         return t.value.length;",
        vec![text.into()],
    )
    .await;
}

/// Types at the end of the Dockerfile, key by key.
pub async fn type_at_end(c: &Client, text: &str) {
    let editor = find::one(c, "editor").await;
    editor.click().await.unwrap();
    js(c, "const t = document.querySelector(\"[data-testid='editor']\"); t.setSelectionRange(t.value.length, t.value.length);", vec![]).await;
    editor.send_keys(text).await.unwrap();
}

/// Clicks the first element with the test id.
pub async fn click(c: &Client, id: &str) {
    find::one(c, id).await.click().await.unwrap();
}

/// Opens an example of the gallery.
pub async fn open_example(c: &Client, id: &str) {
    let card = find::with_attr(c, "example", "data-example", id)
        .await
        .unwrap_or_else(|| panic!("no example {id}"));
    card.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    crate::check::eventually(c, "the example's Dockerfile", |c| async move {
        find::one(&c, "try-this")
            .await
            .text()
            .await
            .unwrap_or_default()
            .len()
            > 10
    })
    .await;
}

/// Selects a context file in the tree and types `text` at the end of its content.
pub async fn append_to_context_file(c: &Client, path: &str, text: &str) {
    let row = find::with_attr(c, "context-file", "data-path", path)
        .await
        .unwrap_or_else(|| panic!("no context file {path}"));
    row.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let area = find::one(c, "file-content").await;
    area.click().await.unwrap();
    area.send_keys(&(Key::End.to_string())).await.unwrap();
    js(c, "const t = document.querySelector(\"[data-testid='file-content']\"); t.setSelectionRange(t.value.length, t.value.length);", vec![]).await;
    area.send_keys(text).await.unwrap();
}

/// Chooses a `--target` by its value ("" for the last stage).
pub async fn select_target(c: &Client, target: &str) {
    choose(c, "target-select", target).await;
}

/// Chooses the option with `value` in the `<select>` with test id `id`, as a learner would
/// (a `change` event follows).
pub async fn choose(c: &Client, id: &str, value: &str) {
    js(
        c,
        "const s = document.querySelector(`[data-testid='${arguments[0]}']`); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); return s.value;",
        vec![id.into(), value.into()],
    )
    .await;
}

/// Pauses like a learner who stops typing: waits until the page has kept the shown build in
/// its cache (builds are committed after a pause, app/src/state.rs `COMMIT_PAUSE`).
pub async fn pause(c: &Client) {
    crate::check::eventually(c, "the build to be kept after a pause", |c| async move {
        find::one(&c, "cache-summary")
            .await
            .attr("data-pending")
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some("false")
    })
    .await;
}

/// Moves the mouse pointer over the first run of the editor underlined as an error and returns
/// the text of the tooltip that appears ("" when none does).
pub async fn hover_first_error(c: &Client) -> String {
    let placed = js(
        c,
        "const s = document.querySelector('.ed-overlay .sq-error'); if (!s) return false; \
         const r = s.getBoundingClientRect(); \
         const t = document.querySelector(\"[data-testid='editor']\"); \
         t.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true})); \
         return true;",
        vec![],
    )
    .await;
    if placed != serde_json::Value::Bool(true) {
        return String::new();
    }
    let tip = find::one(c, "editor-tooltip").await;
    crate::check::eventually(c, "the editor tooltip", |c| async move {
        find::one(&c, "editor-tooltip")
            .await
            .is_displayed()
            .await
            .unwrap_or(false)
    })
    .await;
    tip.text().await.unwrap_or_default()
}
