//! End-to-end: the built playground in headless Chromium, as a learner uses it.

use fantoccini::Locator;
use layerlab_tests::browser::with_browser;
use layerlab_tests::server::StaticServer;
use layerlab_tests::site::{built_site, local_url};
use layerlab_tests::{action, check, find, page};

#[tokio::test(flavor = "multi_thread")]
async fn typing_in_the_editor_updates_layers_and_cache_marks() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        // The default example is multi-stage, parsed and built by the real core.
        let n: usize = find::one(&c, "instruction-count")
            .await
            .text()
            .await
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(n >= 5, "the default example has several instructions");
        assert!(
            check::stage_nodes(&c).await.len() >= 2,
            "the default example is multi-stage"
        );
        check::screenshot(&c, "main-default.png").await;

        action::set_dockerfile(&c, "FROM alpine:3.20\nRUN echo one > /one.txt\n").await;
        let first = check::until(
            &c,
            "a two-step build",
            |c| async move { check::steps(&c).await },
            |s| s.len() == 2,
        )
        .await;
        assert_eq!(first[1].1, 2);
        let rows_before = check::layer_rows(&c).await;
        let size_before = check::image_bytes(&c).await.expect("an image");

        // Typing a new RUN, key by key: it runs, the one above is reused from the cache. (Every
        // edit is a build: a newline typed after it would find this step cached.)
        action::type_at_end(&c, "RUN echo two > /two.txt").await;
        let steps = check::until(
            &c,
            "the new step",
            |c| async move { check::steps(&c).await },
            |s| s.len() == 3,
        )
        .await;
        assert_eq!(steps[1].0, "CACHED", "{steps:?}");
        assert_eq!((steps[2].0.as_str(), steps[2].1), ("RUN", 3), "{steps:?}");
        let rows_after = check::layer_rows(&c).await;
        assert_eq!(rows_after.len(), rows_before.len() + 1);
        assert_eq!(
            rows_after.last().map(|r| r.0),
            Some(4),
            "the new layer holds \"two\\n\": {rows_after:?}"
        );
        assert!(check::image_bytes(&c).await.unwrap() > size_before);

        // Clicking a layer shows the files it changed.
        let rows = find::all(&c, "layer-row").await;
        rows.last()
            .unwrap()
            .find(Locator::Css("button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let files = check::until(
            &c,
            "the layer's files",
            |c| async move { find::attrs(&c, "layer-file", &["data-change"]).await },
            |f| !f.is_empty(),
        )
        .await;
        assert_eq!(files, vec![vec!["added".to_string()]]);
        assert!(find::one(&c, "layer-detail")
            .await
            .text()
            .await
            .unwrap()
            .contains("/two.txt"));

        // A fresh machine has no cache: every step runs again.
        action::click(&c, "fresh-machine").await;
        check::until(
            &c,
            "a cold build",
            |c| async move { check::steps(&c).await },
            |s| s.len() == 3 && s[1].0 == "RUN" && s[2].0 == "RUN",
        )
        .await;

        // A typo is a diagnostic on its line, and the build fails there, keeping the last image.
        action::type_at_end(&c, "\nRUNN oops").await;
        let diags = check::until(
            &c,
            "a diagnostic",
            |c| async move { find::attrs(&c, "diagnostic", &["data-line"]).await },
            |d| !d.is_empty(),
        )
        .await;
        assert!(diags.iter().any(|d| d[0] == "4"), "{diags:?}");
        assert!(
            !check::layer_rows(&c).await.is_empty(),
            "the last good image stays visible"
        );
        // Pointing at the underlined text shows its message over the text (the pointer is on
        // the textarea, the underline on the overlay below it).
        let tip = action::hover_first_error(&c).await;
        assert!(
            tip.to_lowercase().contains("runn"),
            "the tooltip names the unknown instruction: {tip:?}"
        );
        check::screenshot(&c, "main-error.png").await;
        assert!(
            check::csp_violations(&c).await.is_empty(),
            "CSP violations: {:?}",
            check::csp_violations(&c).await
        );
    })
    .await;
}

/// Every control a learner can reach has an accessible name (a label, aria-label(ledby), its
/// text or a title), with every pane populated and the file editor open.
#[tokio::test(flavor = "multi_thread")]
async fn every_control_has_an_accessible_name() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::open_example(&c, "cache-order").await;
        page::wait_for_image(&c, "the example's build").await;
        action::click(&c, "share-link").await;
        action::click(&c, "embed-code").await;
        find::one(&c, "context-file").await.click().await.unwrap();
        let unnamed = find::js(
            &c,
            r#"const named = el => {
                 if ((el.getAttribute('aria-label') || '').trim()) return true;
                 const by = el.getAttribute('aria-labelledby');
                 if (by && by.split(/\s+/).some(id => (document.getElementById(id)?.textContent || '').trim())) return true;
                 if (el.labels && [...el.labels].some(l => l.textContent.trim())) return true;
                 if (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) && el.textContent.trim()) return true;
                 return !!(el.title || '').trim();
               };
               const all = [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href], summary, [role=button]')];
               return [all.length, all.filter(el => !named(el)).map(el => el.outerHTML.slice(0, 160))];"#,
            vec![],
        )
        .await;
        assert!(unnamed[0].as_u64().unwrap_or(0) > 20, "the page's controls were found: {unnamed}");
        assert_eq!(unnamed[1], serde_json::json!([]), "controls without an accessible name");
    })
    .await;
}

/// Typing never moves the editor: neither a keystroke nor the error line a typo brings shifts
/// the textarea or the panes beside it.
#[tokio::test(flavor = "multi_thread")]
async fn typing_does_not_move_the_layout() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::set_dockerfile(&c, "FROM alpine:3.20\nRUN echo a > /a\n").await;
        page::wait_for_image(&c, "the first build").await;
        let rects = r#"const r = s => { const e = document.querySelector(s); if (!e) return null; const b = e.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; };
                       return [r("[data-testid='editor']"), r(".cache-pane"), r("[data-testid='instruction-count']")];"#;
        let before = find::js(&c, rects, vec![]).await;
        action::type_at_end(&c, "RUNN typo").await;
        check::until(
            &c,
            "the typo's diagnostic",
            |c| async move { find::all(&c, "diagnostic").await.len() },
            |n| *n > 0,
        )
        .await;
        let after = find::js(&c, rects, vec![]).await;
        assert_eq!(before[0], after[0], "the textarea moved or resized");
        // Its content changes (the build now fails); where it starts must not.
        assert_eq!(
            (&before[1][0], &before[1][1]),
            (&after[1][0], &after[1][1]),
            "the build steps pane moved: {before} → {after}"
        );
    })
    .await;
}

/// Typing, Tab indentation and the app's own edits stay on the browser's undo stack: Ctrl+Z
/// takes the text back step by step, and the build follows.
#[tokio::test(flavor = "multi_thread")]
async fn undo_takes_back_typing_and_indentation() {
    let url = local_url();
    with_browser(move |c| async move {
        // Non-ASCII before the edits: the app's caret and selection math is in UTF-16 units.
        const START: &str = "# 🐳 ünïcödé\nFROM alpine:3.20\nRUN echo a > /a\n";
        action::open(&c, &url).await;
        action::set_dockerfile(&c, START).await;
        action::type_at_end(&c, "RUN echo b > /b").await;
        let value = || async {
            find::js(&c, "return document.querySelector(\"[data-testid='editor']\").value;", vec![])
                .await
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(value().await, format!("{START}RUN echo b > /b"));
        // Tab at the start of the new line indents it (the app's edit, not the browser's focus move).
        find::js(&c, "const t = document.querySelector(\"[data-testid='editor']\"); const i = t.value.lastIndexOf('\\n') + 1; t.setSelectionRange(i, i);", vec![]).await;
        let editor = find::one(&c, "editor").await;
        editor.send_keys("\u{E004}").await.unwrap();
        let indented = value().await;
        assert!(indented.ends_with("\n    RUN echo b > /b") || indented.ends_with("\n\tRUN echo b > /b"), "{indented:?}");
        // Ctrl+Z (U+E009 holds Control, U+E000 releases it) until the typing is gone.
        let mut seen = Vec::new();
        for _ in 0..40 {
            let v = value().await;
            if v == START {
                break;
            }
            seen.push(v);
            editor.send_keys("\u{E009}z\u{E000}").await.unwrap();
        }
        assert_eq!(value().await, START, "undo went back through: {seen:?}");
        assert!(seen.iter().any(|v| *v == format!("{START}RUN echo b > /b")), "the indentation was undone on its own first: {seen:?}");
        check::until(
            &c,
            "the build of the undone text",
            |c| async move { check::steps(&c).await },
            |s| s.len() == 2,
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_build_loads_under_its_repository_prefix() {
    let dist = built_site("pages", "/layerlab/", "E2E_PAGES_DIST");
    let server = StaticServer::start(&dist, "/layerlab/").unwrap();
    let url = server.url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        let count = find::one(&c, "instruction-count")
            .await
            .text()
            .await
            .unwrap();
        assert_ne!(count, "0 instructions");
        assert!(c
            .find(Locator::Css("[data-testid='layer-row']"))
            .await
            .is_ok());
        assert!(check::csp_violations(&c).await.is_empty());
        check::screenshot(&c, "pages-prefix.png").await;
    })
    .await;
}
