//! Parser throughput: `cargo bench -p layerlab-core --bench parse` (harness = false).
//!
//! Prints (1) MB/s of our parser vs the `dockerfile-parser` crate on the real-world files that
//! crate accepts (target: at least 2x), (2) microseconds per parse of moby's 649-line Dockerfile
//! against BuildKit's Go parser at 1156 us (target: under 230 us), and (3) the whole corpus
//! against BuildKit's 11.7 ms. Figures are the best of several timed batches (median shown for
//! moby's file), since the benchmark shares its 2 cores with other work.

use std::hint::black_box;
use std::time::{Duration, Instant};

const GO_MOBY_US: f64 = 1156.0;
const GO_CORPUS_MS: f64 = 11.7;
const MOBY_TARGET_US: f64 = 230.0;

#[path = "../tests/support/corpus.rs"]
mod corpus;
use corpus::{corpus, REALWORLD};

/// Seconds per call of `f` as (best, median) over 41 timed batches of about 20 ms each. The
/// machine is shared (other builds run beside the benchmark), so the best batch is the
/// figure for what the code costs; the median shows the noise.
fn timings(mut f: impl FnMut()) -> (f64, f64) {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_millis(20) {
        f();
        n += 1;
    }
    let per_batch = n.max(1);
    let mut samples: Vec<f64> = (0..41)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            t.elapsed().as_secs_f64() / per_batch as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[0], samples[samples.len() / 2])
}

/// Best seconds per call (see [`timings`]).
fn time_per_call(f: impl FnMut()) -> f64 {
    timings(f).0
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "MET"
    } else {
        "NOT MET"
    }
}

fn main() {
    let corpus = corpus();
    assert!(
        !corpus.is_empty(),
        "realworld corpus not found at {REALWORLD}"
    );
    let accepted: Vec<&str> = corpus
        .iter()
        .filter(|(_, t)| dockerfile_parser::Dockerfile::parse(t).is_ok())
        .map(|(_, t)| t.as_str())
        .collect();
    let bytes: usize = accepted.iter().map(|t| t.len()).sum();

    let ours = time_per_call(|| {
        for t in &accepted {
            black_box(layerlab_core::syntax::parse(black_box(t)));
        }
    });
    let theirs = time_per_call(|| {
        for t in &accepted {
            let _ = black_box(dockerfile_parser::Dockerfile::parse(black_box(t)));
        }
    });
    let mbs = |secs: f64| bytes as f64 / secs / 1e6;
    let ratio = theirs / ours;
    println!(
        "corpus accepted by dockerfile-parser: {} files, {} bytes",
        accepted.len(),
        bytes
    );
    println!("  layerlab syntax::parse   {:>8.1} MB/s", mbs(ours));
    println!("  dockerfile-parser 0.9    {:>8.1} MB/s", mbs(theirs));
    println!(
        "  ratio {ratio:.1}x (target >= 2x: {})",
        verdict(ratio >= 2.0)
    );

    let moby = corpus
        .iter()
        .find(|(n, _)| n == "moby+moby__Dockerfile.Dockerfile")
        .map(|(_, t)| t.as_str())
        .unwrap_or("");
    let lines = moby.lines().count();
    let (best, median) = timings(|| {
        black_box(layerlab_core::syntax::parse(black_box(moby)));
    });
    let (us, median_us) = (best * 1e6, median * 1e6);
    let hl = time_per_call(|| {
        black_box(layerlab_core::syntax::highlight(black_box(moby)));
    }) * 1e6;
    println!(
        "moby/moby Dockerfile ({lines} lines, {} bytes):",
        moby.len()
    );
    println!(
        "  parse {us:>8.1} us best, {median_us:.1} us median   (BuildKit Go parser {GO_MOBY_US} us: {:.1}x faster)",
        GO_MOBY_US / us
    );
    println!("  parse+highlight {hl:>8.1} us");
    println!(
        "  target < {MOBY_TARGET_US} us: {}",
        verdict(us < MOBY_TARGET_US)
    );

    let all = time_per_call(|| {
        for (_, t) in &corpus {
            black_box(layerlab_core::syntax::parse(black_box(t)));
        }
    }) * 1e3;
    println!(
        "whole corpus ({} files): {all:.2} ms (BuildKit Go parser {GO_CORPUS_MS} ms on its 52-file corpus: {:.1}x)",
        corpus.len(),
        GO_CORPUS_MS / all
    );
}
