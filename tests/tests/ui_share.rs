//! End-to-end: share links, autosave, other tabs' work, and hostile or broken links.

use layerlab_tests::browser::with_browser;
use layerlab_tests::page::{
    add_context_file, build_dockerfile, editor_value, open_with_dockerfile, share_link,
    wait_for_editor, wait_for_notice, wait_for_share_url, wait_for_steps,
};
use layerlab_tests::site::local_url;
use layerlab_tests::{action, check, find};

/// The learner's own work in the autosave tests.
const MINE: &str = "FROM alpine:3.20\nRUN echo mine > /mine\n";
const SHARED: &str = "FROM alpine:3.20\n# shared with ünïcode 🐳\nCOPY notes.txt /notes.txt\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_share_link_opens_the_same_project_in_a_fresh_browser() {
    let url = local_url();
    let link = {
        let url = url.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        with_browser(move |c| async move {
            open_with_dockerfile(&c, &url, SHARED).await;
            add_context_file(&c, "notes.txt", "remember me").await;
            tx.send(share_link(&c).await).unwrap();
        })
        .await;
        rx.recv().unwrap()
    };
    assert!(link.starts_with(&url), "{link}");
    with_browser(move |c| async move {
        action::open(&c, &link).await;
        assert_eq!(editor_value(&c).await, SHARED);
        assert!(
            find::with_attr(&c, "context-file", "data-path", "notes.txt")
                .await
                .is_some()
        );
        let steps = wait_for_steps(&c, "the shared build", 2).await;
        assert_eq!(steps[1].1, 3);
        // The link is removed from the address bar: a reload shows the autosave, not the link again.
        let href = find::js(&c, "return location.href;", vec![]).await;
        assert!(!href.as_str().unwrap_or_default().contains("#s="), "{href}");
    })
    .await;
}

/// Ctrl+S in the editor copies a share link instead of typing an "s" or saving the page.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_s_makes_the_share_link() {
    let url = local_url();
    with_browser(move |c| async move {
        open_with_dockerfile(&c, &url, MINE).await;
        // WebDriver keys: U+E009 holds Control down, U+E000 releases it.
        find::one(&c, "editor")
            .await
            .send_keys("\u{E009}s\u{E000}")
            .await
            .unwrap();
        let link = wait_for_share_url(&c, "the share URL after Ctrl+S").await;
        assert!(link.starts_with(&url), "{link}");
        assert_eq!(editor_value(&c).await, MINE, "no \"s\" was typed");
    })
    .await;
}

/// A project too big for a comfortable link still gets one, with a warning saying so.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_link_comes_with_a_warning() {
    let url = local_url();
    with_browser(move |c| async move {
        open_with_dockerfile(&c, &url, MINE).await;
        // Text that does not compress: a link of several thousand characters.
        let mut x: u32 = 12345;
        let noise: String = (0..3000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'!' + (x % 90) as u8)
            })
            .collect();
        add_context_file(&c, "noise.txt", &noise).await;
        let link = share_link(&c).await;
        assert!(link.len() > 2_000, "{}", link.len());
        let warning = wait_for_notice(&c, "the long-link warning", "warning").await;
        assert!(warning.contains("long") && warning.contains(&link.len().to_string()), "{warning}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn autosave_survives_a_reload_and_a_link_does_not_overwrite_it() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        let mine = MINE;
        build_dockerfile(&c, "my build", mine, 2).await;
        c.refresh().await.unwrap();
        action::open(&c, &url).await;
        assert_eq!(
            editor_value(&c).await,
            mine,
            "autosave restored after reload"
        );

        // Someone else's link: shown, but my work is kept aside with an offer to restore it.
        action::set_dockerfile(&c, SHARED).await;
        let link = share_link(&c).await;
        build_dockerfile(&c, "my build again", mine, 2).await;
        c.goto("about:blank").await.unwrap();
        action::open(&c, &link).await;
        assert_eq!(editor_value(&c).await, SHARED);
        let actions = check::until(
            &c,
            "the restore offer",
            |c| async move { find::all(&c, "notice-action").await.len() },
            |n| *n >= 1,
        )
        .await;
        assert!(actions >= 1);
        let notice = find::one(&c, "notice").await.text().await.unwrap();
        assert!(notice.contains("kept aside"), "{notice}");
        action::click(&c, "notice-action").await;
        wait_for_editor(&c, "my work restored", mine).await;
        check::screenshot(&c, "autosave-restored.png").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn my_work_survives_two_links_in_a_row_and_stays_restorable() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        let mine = MINE;
        let other = "FROM alpine:3.20\nRUN echo other > /other\n";
        action::set_dockerfile(&c, SHARED).await;
        let first = share_link(&c).await;
        action::set_dockerfile(&c, other).await;
        let second = share_link(&c).await;
        build_dockerfile(&c, "my build", mine, 2).await;

        // The first link keeps my work aside; I ignore the offer and open a second link, which
        // must not push my work out (the first link's project, unedited, is not kept).
        c.goto("about:blank").await.unwrap();
        action::open(&c, &first).await;
        assert_eq!(editor_value(&c).await, SHARED);
        wait_for_notice(&c, "the first link's notice", "info").await;
        c.goto("about:blank").await.unwrap();
        action::open(&c, &second).await;
        assert_eq!(editor_value(&c).await, other);

        // "Earlier work" in the header still has it, whatever notices were dismissed.
        let options = find::js(
            &c,
            "return [...document.querySelectorAll(\"[data-testid='restore-backup'] option\")].map(o => o.value + '|' + o.textContent);",
            vec![],
        )
        .await;
        let options: Vec<String> = serde_json::from_value(options).unwrap();
        assert_eq!(options.len(), 2, "the prompt and my work: {options:?}");
        assert!(options[1].starts_with("0|FROM alpine:3.20 · 2 lines · "), "{options:?}");
        action::choose(&c, "restore-backup", "0").await;
        wait_for_editor(&c, "my work restored from the list", mine).await;

        // Reset (or an example) replaces my work too: it joins the list, newest first.
        action::click(&c, "reset").await;
        check::until(
            &c,
            "the default example",
            |c| async move { editor_value(&c).await },
            |v| v != mine,
        )
        .await;
        action::choose(&c, "restore-backup", "0").await;
        wait_for_editor(&c, "my work restored after a reset", mine).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_autosave_is_reported() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        // A full storage: every write throws, as browsers do at their quota.
        find::js(
            &c,
            "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }; return 1;",
            vec![],
        )
        .await;
        action::type_at_end(&c, "\nLABEL unsaved=1").await;
        let notice = wait_for_notice(&c, "the autosave warning", "warning").await;
        assert!(notice.contains("Autosave failed"), "{notice}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_link_renders_as_text_and_a_broken_one_keeps_saved_work() {
    let url = local_url();
    let evil = "<img src=x onerror=\"window.__pwned=1\">";
    let project = serde_json::json!({
        "d": format!("FROM alpine:3.20\n# {evil}\nCOPY . /app\nLABEL x=\"{evil}\"\n"),
        "f": [{"p": format!("{evil}.txt"), "b": {"t": format!("hello {evil}")}}, {"p": "ok.txt", "b": {"t": evil}}],
        "i": false,
        "o": {"a": [[evil, evil]], "t": "", "n": false, "g": evil}
    });
    let payload = layerlab_app::share_codec::compress_to_uri(&project.to_string());
    let hostile = format!("{url}#s={payload}");
    with_browser(move |c| async move {
        action::open(&c, &hostile).await;
        let name = format!("{evil}.txt");
        let row = find::with_attr(&c, "context-file", "data-path", &name)
            .await
            .expect("the hostile file name is shown as a name");
        assert!(row.text().await.unwrap().contains(evil), "rendered as text");
        row.find(fantoccini::Locator::Css("button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let content = find::js(
            &c,
            "return document.querySelector(\"[data-testid='file-content']\").value;",
            vec![],
        )
        .await;
        assert_eq!(content.as_str(), Some(format!("hello {evil}").as_str()));
        let n_img = find::js(
            &c,
            "return document.querySelectorAll('img').length;",
            vec![],
        )
        .await;
        assert_eq!(
            n_img,
            serde_json::json!(0),
            "no element was created from the link's text"
        );
        let pwned = find::js(&c, "return window.__pwned === undefined;", vec![]).await;
        assert_eq!(pwned, serde_json::json!(true));
        check::screenshot(&c, "hostile-link.png").await;

        // A broken link: a clear message, and the saved work (this project, autosaved) is kept.
        let saved_before = find::js(
            &c,
            "return localStorage.getItem('layerlab:autosave');",
            vec![],
        )
        .await;
        c.goto("about:blank").await.unwrap();
        action::open(&c, &format!("{url}#s=NoT-a-L1nk<script>")).await;
        let text = wait_for_notice(&c, "the broken-link message", "error").await;
        assert!(
            text.contains("could not be opened") && text.contains("not changed"),
            "{text}"
        );
        let saved_after = find::js(
            &c,
            "return localStorage.getItem('layerlab:autosave');",
            vec![],
        )
        .await;
        assert_eq!(saved_before, saved_after, "saved work untouched");
        assert!(check::csp_violations(&c).await.is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_tabs_do_not_clobber_each_other_silently() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        let first = c.window().await.unwrap();
        let second = c.new_window(true).await.unwrap();
        c.switch_to_window(second.handle).await.unwrap();
        let theirs = "FROM alpine:3.20\nRUN echo from the other tab > /x\n";
        open_with_dockerfile(&c, &url, theirs).await;
        c.switch_to_window(first).await.unwrap();
        wait_for_notice(&c, "the other-tab warning", "warning").await;
        assert_ne!(
            editor_value(&c).await,
            theirs,
            "nothing changes until the learner chooses"
        );
        action::click(&c, "notice-action").await;
        wait_for_editor(&c, "the other tab's work", theirs).await;
    })
    .await;
}
