//! The fuzz command: feeds millions of generated and mutated inputs to every entry point that
//! takes user input, and reports how many ran. A panic aborts with the seed that caused it.
//!
//! `cargo run --release -p layerlab-core --example fuzz -- [--iterations N] [--seed S] [--target NAME]`

use layerlab_core::testing::{mutate, run_target, Rng, TARGETS};
use std::time::Instant;

/// Seeds for mutation: real Dockerfiles and the shared conformance inputs, plus tokens.
fn corpus() -> Vec<Vec<u8>> {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance");
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(shared)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n.to_string_lossy().contains("Dockerfile")) {
                files.extend(std::fs::read(&p).ok().filter(|b| b.len() < 200_000));
            }
        }
    }
    files.push(b"FROM a AS b\nRUN <<EOF\necho ${X:-y} $Y\nEOF\nCOPY --from=b --chmod=755 . /app\n".to_vec());
    files.push(b"*.log\n!keep.log\n**/node_modules\n/build/\n[a-z]?\\*\n".to_vec());
    files
}

const DICT: &[&[u8]] = &[
    b"\\\n", b"`\n", b"<<EOF\n", b"<<-'EOF'\n", b"EOF\n", b"${", b"}", b"$", b":-", b"#", b"[\"", b"\"]", b"--mount=type=cache,target=/x ",
    b"\r\n", b"\n", b" ", b"\t", b"# escape=`\n", b"ONBUILD ", b"**", b"!", b"[", b"]", b"\\", b"'", b"\"", b"\xff\xfe", b"\0",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let iterations: u64 = get("--iterations").and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let seed: u64 = get("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let targets: Vec<&str> = match get("--target") {
        Some(t) => TARGETS.iter().copied().filter(|n| *n == t).collect(),
        None => TARGETS.to_vec(),
    };
    if targets.is_empty() {
        eprintln!("unknown target; known: {}", TARGETS.join(", "));
        std::process::exit(2);
    }
    let corpus = corpus();
    let start = Instant::now();
    let mut rng = Rng::new(seed);
    let mut input = Vec::new();
    for i in 0..iterations {
        let target = targets[(i % targets.len() as u64) as usize];
        if i % 64 == 0 || input.len() > 1 << 20 {
            input = rng.pick(&corpus).cloned().unwrap_or_default();
        }
        input = mutate(&mut rng, &input, DICT);
        run_target(target, &input);
    }
    println!(
        "fuzz: {iterations} inputs over [{}] without a panic in {:.1}s (seed {seed})",
        targets.join(", "),
        start.elapsed().as_secs_f64()
    );
}
