//! The `layerlab` binary against ../shared/contract.md: JSON on stdout, exit 0 when the command
//! could do its job (also for a build that fails in the simulation), exit 2 with one line on
//! stderr for unusable input — and the outside checks' own scorer, `replay_all.sh`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_layerlab");

fn shared() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run layerlab")
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "exit {:?}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn assert_unusable(out: &Output) {
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one-line message, got {err:?}");
    assert!(out.stdout.is_empty());
}

/// A scratch directory with the given files (path, text), removed when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str, files: &[(&str, &str)]) -> Scratch {
    let dir = std::env::temp_dir().join(format!("layerlab-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    Scratch(dir)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_and_unusable_input() {
    let help = run(&["--help"]);
    assert!(help.status.success());
    for cmd in ["parse", "context-files", "simulate", "replay"] {
        assert!(String::from_utf8_lossy(&help.stdout).contains(cmd), "help lists {cmd}");
    }
    assert_unusable(&run(&["parse", "--json", "/nonexistent/Dockerfile"]));
    assert_unusable(&run(&["parse", "--bogus", "x"]));
    assert_unusable(&run(&["frobnicate"]));
    assert_unusable(&run(&["context-files", "/nonexistent-dir"]));
    assert_unusable(&run(&["simulate", "Dockerfile"]));
}

#[test]
fn parse_prints_buildkits_view_and_its_rejections() {
    let dir = scratch("parse", &[("Dockerfile", "FROM alpine AS base\nRUN echo a \\\n  b\nCOPY --link . /app\n"), ("Empty", "# only a comment\n")]);
    let v = json_of(&run(&["parse", "--json", arg(&dir.join("Dockerfile"))]));
    assert_eq!(v["ok"], true);
    let ins = v["instructions"].as_array().unwrap();
    assert_eq!(ins.len(), 3);
    assert_eq!(ins[0]["value"], serde_json::json!(["alpine", "AS", "base"]));
    assert_eq!((ins[1]["start_line"].as_u64(), ins[1]["end_line"].as_u64()), (Some(2), Some(3)));
    assert_eq!(ins[2]["flags"], serde_json::json!(["--link"]));
    let empty = json_of(&run(&["parse", "--json", arg(&dir.join("Empty"))]));
    assert_eq!(empty["ok"], false);
    assert!(empty["error"].as_str().is_some_and(|e| !e.is_empty()));
}

#[test]
fn context_files_applies_dockerignore() {
    let dir = scratch("ctx", &[(".dockerignore", "*.log\n!keep.log\nbuild\n"), ("a.log", "x"), ("keep.log", "x"), ("src/main.go", "x"), ("build/out", "x")]);
    let out = run(&["context-files", arg(&dir)]);
    assert!(out.status.success());
    let files: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    assert_eq!(files, [".dockerignore", "keep.log", "src/main.go"]);
    let with_dirs = String::from_utf8_lossy(&run(&["context-files", "--dirs", arg(&dir)]).stdout).to_string();
    assert!(with_dirs.lines().any(|l| l == "src/"), "{with_dirs}");
}

#[test]
fn simulate_reports_layers_and_failed_builds_exit_zero() {
    let dir = scratch("sim", &[("Dockerfile", "FROM lab/busybox:1\nRUN echo hi > /hi\nCOPY app.py /app/\nENV A=1\n"), ("Bad", "FROM lab/busybox:1\nCOPY missing.txt /\n"), ("ctx/app.py", "print(1)\n")]);
    let ctx = dir.join("ctx");
    let v = json_of(&run(&["simulate", arg(&dir.join("Dockerfile")), "--context", arg(&ctx), "--json"]));
    assert_eq!(v["ok"], true);
    let history = v["image"]["history"].as_array().unwrap();
    let sizes: Vec<u64> = history.iter().map(|r| r["size"].as_u64().unwrap()).collect();
    // Base row, RUN (3 bytes of "hi\n"), COPY (9 bytes), ENV (config only).
    assert_eq!(sizes, [1982296, 3, 9, 0]);
    assert_eq!(history[3]["empty_layer"], true);
    assert_eq!(v["image"]["size"].as_u64(), Some(1982296 + 3 + 9));
    let steps = v["steps"].as_array().unwrap();
    assert!(steps.iter().filter(|s| s["instruction"] != "FROM").all(|s| s["status"] == "RUN"));
    let bad = json_of(&run(&["simulate", arg(&dir.join("Bad")), "--context", arg(&ctx), "--json"]));
    assert_eq!(bad["ok"], false);
    assert!(bad["error"].as_str().unwrap().contains("missing.txt"));
}

#[test]
fn replay_all_scores_every_recorded_build() {
    let script = shared().join("tools/replay_all.sh");
    let out = Command::new("bash").arg(&script).arg(BIN).output().expect("run replay_all.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    let last = text.lines().last().unwrap_or("");
    let (ok, n) = last.trim_start_matches("builds matched: ").split_once('/').expect("summary line");
    assert!(n.parse::<u32>().unwrap() >= 117, "{last}");
    assert_eq!(ok, n, "replay_all.sh: {last}");
    assert!(out.status.success());
}
