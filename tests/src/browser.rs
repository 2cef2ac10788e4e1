//! Headless Chromium over WebDriver (chromedriver + fantoccini), started per test and always
//! torn down, even when the test body panics: a failing test must not orphan a browser
//! (../shared/toolchain.md, gotcha 7).

use fantoccini::{Client, ClientBuilder};
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// Chromium flags for this machine: headless, as root, and quiet on a closed network.
const CHROME_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

/// Runs `body` with a fresh browser profile, then closes the browser and chromedriver whatever
/// happened, and re-raises the body's panic.
pub async fn with_browser<F, Fut>(body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    with_browser_flags(&[], body).await
}

/// [`with_browser`] with extra Chromium flags (e.g. the system's colour scheme).
pub async fn with_browser_flags<F, Fut>(flags: &[&str], body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let port = free_port();
    let profile: PathBuf =
        std::env::temp_dir().join(format!("layerlab-e2e-{}-{port}", std::process::id()));
    // Chromium puts its own scratch dirs (org.chromium.Chromium.scoped_dir.*, ~100 MB each) in
    // TMPDIR and leaves them behind when it is killed: give it one we remove afterwards.
    let scratch = profile.with_extension("tmp");
    let _ = std::fs::create_dir_all(&scratch);
    let mut driver = tokio::process::Command::new(chromedriver_path())
        .arg(format!("--port={port}"))
        .env("TMPDIR", &scratch)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start chromedriver ({}): {e}; run `./dev test`, which installs it",
                chromedriver_path()
            )
        });
    let client = connect(port, &profile, flags).await;
    let res = tokio::spawn(body(client.clone())).await;
    let _ = client.close().await;
    let _ = driver.kill().await;
    // Belt and braces: anything still running with our private profile dir is ours.
    let _ = std::process::Command::new("pkill")
        .arg("-f")
        .arg(profile.as_os_str())
        .status();
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_dir_all(&scratch);
    if let Err(e) = res {
        match e.try_into_panic() {
            Ok(p) => std::panic::resume_unwind(p),
            Err(e) => panic!("browser test task failed: {e}"),
        }
    }
}

async fn connect(port: u16, profile: &std::path::Path, flags: &[&str]) -> Client {
    let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
    args.extend(flags.iter().map(|f| f.to_string()));
    args.push(format!("--user-data-dir={}", profile.display()));
    // For profiling by hand, e.g. `--trace-startup=devtools.timeline --trace-startup-file=F`.
    if let Ok(extra) = std::env::var("LAYERLAB_CHROME_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "args": args, "binary": "/usr/bin/chromium" }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last_err = String::new();
    for _ in 0..100 {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            Err(e) => last_err = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot connect to chromedriver on port {port}: {last_err}");
}
