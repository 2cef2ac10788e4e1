//! No input may panic the expander or the `.dockerignore` matcher (a panic kills the
//! learner's page): ~20,000 generated and mutated inputs through the fuzz targets.

use layerlab_core::testing::{mutate, run_target, Rng};

const EXPAND_SEEDS: &[&str] = &[
    "he${PWD:-000}xx",
    "${A:+${B:-c}} '$A' \"$A\\\"\" \\$x",
    "${K#*b}${K##*b}${K%b*}${K%%b*}",
    "${P/\\//-}${P//\\//-}${A//?/[$0]}",
    "${X:?oops $A}",
    "`$A `` \"`\"\"",
    "cat <<  EOF $A",
    "${",
    "'",
    "\"${A",
    "$1$@$*$#$?$-$$$!$0",
];

const EXPAND_DICT: &[&[u8]] = &[
    b"$",
    b"${",
    b"}",
    b"${A",
    b":-",
    b":+",
    b":?",
    b"#",
    b"##",
    b"%",
    b"%%",
    b"/",
    b"//",
    b"'",
    b"\"",
    b"\\",
    b"`",
    b"*",
    b"?",
    b"<<",
    b" ",
    b"\xc3\xa9",
    b"\xff",
    b"${A:-${B:-",
    b"${A//?/${A//?/",
];

const IGNORE_SEEDS: &[&str] = &[
    "node_modules\n.git\n*.md\n!README.md\n",
    "build\n!build/keep.txt\n**/*.pyc\n",
    "\u{feff}# c\n  /a/../b/\n! ./c\n[a-z]*\n",
    "a[\\]b]\n[Local-Only]/\n[*]\n**\n!**/x?y\n",
    "[abc\n!\n\\\n",
    "*\n!src\nsrc/**/tmp\n[[:alpha:]]x\n\\d\\b\n",
];

const IGNORE_DICT: &[&[u8]] = &[
    b"*",
    b"**",
    b"?",
    b"[",
    b"]",
    b"[^",
    b"-",
    b"\\",
    b"!",
    b"/",
    b"\n",
    b"\r\n",
    b"#",
    b"..",
    b".",
    b" ",
    b"[:alpha:]",
    b"\\p{L}",
    b"\\x{41}",
    b"\xef\xbb\xbf",
    b"\xff",
    b"a/b/c",
    b"(",
    b")",
    b"^",
    b"$",
];

fn run(target: &str, seeds: &[&str], dict: &[&[u8]], n: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    for seed in seeds {
        assert!(run_target(target, seed.as_bytes()));
    }
    for _ in 0..n {
        let base = rng.pick(seeds).copied().unwrap_or("");
        let mut input = mutate(&mut rng, base.as_bytes(), dict);
        // Sometimes stack mutations, to reach deeper nesting.
        for _ in 0..rng.below(3) {
            input = mutate(&mut rng, &input, dict);
        }
        assert!(run_target(target, &input));
    }
}

#[test]
fn expand_never_panics() {
    run("expand", EXPAND_SEEDS, EXPAND_DICT, 10_000, 1);
}

#[test]
fn ignore_never_panics() {
    run("ignore", IGNORE_SEEDS, IGNORE_DICT, 10_000, 2);
}
