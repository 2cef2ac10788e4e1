//! End-to-end: the built playground in headless Chromium, as a learner uses it.

use fantoccini::{Client, Locator};
use layerlab_tests::browser::with_browser;
use layerlab_tests::paths::target_dir;
use layerlab_tests::server::StaticServer;
use layerlab_tests::site::built_site;
use std::time::Duration;

fn by_testid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

async fn text_of(c: &Client, testid: &str) -> String {
    c.find(Locator::Css(&by_testid(testid))).await.unwrap().text().await.unwrap()
}

/// Polls until `cond` holds for the text of `testid`, or fails with what was last seen.
async fn wait_text(c: &Client, testid: &str, cond: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(&by_testid(testid))).await {
            last = e.text().await.unwrap_or_default();
            if cond(&last) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("[data-testid={testid}] never satisfied the condition; last text: {last:?}");
}

async fn save_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_in_the_editor_updates_the_parsed_instructions() {
    let dist = built_site("local", "/", "E2E_DIST");
    let server = StaticServer::start(&dist, "/").unwrap();
    let url = server.url();
    with_browser(move |c| async move {
        c.goto(&url).await.unwrap();
        c.wait().for_element(Locator::Css(&by_testid("editor"))).await.unwrap();
        // The pre-filled example is multi-stage and parsed by the real core.
        let first = wait_text(&c, "instruction-count", |t| t.ends_with("instructions")).await;
        let n: usize = first.split_whitespace().next().unwrap().parse().unwrap();
        assert!(n >= 5, "the default example should have several instructions, got {first}");
        let froms = c.find_all(Locator::Css("[data-testid='instruction'] .kw")).await.unwrap();
        let mut n_from = 0;
        for f in froms {
            if f.text().await.unwrap() == "FROM" {
                n_from += 1;
            }
        }
        assert!(n_from >= 2, "the default example is multi-stage");

        let editor = c.find(Locator::Css(&by_testid("editor"))).await.unwrap();
        editor.clear().await.unwrap();
        editor.send_keys("FROM alpine:3.20\nRUN echo hi\nCOPY . /app\n").await.unwrap();
        wait_text(&c, "instruction-count", |t| t == "3 instructions").await;
        let items = c.find_all(Locator::Css("[data-testid='instruction']")).await.unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].attr("data-line").await.unwrap().as_deref(), Some("3"));
        assert!(items[1].text().await.unwrap().contains("echo hi"));
        save_screenshot(&c, "editor-typed.png").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_build_loads_under_its_repository_prefix() {
    let dist = built_site("pages", "/layerlab/", "E2E_PAGES_DIST");
    let server = StaticServer::start(&dist, "/layerlab/").unwrap();
    let url = server.url();
    with_browser(move |c| async move {
        c.goto(&url).await.unwrap();
        c.wait().for_element(Locator::Css(&by_testid("editor"))).await.unwrap();
        let count = wait_text(&c, "instruction-count", |t| t.ends_with("instructions")).await;
        assert_ne!(count, "0 instructions");
        save_screenshot(&c, "pages-prefix.png").await;
    })
    .await;
}
