//! Page set-ups and reads that several end-to-end tests share: a page opened on a project, the
//! editor's text, the link "Share" makes, a build of an expected length, a notice of a level.

use crate::{action, check, find};
use fantoccini::Client;

/// `(status, line, stage)` of a build step, as [`check::steps`] returns them.
pub type Step = (String, u32, String);

/// The Dockerfile currently in the editor.
pub async fn editor_value(c: &Client) -> String {
    find::js(
        c,
        "return document.querySelector(\"[data-testid='editor']\").value;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the editor holds exactly `text` (after a restore or another tab's change).
pub async fn wait_for_editor(c: &Client, what: &str, text: &str) {
    check::until(
        c,
        what,
        |c| async move { editor_value(&c).await },
        |v| v == text,
    )
    .await;
}

/// Opens `url` (waiting for its first build) and replaces the Dockerfile with `dockerfile`.
pub async fn open_with_dockerfile(c: &Client, url: &str, dockerfile: &str) {
    action::open(c, url).await;
    action::set_dockerfile(c, dockerfile).await;
}

/// Waits until the page shows a build of exactly `count` steps and returns them.
pub async fn wait_for_steps(c: &Client, what: &str, count: usize) -> Vec<Step> {
    check::until(
        c,
        what,
        |c| async move { check::steps(&c).await },
        |s| s.len() == count,
    )
    .await
}

/// Replaces the Dockerfile and waits for its build of `count` steps.
pub async fn build_dockerfile(c: &Client, what: &str, dockerfile: &str, count: usize) -> Vec<Step> {
    action::set_dockerfile(c, dockerfile).await;
    wait_for_steps(c, what, count).await
}

/// Adds a context file through the file panel ("new path", "add", then its content).
pub async fn add_context_file(c: &Client, path: &str, content: &str) {
    find::one(c, "new-path")
        .await
        .send_keys(path)
        .await
        .unwrap();
    action::click(c, "add-file").await;
    find::one(c, "file-content")
        .await
        .send_keys(content)
        .await
        .unwrap();
}

/// Opens the context entry at `path` (file or folder) in the file editor.
pub async fn open_context_entry(c: &Client, path: &str) {
    find::with_attr(c, "context-file", "data-path", path)
        .await
        .unwrap_or_else(|| panic!("no context entry {path}"))
        .find(fantoccini::Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Renames the entry open in the file editor to `to`.
pub async fn rename_open_entry(c: &Client, to: &str) {
    let rename = find::one(c, "rename-path").await;
    rename.clear().await.unwrap();
    rename.send_keys(to).await.unwrap();
    action::click(c, "rename").await;
}

/// Clicks "Share" and returns the link it makes (once it carries a `#s=` project).
pub async fn share_link(c: &Client) -> String {
    action::click(c, "share-link").await;
    wait_for_share_url(c, "the share URL").await
}

/// Waits until the page has made a share link (by the button or Ctrl/Cmd+S) and returns it.
pub async fn wait_for_share_url(c: &Client, what: &str) -> String {
    check::until(
        c,
        what,
        |c| async move {
            find::one(&c, "share-link")
                .await
                .attr("data-url")
                .await
                .ok()
                .flatten()
                .unwrap_or_default()
        },
        |u| u.contains("#s="),
    )
    .await
}

/// Waits until a notice of `level` (`error`, `warning`, ...) is shown and returns its text.
pub async fn wait_for_notice(c: &Client, what: &str, level: &str) -> String {
    check::until(
        c,
        what,
        |c| async move { find::attrs(&c, "notice", &["data-level"]).await },
        |notices| {
            notices
                .iter()
                .any(|n| n.first().map(String::as_str) == Some(level))
        },
    )
    .await;
    match find::with_attr(c, "notice", "data-level", level).await {
        Some(notice) => notice.text().await.unwrap_or_default(),
        None => panic!("the {level} notice went away"),
    }
}

/// Waits until the page shows an image (its layer rows).
pub async fn wait_for_image(c: &Client, what: &str) {
    check::eventually(c, what, |c| async move {
        !find::all(&c, "layer-row").await.is_empty()
    })
    .await;
}

/// The iframe snippet the Embed panel shows.
pub async fn embed_snippet(c: &Client) -> String {
    find::js(
        c,
        "return document.querySelector(\"[data-testid='embed-snippet']\").value;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}
