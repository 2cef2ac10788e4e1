//! End-to-end: the build context and the target, as a learner changes them.

use layerlab_tests::browser::with_browser;
use layerlab_tests::site::local_url;
use layerlab_tests::{action, check, find, page};

/// Runs the script `body` with `s` bound to the build history strip.
async fn on_history_strip(c: &fantoccini::Client, body: &str) -> serde_json::Value {
    let script =
        format!("const s = document.querySelector(\"[data-testid='history-strip']\"); {body}");
    find::js(c, &script, vec![]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn editing_a_context_file_reruns_exactly_the_steps_that_use_it() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::open_example(&c, "cache-order").await;
        // FROM, WORKDIR, COPY requirements.txt, RUN pip install, COPY . . (lines 1, 2, 4, 5, 7).
        check::until(
            &c,
            "the example's build",
            |c| async move { check::steps(&c).await },
            |s| s.len() == 5 && s.iter().any(|x| x.1 == 7),
        )
        .await;
        // A new project runs its steps; after a pause they are in the cache. Then edit the code.
        let fresh = find::attrs(&c, "step", &["data-status"]).await;
        assert!(
            fresh.iter().any(|s| s[0] == "RUN"),
            "a new project runs its steps: {fresh:?}"
        );
        action::pause(&c).await;
        action::append_to_context_file(&c, "app.py", "\n# edited\n").await;
        let steps = check::until(
            &c,
            "a rebuild after the edit",
            |c| async move { check::steps(&c).await },
            |s| {
                s.iter().any(|x| x.1 == 7 && x.0 == "RUN")
                    && s.iter().filter(|x| x.0 == "CACHED").count() >= 3
            },
        )
        .await;
        let by_line: Vec<(u32, &str)> = steps.iter().map(|s| (s.1, s.0.as_str())).collect();
        assert_eq!(
            by_line,
            vec![
                (1, "CACHED"),
                (2, "CACHED"),
                (4, "CACHED"),
                (5, "CACHED"),
                (7, "RUN")
            ],
            "only COPY . . re-runs"
        );
        let reason = find::with_attr(&c, "step", "data-line", "7")
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            reason.to_lowercase().contains("app.py") || reason.to_lowercase().contains("changed"),
            "the step says why: {reason}"
        );
        assert!(
            reason.starts_with("RE-RUN"),
            "after the first build an executed step reads RE-RUN: {reason}"
        );

        // Now the requirements: the install and everything after it re-run.
        action::pause(&c).await;
        action::append_to_context_file(&c, "requirements.txt", "gunicorn==22.0.0\n").await;
        let steps = check::until(
            &c,
            "the install re-runs",
            |c| async move { check::steps(&c).await },
            |s| s.iter().any(|x| x.1 == 5 && x.0 == "RUN"),
        )
        .await;
        let by_line: Vec<(u32, &str)> = steps.iter().map(|s| (s.1, s.0.as_str())).collect();
        assert_eq!(
            by_line,
            vec![
                (1, "CACHED"),
                (2, "CACHED"),
                (4, "RUN"),
                (5, "RUN"),
                (7, "RUN")
            ]
        );
        action::pause(&c).await;
        assert!(
            find::all(&c, "history-entry").await.len() >= 3,
            "every changed result is in the history strip"
        );
        // The newest build is in view: the strip is scrolled to its end.
        check::eventually(
            &c,
            "the history strip scrolled to its newest entry",
            |c| async move {
                on_history_strip(
                    &c,
                    "return s.scrollLeft + s.clientWidth >= s.scrollWidth - 1;",
                )
                .await
                    == serde_json::Value::Bool(true)
            },
        )
        .await;
        check::screenshot(&c, "context-edit.png").await;

        // A learner who scrolled back to older builds is not pulled to the end by a new one.
        on_history_strip(&c, "s.style.maxWidth = '90px'; s.scrollLeft = 0;").await;
        let before = find::all(&c, "history-entry").await.len();
        action::append_to_context_file(&c, "requirements.txt", "flask==3.0.0\n").await;
        action::pause(&c).await;
        check::until(
            &c,
            "a new history entry",
            |c| async move { find::all(&c, "history-entry").await.len() },
            |n| *n > before,
        )
        .await;
        let left =
            on_history_strip(&c, "return [s.scrollLeft, s.scrollWidth > s.clientWidth];").await;
        assert_eq!(
            left,
            serde_json::json!([0, true]),
            "the strip stays where the learner put it"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dockerignore_greys_out_files_and_the_target_prunes_stages() {
    let url = local_url();
    with_browser(move |c| async move {
        action::open(&c, &url).await;
        action::open_example(&c, "dockerignore").await;
        let files =
            check::until(
                &c,
                "the context tree",
                |c| async move {
                    find::attrs(&c, "context-file", &["data-path", "data-excluded"]).await
                },
                |f| f.iter().any(|x| x[0] == "debug.log"),
            )
            .await;
        let excluded = |p: &str| files.iter().find(|x| x[0] == p).map(|x| x[1] == "true");
        assert_eq!(excluded("debug.log"), Some(true));
        assert_eq!(excluded("node_modules/left-pad/index.js"), Some(true));
        assert_eq!(excluded("index.js"), Some(false));
        assert_eq!(
            excluded("Dockerfile"),
            Some(false),
            "the Dockerfile is in this example's context"
        );
        check::screenshot(&c, "context-dockerignore.png").await;

        action::open_example(&c, "target-stages").await;
        check::until(
            &c,
            "four stages",
            |c| async move { check::stage_nodes(&c).await },
            |s| s.len() == 4,
        )
        .await;
        action::select_target(&c, "dev").await;
        let nodes = check::until(
            &c,
            "pruned stages",
            |c| async move { check::stage_nodes(&c).await },
            |s| s.iter().filter(|x| !x.1).count() == 2,
        )
        .await;
        assert_eq!(
            nodes,
            vec![
                ("base".into(), true),
                ("dev".into(), true),
                ("test".into(), false),
                ("production".into(), false)
            ]
        );
        let steps = check::steps(&c).await;
        assert!(
            steps.iter().all(|s| s.2 == "base" || s.2 == "dev"),
            "only the needed stages build: {steps:?}"
        );
        let pruned = find::all(&c, "pruned-stage").await;
        assert_eq!(pruned.len(), 2, "pruned stages are listed");
        let why = pruned[0].text().await.unwrap_or_default();
        assert!(why.contains("test") && why.contains("dev"), "with the reason: {why}");
        let finals = find::attrs(&c, "stage-node", &["data-stage", "data-final"]).await;
        let highlighted: Vec<&str> = finals.iter().filter(|v| v[1] == "true").map(|v| v[0].as_str()).collect();
        assert_eq!(highlighted, ["dev"], "the target's stage is the final image's: {finals:?}");
        let cmd = find::one(&c, "build-command").await.text().await.unwrap();
        assert!(cmd.contains("--target dev"), "{cmd}");
        check::screenshot(&c, "stages-target.png").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_edit_is_a_build_unless_the_learner_caches_only_on_pauses() {
    let url = local_url();
    with_browser(move |c| async move {
        page::open_with_dockerfile(&c, &url, "FROM alpine:3.20\nRUN echo one > /one.txt\n").await;
        page::wait_for_steps(&c, "a two-step build", 2).await;
        let shows = |want: [&'static str; 4]| {
            move |s: &Vec<page::Step>| {
                s.iter().map(|x| x.0.as_str()).collect::<Vec<_>>() == want && s[3].1 == 4
            }
        };

        // Default: every edit is a build, so a line finished a keystroke ago is already cached.
        action::type_at_end(&c, "RUN echo two > /two.txt\nRUN echo x").await;
        check::until(
            &c,
            "only the last step re-run",
            |c| async move { check::steps(&c).await },
            shows(["CACHED", "CACHED", "CACHED", "RUN"]),
        )
        .await;

        // Caching only on pauses: what is typed without a pause is never kept...
        action::click(&c, "keep-on-pause").await;
        action::set_dockerfile(&c, "FROM alpine:3.20\nRUN echo one > /one.txt\n").await;
        action::pause(&c).await;
        action::type_at_end(&c, "RUN echo three > /three.txt\nRUN echo y").await;
        check::until(
            &c,
            "both typed steps run",
            |c| async move { check::steps(&c).await },
            shows(["CACHED", "CACHED", "RUN", "RUN"]),
        )
        .await;
        // ...until the learner pauses: then the next edit finds it in the cache.
        action::pause(&c).await;
        action::type_at_end(&c, "es").await;
        check::until(
            &c,
            "only the edited step re-runs",
            |c| async move { check::steps(&c).await },
            shows(["CACHED", "CACHED", "CACHED", "RUN"]),
        )
        .await;

        // The choice is a preference: it survives a reload.
        c.refresh().await.unwrap();
        action::open(&c, &url).await;
        let checked = find::js(
            &c,
            "return document.querySelector(\"[data-testid='keep-on-pause']\").checked;",
            vec![],
        )
        .await;
        assert_eq!(checked, serde_json::Value::Bool(true));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn context_files_are_added_sized_renamed_and_deleted() {
    let url = local_url();
    with_browser(move |c| async move {
        page::open_with_dockerfile(&c, &url, "FROM alpine:3.20\nCOPY assets/ /app/\n").await;
        let copy_layer = |c: fantoccini::Client| async move {
            check::layer_rows(&c).await.last().map_or(0, |r| r.0)
        };
        // A big binary is a size, not text: the COPY layer weighs what the file does.
        page::add_context_file(&c, "assets/model.bin", "x").await;
        action::click(&c, "use-size").await;
        find::js(
            &c,
            "const i = document.querySelector(\"[data-testid='file-size']\"); i.value = '150000000'; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![],
        )
        .await;
        check::until(&c, "a 150 MB COPY layer", copy_layer, |n| *n == 150_000_000).await;

        // Renaming keeps the content; the tree shows the new path only.
        page::rename_open_entry(&c, "assets/weights.bin").await;
        let paths = check::until(
            &c,
            "the renamed file",
            |c| async move { find::attrs(&c, "context-file", &["data-path"]).await },
            |p| p.iter().any(|x| x[0] == "assets/weights.bin"),
        )
        .await;
        assert!(!paths.iter().any(|x| x[0] == "assets/model.bin"), "{paths:?}");
        assert_eq!(copy_layer(c.clone()).await, 150_000_000);

        // Deleting it leaves the folder's other files only: the layer is small again.
        page::add_context_file(&c, "assets/readme.txt", "hello").await;
        page::open_context_entry(&c, "assets/weights.bin").await;
        action::click(&c, "delete").await;
        check::until(&c, "a small COPY layer", copy_layer, |n| *n > 0 && *n < 1_000).await;
    })
    .await;
}

/// Folders: an empty one is part of the context, renaming one moves everything under it (and
/// the COPY that named the old folder fails), a name a file is in the way of is refused, and
/// deleting a folder removes what it holds.
#[tokio::test(flavor = "multi_thread")]
async fn folders_are_added_renamed_and_deleted_with_what_they_hold() {
    let url = local_url();
    with_browser(move |c| async move {
        page::open_with_dockerfile(&c, &url, "FROM alpine:3.20\nCOPY src/ /app/\n").await;
        let paths = |c: fantoccini::Client| async move {
            let mut p: Vec<String> = find::attrs(&c, "context-file", &["data-path"])
                .await
                .into_iter()
                .map(|v| v[0].clone())
                .collect();
            p.sort();
            p
        };
        find::one(&c, "new-path").await.send_keys("src/empty").await.unwrap();
        action::click(&c, "add-folder").await;
        page::add_context_file(&c, "src/main.go", "package main\n").await;
        page::add_context_file(&c, "notes.txt", "n").await;
        check::until(&c, "the folder and its file", paths, |p| {
            p.contains(&"src/empty".to_string()) && p.contains(&"src/main.go".to_string())
        })
        .await;
        page::wait_for_image(&c, "the COPY of src/").await;

        // A file cannot take a folder's name.
        page::open_context_entry(&c, "notes.txt").await;
        page::rename_open_entry(&c, "src").await;
        let refused = find::js(&c, "return document.querySelector(\"[data-testid='file-editor']\").textContent;", vec![]).await;
        assert!(refused.as_str().unwrap_or_default().contains("already exists"), "{refused}");

        // Renaming the folder moves what it holds; COPY src/ has nothing to copy any more.
        page::open_context_entry(&c, "src").await;
        page::rename_open_entry(&c, "lib").await;
        let moved = check::until(&c, "the moved folder", paths, |p| {
            p.contains(&"lib/main.go".to_string())
        })
        .await;
        assert!(moved.contains(&"lib/empty".to_string()), "{moved:?}");
        assert!(!moved.iter().any(|p| p.starts_with("src")), "{moved:?}");
        check::eventually(&c, "the failing COPY", |c| async move {
            !find::all(&c, "build-error").await.is_empty()
        })
        .await;

        // Deleting the folder deletes what it holds.
        action::click(&c, "delete").await;
        let left = check::until(&c, "the deleted folder", paths, |p| {
            !p.iter().any(|x| x.starts_with("lib"))
        })
        .await;
        assert!(left.contains(&"notes.txt".to_string()), "the other files stay: {left:?}");
    })
    .await;
}
