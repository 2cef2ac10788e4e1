//! Deterministic input generators and mutators for the never-panic tests
//! (`core/tests/never_panic_*.rs`, a bounded number of cases) and the fuzz command
//! (`cargo run --release -p layerlab-core --example fuzz -- --iterations N`, millions).
//!
//! Every target takes arbitrary bytes and must return without panicking.

mod targets;

pub use targets::{run_target, TARGETS};

/// A small, fast, seedable PRNG (xorshift64*): the same seed gives the same inputs everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// One random mutation of `input`: truncation, byte flips, insertion of a token from `dict`,
/// duplication of a slice, or a huge repetition. The result may be invalid UTF-8.
pub fn mutate(rng: &mut Rng, input: &[u8], dict: &[&[u8]]) -> Vec<u8> {
    let mut v = input.to_vec();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 => v.truncate(at),
            1 => {
                if let Some(b) = v.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            2 => {
                if let Some(tok) = rng.pick(dict) {
                    v.splice(at..at, tok.iter().copied());
                }
            }
            3 => {
                let end = (at + rng.below(64)).min(v.len());
                let slice = v[at..end].to_vec();
                v.splice(at..at, slice);
            }
            4 => {
                let b = rng.next_u64() as u8;
                v.insert(at, b);
            }
            5 => {
                if at < v.len() {
                    v.remove(at);
                }
            }
            _ => {
                // Rarely, something huge: deep nesting or a very long line.
                if rng.below(16) == 0 {
                    let tok: &[u8] = rng.pick(dict).copied().unwrap_or(b"x");
                    let reps = 1 + rng.below(2000);
                    let big: Vec<u8> = tok.iter().copied().cycle().take(tok.len() * reps).collect();
                    v.splice(at..at, big);
                }
            }
        }
    }
    v
}
