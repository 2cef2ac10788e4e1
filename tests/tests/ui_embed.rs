//! End-to-end: embed mode shows only the panes asked for, read-only, and touches no storage.

use layerlab_tests::browser::{with_browser, with_browser_flags};
use layerlab_tests::site::local_url;
use layerlab_tests::{action, check, find, page};

#[tokio::test(flavor = "multi_thread")]
async fn embed_mode_hides_what_it_should() {
    let url = local_url();
    with_browser(move |c| async move {
        let embed = format!(
            "{url}?embed=1&readonly=1&panes=editor,layers&theme=dark&example=apt-single-layer"
        );
        c.goto(&embed).await.unwrap();
        page::wait_for_image(&c, "the embedded image").await;
        for hidden in [
            "share-link",
            "example",
            "context-file",
            "step",
            "stage-node",
            "target-select",
            "reset",
        ] {
            assert!(
                find::all(&c, hidden).await.is_empty(),
                "{hidden} is hidden in this embed"
            );
        }
        // The rm in its own layer reclaims nothing: apt's lists (19,856,468 B after `apt-get
        // update`) are wasted, counted once (dive's CumulativeSize would count them twice).
        let wasted: u64 = find::one(&c, "wasted-bytes")
            .await
            .attr("data-bytes")
            .await
            .unwrap()
            .and_then(|b| b.parse().ok())
            .unwrap_or(0);
        assert!(
            (19_856_468..2 * 19_856_468).contains(&wasted),
            "wasted bytes {wasted}"
        );
        // The apt lists deleted file by file (`rm -rf lists/*`) make one row, named for their
        // directory, and come first.
        let list = find::js(&c, "return document.querySelector(\"[data-testid='wasted-list'] li\").textContent;", vec![]).await;
        let first = list.as_str().unwrap_or_default();
        assert!(
            first.starts_with("/var/lib/apt/lists/") && first.contains("files deleted by a later layer"),
            "{first}"
        );
        let ro = find::one(&c, "editor")
            .await
            .attr("readonly")
            .await
            .unwrap();
        assert!(ro.is_some(), "read-only editor");
        let theme = find::js(&c, "return document.documentElement.dataset.theme;", vec![]).await;
        assert_eq!(theme, serde_json::json!("dark"));
        let saved = find::js(
            &c,
            "return localStorage.getItem('layerlab:autosave');",
            vec![],
        )
        .await;
        assert_eq!(saved, serde_json::Value::Null, "an embed never autosaves");
        check::screenshot(&c, "embed-dark.png").await;

        // Click-to-load: nothing is built until the reader asks.
        c.goto(&format!("{url}?embed=1&click=1&example=go-multistage"))
            .await
            .unwrap();
        check::eventually(&c, "the cover", |c| async move {
            !find::all(&c, "click-to-load").await.is_empty()
        })
        .await;
        assert!(find::all(&c, "layer-row").await.is_empty());
        action::click(&c, "click-to-load").await;
        page::wait_for_image(&c, "the playground").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embed_code_and_the_narrow_layout() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::click(&c, "embed-code").await;
        let snippet = page::embed_snippet(&c).await;
        assert!(snippet.starts_with("<iframe src=\"") && snippet.contains("embed=1") && snippet.contains("#s="), "{snippet}");
        assert!(snippet.contains("allow=\"clipboard-write\""), "{snippet}");
        // Half a laptop screen: one column, nothing wider than the window.
        c.set_window_size(700, 900).await.unwrap();
        let overflow = find::js(&c, "return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![]).await;
        assert!(overflow.as_i64().unwrap_or(99) <= 0, "horizontal overflow: {overflow}");
        check::screenshot(&c, "narrow.png").await;
        c.set_window_size(1280, 900).await.unwrap();
        find::js(&c, "document.querySelector(\"[data-testid='theme-select']\").value='dark'; document.querySelector(\"[data-testid='theme-select']\").dispatchEvent(new Event('change'));", vec![]).await;
        check::screenshot(&c, "main-dark.png").await;
    })
    .await;
}

/// A tutorial on another origin pastes the embed code: the playground starts inside the iframe
/// and builds the project the snippet carries.
#[tokio::test(flavor = "multi_thread")]
async fn the_embed_code_works_in_a_page_on_another_origin() {
    let url = local_url();
    let host_dir = std::env::temp_dir().join(format!("layerlab-embed-host-{}", std::process::id()));
    let dir = host_dir.clone();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::open_example(&c, "cache-order").await;
        page::wait_for_image(&c, "the example's build").await;
        action::click(&c, "embed-code").await;
        let snippet = page::embed_snippet(&c).await;
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            format!("<!doctype html><html><head><title>A tutorial</title></head><body><h1>Layer caching</h1>{snippet}</body></html>"),
        )
        .unwrap();
        let host = layerlab_tests::server::StaticServer::start(&dir, "/").unwrap();
        c.goto(&host.url()).await.unwrap();
        c.enter_frame(0).await.unwrap();
        page::wait_for_image(&c, "the embedded playground's build").await;
        let origins = find::js(&c, "return [location.origin, new URL(document.referrer).origin];", vec![]).await;
        assert_ne!(origins[0], origins[1], "the frame and its page are different origins: {origins}");
        let text = find::js(&c, "return document.querySelector(\"[data-testid='editor']\").value;", vec![]).await;
        assert!(
            text.as_str().unwrap_or_default().contains("requirements.txt"),
            "the embed carries the project: {text}"
        );
        c.enter_parent_frame().await.unwrap();
        check::screenshot(&c, "embed-in-page.png").await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&host_dir);
}

/// With no theme chosen the page follows the system's colour scheme; a chosen theme wins.
#[tokio::test(flavor = "multi_thread")]
async fn the_theme_follows_the_system_until_one_is_chosen() {
    let url = local_url();
    // Blink's preferredColorScheme: 0 is dark.
    with_browser_flags(&["--blink-settings=preferredColorScheme=0"], move |c| async move {
        action::open(&c, &url).await;
        let look = "return [matchMedia('(prefers-color-scheme: dark)').matches, document.documentElement.dataset.theme || null, getComputedStyle(document.body).backgroundColor];";
        let system = find::js(&c, look, vec![]).await;
        assert_eq!(system[0], serde_json::json!(true), "the browser prefers dark: {system}");
        assert_eq!(system[1], serde_json::Value::Null, "no theme chosen: {system}");
        assert_eq!(system[2], serde_json::json!("rgb(15, 18, 24)"), "dark page: {system}");
        action::choose(&c, "theme-select", "light").await;
        let chosen = find::js(&c, look, vec![]).await;
        assert_eq!(chosen[1], serde_json::json!("light"), "{chosen}");
        assert_eq!(chosen[2], serde_json::json!("rgb(246, 247, 251)"), "light page: {chosen}");
    })
    .await;
}
