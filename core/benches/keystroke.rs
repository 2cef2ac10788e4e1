//! What one keystroke costs the core in the playground (harness = false): every real-world
//! Dockerfile of ../shared/conformance/realworld is simulated with an empty context against a
//! warm cache, as the page does after each edit (the build usually stops at the first COPY of
//! a missing file, which is what a learner sees before adding the context).
//!
//! Prints the median of repeated warm builds per file and the worst file. The page's budget for
//! parse + build + highlight + render is one frame (16 ms); the core's share should stay a
//! few milliseconds. Run: `cargo bench -p layerlab-core --bench keystroke`.

#[path = "../tests/support/corpus.rs"]
mod corpus;

use layerlab_core::build::{simulate, BuildOptions, CacheStore, Context};
use std::time::{Duration, Instant};

const ROUNDS: usize = 21;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let ctx = Context::new();
    let options = BuildOptions::default();
    let mut rows = Vec::new();
    for (name, text) in corpus::corpus() {
        let mut cache = CacheStore::new();
        let t0 = Instant::now();
        let first = simulate(&text, &ctx, &options, &mut cache);
        let cold = t0.elapsed();
        let warm: Vec<Duration> = (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                let _ = simulate(&text, &ctx, &options, &mut cache);
                t.elapsed()
            })
            .collect();
        rows.push((median(warm), cold, name, text.lines().count(), first.ok));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    println!(
        "keystroke: warm rebuild of each realworld Dockerfile, empty context ({} files)",
        rows.len()
    );
    println!(
        "{:>9} {:>9} {:>6} {:>5}  file",
        "warm ms", "cold ms", "lines", "ok"
    );
    for (warm, cold, name, lines, ok) in rows.iter().take(8) {
        println!(
            "{:>9.2} {:>9.2} {:>6} {:>5}  {name}",
            ms(*warm),
            ms(*cold),
            lines,
            ok
        );
    }
    let all: Vec<Duration> = rows.iter().map(|r| r.0).collect();
    println!(
        "median over files: {:.2} ms; worst: {:.2} ms",
        ms(median(all.clone())),
        ms(all[0])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
