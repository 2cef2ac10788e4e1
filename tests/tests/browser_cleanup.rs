//! A browser test that fails must not leave Chromium running (../shared/toolchain.md, gotcha 7).

use layerlab_tests::browser::with_browser;

/// Returns the command lines of live processes whose arguments mention `needle`.
fn live_processes_with(needle: &str) -> Vec<String> {
    let mut res = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(needle) {
            res.push(cmdline);
        }
    }
    res
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_browser_test_leaves_no_chromium_behind() {
    // Every browser we start gets a profile dir named after this process.
    let needle = format!("layerlab-e2e-{}-", std::process::id());
    let inside = needle.clone();
    let joined = tokio::spawn(with_browser(|c| async move {
        c.goto("about:blank").await.unwrap();
        assert!(!live_processes_with(&inside).is_empty(), "the check must see the running browser");
        panic!("deliberate failure inside a browser test");
    }))
    .await;
    let err = joined.expect_err("the body's panic must reach the caller");
    let msg = err.into_panic();
    let msg = msg.downcast_ref::<&str>().copied().unwrap_or("");
    assert_eq!(msg, "deliberate failure inside a browser test");
    let mut left = live_processes_with(&needle);
    for _ in 0..50 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = live_processes_with(&needle);
    }
    assert!(left.is_empty(), "Chromium processes left running: {left:?}");
}
