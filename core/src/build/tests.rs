//! Driver tests over small builds (the conformance replay covers the recorded scenarios).

use super::*;
use crate::content::Content;

fn ctx(files: &[(&str, &str)]) -> Context {
    let mut c = Context::new();
    for (p, t) in files {
        c.write(p, Content::from_text(t), false).unwrap();
    }
    c
}

/// One build of `df` with an empty context on a fresh machine.
fn cold_build(df: &str) -> BuildReport {
    simulate(
        df,
        &Context::new(),
        &BuildOptions::default(),
        &mut CacheStore::new(),
    )
}

fn statuses(r: &BuildReport) -> Vec<(String, &'static str)> {
    r.steps
        .iter()
        .filter(|s| s.instruction != "FROM")
        .map(|s| (s.text.clone(), s.status.as_str()))
        .collect()
}

#[test]
fn second_build_is_cached_and_an_edit_reruns_from_the_copy() {
    let df = "FROM lab/busybox:1\nRUN echo setup > /s\nCOPY a.txt /a.txt\nRUN cat /a.txt\n";
    let mut cache = CacheStore::new();
    let opts = BuildOptions::default();
    let r = simulate(df, &ctx(&[("a.txt", "a\n")]), &opts, &mut cache);
    assert!(r.ok, "{:?}", r.error);
    assert!(statuses(&r).iter().all(|(_, s)| *s == "RUN"));
    let r = simulate(df, &ctx(&[("a.txt", "a\n")]), &opts, &mut cache);
    assert!(statuses(&r).iter().all(|(_, s)| *s == "CACHED"));
    let r = simulate(df, &ctx(&[("a.txt", "b2\n")]), &opts, &mut cache);
    assert_eq!(
        statuses(&r).iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        vec!["CACHED", "RUN", "RUN"]
    );
    let copy = r.steps.iter().find(|s| s.instruction == "COPY").unwrap();
    assert_eq!(copy.reason.as_deref(), Some("COPY: a.txt changed"));
    let img = r.image.unwrap();
    assert_eq!(
        img.history.last().unwrap().created_by,
        "RUN /bin/sh -c cat /a.txt # buildkit"
    );
    assert_eq!(img.history[2].size, 3);
}

#[test]
fn config_rows_and_unknown_image() {
    let df = "FROM lab/busybox:1\nARG V=1\nENV A=$V\nLABEL x=y\nEXPOSE 80 53/udp\nCMD echo hi\nWORKDIR /\n";
    let mut cache = CacheStore::new();
    let r = simulate(df, &Context::new(), &BuildOptions::default(), &mut cache);
    let img = r.image.unwrap();
    let rows: Vec<&str> = img
        .history
        .iter()
        .skip(1)
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(
        rows,
        vec![
            "ARG V=1",
            "ENV A=1",
            "LABEL x=y",
            "EXPOSE [53/udp 80/tcp]",
            "CMD [\"/bin/sh\" \"-c\" \"echo hi\"]",
            "WORKDIR /"
        ]
    );
    assert_eq!(
        img.config.env,
        vec![
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            "A=1".to_string()
        ]
    );
    let r = simulate(
        "FROM lab/nope:1\n",
        &Context::new(),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(!r.ok);
    let r = simulate_with_placeholders(
        "FROM lab/nope:1\nRUN echo hi > /x\n",
        &Context::new(),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(r.ok, "{:?}", r.error);
    assert!(r.diagnostics.iter().any(|d| d.code == "unknown-image"));
}

#[test]
fn onbuild_triggers_run_in_the_child_stage() {
    let df = "FROM lab/busybox:1 AS base\nONBUILD RUN echo child > /child\nFROM base\nRUN echo x\n";
    let r = cold_build(df);
    assert!(r.ok, "{:?}", r.error);
    let texts: Vec<&str> = r
        .steps
        .iter()
        .filter(|s| s.instruction != "FROM")
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(texts, vec!["RUN echo child > /child", "RUN echo x"]);
    let img = r.image.unwrap();
    assert!(img.config.on_build.is_empty());
    assert_eq!(
        img.history
            .iter()
            .filter(|h| h.created_by.contains("echo child"))
            .count(),
        1
    );
}

#[test]
fn reasons_name_the_changed_input() {
    let df = "FROM lab/busybox:1\nARG V=1\nRUN echo $V\n";
    let mut cache = CacheStore::new();
    simulate(df, &Context::new(), &BuildOptions::default(), &mut cache);
    let mut opts = BuildOptions::default();
    opts.build_args.insert("V".into(), "2".into());
    let r = simulate(df, &Context::new(), &opts, &mut cache);
    let run = r.steps.iter().find(|s| s.instruction == "RUN").unwrap();
    assert_eq!(run.reason.as_deref(), Some("RUN: ARG V changed 1 → 2"));
    opts.no_cache = true;
    let r = simulate(df, &Context::new(), &opts, &mut cache);
    assert_eq!(
        r.steps
            .iter()
            .find(|s| s.instruction == "RUN")
            .unwrap()
            .reason
            .as_deref(),
        Some("--no-cache")
    );
    // A context file's mode is part of COPY's key; the reason says it was the mode.
    let copy_df = "FROM lab/busybox:1\nCOPY a.txt /a\n";
    let mut files = ctx(&[("a.txt", "x")]);
    simulate(copy_df, &files, &BuildOptions::default(), &mut cache);
    files.chmod("a.txt", 0o755).unwrap();
    let r = simulate(copy_df, &files, &BuildOptions::default(), &mut cache);
    let copy = r.steps.iter().find(|s| s.instruction == "COPY").unwrap();
    assert_eq!(copy.reason.as_deref(), Some("COPY: a.txt mode 0644 → 0755"));
    // An undeclared build arg changes nothing.
    let mut opts = BuildOptions::default();
    opts.build_args.insert("OTHER".into(), "x".into());
    let r = simulate(df, &Context::new(), &opts, &mut cache);
    assert!(r
        .steps
        .iter()
        .filter(|s| s.instruction == "RUN")
        .all(|s| s.status == StepStatus::Cached));
}

/// Never panic: mutated Dockerfiles (flags, heredocs, stages, mounts, variables) built against
/// a small context and a shared cache, a bounded number of cases (the fuzz command runs more).
#[test]
fn never_panics_on_mutated_dockerfiles() {
    use crate::testing::{mutate, Rng};
    let seeds: &[&str] = &[
        "FROM lab/busybox:1 AS b\nARG V=1\nENV A=$V B=\"x y\"\nWORKDIR /w\nCOPY --chown=1000:1000 --chmod=u+x a.txt ./\nRUN --mount=type=cache,target=/c echo $A > /c/x && cp /c/x /o\nFROM b\nCOPY --from=b /o /p\nCOPY --parents src/*/m.txt /q/\nADD t.tar /t/\nEXPOSE 80/udp 8000-8002\nHEALTHCHECK --interval=1s CMD true\nONBUILD RUN x\nCMD [\"a\"]\n",
        "ARG T=1\nFROM lab/busybox:${T}\nCOPY <<EOF /e\n$T\nEOF\nRUN <<EOF\necho hi\nEOF\nRUN --mount=type=bind,from=0,source=/etc,target=/m cat /m/passwd\nUSER 1000\nWORKDIR rel\nSHELL [\"/bin/sh\",\"-e\",\"-c\"]\nRUN exit 3\n",
    ];
    let dict: &[&[u8]] = &[
        b"\n",
        b" ",
        b"$",
        b"${",
        b"}",
        b"--from=",
        b"--mount=type=",
        b"<<EOF\n",
        b"EOF\n",
        b"\\\n",
        b"[\"",
        b"\"]",
        b"COPY . .\n",
        b"FROM scratch\n",
        b"WORKDIR /\n",
        b"*",
        b"..",
        b"/",
        b":",
        b"\0",
    ];
    let mut ctx = Context::new();
    ctx.write("a.txt", Content::from_text("a\n"), false)
        .unwrap();
    ctx.write("src/x/m.txt", Content::from_text("m\n"), false)
        .unwrap();
    ctx.write("t.tar", Content::from_bytes(vec![0u8; 1024]), false)
        .unwrap();
    let mut rng = Rng::new(7);
    let mut cache = CacheStore::new();
    for i in 0..600 {
        let seed = seeds[i % seeds.len()].as_bytes();
        let mut input = seed.to_vec();
        for _ in 0..(1 + rng.below(4)) {
            input = mutate(&mut rng, &input, dict);
        }
        let text = String::from_utf8_lossy(&input);
        let mut opts = BuildOptions {
            no_cache: i % 7 == 0,
            ..Default::default()
        };
        if i % 5 == 0 {
            opts.target = Some("b".into());
        }
        let r = simulate(&text, &ctx, &opts, &mut cache);
        if let Some(img) = &r.image {
            assert_eq!(
                img.size,
                img.history
                    .iter()
                    .filter(|h| !h.empty_layer)
                    .map(|h| h.size)
                    .sum::<u64>()
            );
        }
    }
}

#[test]
fn heredoc_with_shebang_runs_as_a_file() {
    let df = "FROM lab/busybox:1\nRUN <<EOF\n#!/bin/sh\necho hi > /hi\nEOF\n";
    let r = cold_build(df);
    assert!(r.ok, "{:?}", r.error);
    let img = r.image.unwrap();
    let row = img.history.last().unwrap();
    // The mounted script's path runs through the shell (convert.go `dispatchRun`: `withShell`).
    assert_eq!(row.created_by, "RUN /bin/sh -c /dev/pipes/EOF # buildkit");
    assert_eq!(row.size, 3);
}

#[test]
fn too_many_layers_fail_like_overlayfs() {
    let mut df = String::from("FROM lab/busybox:1\n");
    for i in 0..130 {
        df.push_str(&format!("RUN echo {i} > /f\n"));
    }
    let r = cold_build(&df);
    assert!(!r.ok);
    assert!(r.error.unwrap().message.contains("max depth exceeded"));
}

/// buildkit-truth README "held out" rows: a glob COPY re-runs only for a new matching file;
/// `--exclude` keeps excluded files out of the selection and the key; `COPY src/` ignores
/// files outside src/.
#[test]
fn copy_selection_is_the_key() {
    let df = "FROM lab/busybox:1\nCOPY *.cfg /c/\nCOPY --exclude=*.md . /app/\nCOPY src/ /s/\n";
    let mut ctx = ctx(&[("a.cfg", "a\n"), ("README.md", "r\n"), ("src/x", "x\n")]);
    let mut cache = CacheStore::new();
    let opts = BuildOptions::default();
    let status = |r: &BuildReport| -> Vec<&'static str> {
        r.steps
            .iter()
            .filter(|s| s.instruction != "FROM")
            .map(|s| s.status.as_str())
            .collect()
    };
    simulate(df, &ctx, &opts, &mut cache);
    ctx.write("README.md", Content::from_text("r2\n"), false)
        .unwrap();
    let r = simulate(df, &ctx, &opts, &mut cache);
    assert_eq!(
        status(&r),
        vec!["CACHED", "CACHED", "CACHED"],
        "an excluded file changed"
    );
    ctx.write("b.cfg", Content::from_text("b\n"), false)
        .unwrap();
    let r = simulate(df, &ctx, &opts, &mut cache);
    assert_eq!(status(&r), vec!["RUN", "RUN", "RUN"], "a new matching file");
    let copy = &r.steps[1];
    assert_eq!(copy.reason.as_deref(), Some("COPY: b.cfg added"));
    ctx.write("other.txt", Content::from_text("o\n"), false)
        .unwrap();
    let r = simulate(df, &ctx, &opts, &mut cache);
    assert_eq!(
        status(&r),
        vec!["CACHED", "RUN", "RUN"],
        "non-matching file: only COPY . re-runs"
    );
    let img = r.image.unwrap();
    let app = &img.layers[2];
    assert!(
        app.entries.iter().all(|e| !e.path.ends_with(".md")),
        "{:?}",
        app.entries
    );
}

#[test]
fn a_pragma_states_the_effect_of_an_unmodelled_run_and_is_part_of_its_key() {
    let df = |size: &str| {
        format!("FROM python:3.12-slim\nCOPY train.py .\n# layerlab: writes /app/model.bin {size}\nRUN python train.py\n# layerlab: writes /x lots\nRUN true\n")
    };
    let mut cache = CacheStore::new();
    let opts = BuildOptions::default();
    let r = simulate(
        &df("150MB"),
        &ctx(&[("train.py", "train()\n")]),
        &opts,
        &mut cache,
    );
    assert!(r.ok, "{:?}", r.error);
    let img = r.image.as_ref().unwrap();
    let train = img
        .history
        .iter()
        .find(|h| h.created_by.starts_with("RUN") && h.created_by.contains("train.py"))
        .unwrap();
    assert_eq!(train.size, 150_000_000);
    // A malformed pragma is a warning on its RUN, not a failure.
    let warn = r
        .diagnostics
        .iter()
        .find(|d| d.code == "layerlab-pragma")
        .unwrap();
    assert!(warn.message.contains("lots"), "{}", warn.message);
    assert_eq!(warn.range.slice(&df("150MB")), "RUN true");
    // Editing the stated effect re-runs the step, like editing the command would.
    let r = simulate(
        &df("2GiB"),
        &ctx(&[("train.py", "train()\n")]),
        &opts,
        &mut cache,
    );
    let step = r
        .steps
        .iter()
        .find(|s| s.text.starts_with("RUN") && s.text.contains("train.py"))
        .unwrap();
    assert_eq!(step.status.as_str(), "RUN");
    let train = r
        .image
        .as_ref()
        .unwrap()
        .history
        .iter()
        .find(|h| h.created_by.starts_with("RUN") && h.created_by.contains("train.py"))
        .map(|h| h.size);
    assert_eq!(train, Some(2 << 30));
}

/// BuildKit's progress names: no stage label for a one-state build, `stage-0` once a RUN
/// `--mount` or a `COPY --from=<image>` adds a state, names in a multi-stage file; the step
/// number is right-aligned to the width of the total (buildkit-truth README, progress output).
#[test]
fn progress_prefixes_follow_dispatch_states() {
    let prefixes = |df: &str| -> Vec<String> {
        cold_build(df)
            .steps
            .iter()
            .map(|s| s.progress_prefix())
            .collect()
    };
    assert_eq!(
        prefixes("FROM lab/busybox:1\nRUN echo a > /a\n"),
        ["[1/2]", "[2/2]"]
    );
    assert_eq!(
        prefixes("FROM lab/busybox:1\nRUN --mount=type=cache,target=/c echo a > /a\n"),
        ["[stage-0 1/2]", "[stage-0 2/2]"]
    );
    assert_eq!(
        prefixes("FROM lab/busybox:1\nCOPY --from=lab/busybox:2 /etc/lab-release /r\n")[1..],
        ["[stage-0 2/2]"]
    );
    let many = format!("FROM lab/busybox:1\n{}", "RUN echo a >> /a\n".repeat(9));
    let p = prefixes(&many);
    assert_eq!((p[0].as_str(), p[9].as_str()), ("[ 1/10]", "[10/10]"));
    assert_eq!(
        prefixes("FROM lab/busybox:1 AS base\nRUN echo a > /a\nFROM base\nRUN echo b > /b\n"),
        ["[base 1/2]", "[base 2/2]", "[stage-1 1/1]"]
    );
}
