//! The fuzz targets: one function per entry point that takes user input.

/// Names accepted by [`run_target`].
pub const TARGETS: &[&str] = &["parse", "expand", "ignore", "simulate"];

/// Feeds `input` to the named entry point. Returns false for an unknown name.
pub fn run_target(name: &str, input: &[u8]) -> bool {
    match name {
        "parse" => parse(input),
        "expand" => expand(input),
        "ignore" => ignore(input),
        "simulate" => simulate(input),
        _ => return false,
    }
    true
}

fn parse(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let parse = crate::syntax::parse(&text);
    // Spans stay inside the text; highlight tokens are sorted and disjoint.
    let len = text.len() as u32;
    for node in &parse.nodes {
        assert!(
            node.range.start <= node.range.end && node.range.end <= len,
            "node range {:?}",
            node.range
        );
        assert!(
            node.start_line <= node.end_line,
            "lines {}-{}",
            node.start_line,
            node.end_line
        );
        let words = node
            .value
            .iter()
            .map(|w| w.range)
            .chain(node.flags.iter().map(|f| f.range));
        for r in words.chain(node.heredocs.iter().map(|h| h.range)) {
            assert!(r.start <= r.end && r.end <= len, "span {r:?}");
        }
    }
    for d in &parse.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= len,
            "diagnostic span {:?}",
            d.range
        );
    }
    let tokens = crate::syntax::highlight_parse(&text, &parse);
    let mut last = 0;
    for (r, _) in &tokens {
        assert!(
            last <= r.start && r.start < r.end && r.end <= len,
            "token {r:?} after {last}"
        );
        last = r.end;
    }
    let _ = crate::syntax::dump(&parse);
}

fn expand(input: &[u8]) {
    use crate::expand::{expand_word, expand_words, process, Options};
    let text = String::from_utf8_lossy(input);
    let env = vec![
        ("A", "a b"),
        ("EMPTY", ""),
        ("P", "/usr/local/bin"),
        ("K", "한국어*?"),
        ("D", "$A${A}"),
    ];
    for escape in ['\\', '`'] {
        let _ = expand_word(&text, &env, escape);
        let _ = expand_words(&text, &env, escape);
        // The parser's heredoc detection runs the lexer with the raw options.
        let raw = Options {
            escape,
            raw_quotes: true,
            raw_escapes: true,
            skip_process_quotes: input.first().is_some_and(|b| b & 1 == 1),
            skip_unset_env: true,
        };
        let res = process(&text, &env, &raw);
        if let Err(e) = &res.result {
            let r = e.range();
            debug_assert!(r.start <= r.end && r.end as usize <= text.len());
            let _ = e.buildkit_message(&text);
        }
    }
}

fn ignore(input: &[u8]) {
    use crate::context::BuildContext;
    use crate::ignore::{filepath_match, IgnoreMatcher};
    let text = String::from_utf8_lossy(input);
    let (matcher, errors) = IgnoreMatcher::new(&text);
    for e in &errors {
        let _ = e.to_string();
    }
    // The lines double as paths: match them, glob them, and send them as a context.
    // Paths are capped (a real path is at most 4096 bytes; matching is linear in depth times
    // length, which the never-panic test runs in debug mode); patterns keep their full length.
    let lines: Vec<&str> = text.lines().take(24).map(|l| cut(l, 512)).collect();
    let mut ctx = BuildContext::new();
    for (i, line) in lines.iter().enumerate() {
        let _ = matcher.matched(line, i % 2 == 0);
        let _ = matcher.try_matched(line);
        let _ = matcher.matches_or_parent_matches(line);
        let _ = matcher.matches_single_parent(line);
        for other in lines.iter().take(8) {
            let _ = filepath_match(line, other);
        }
        let path = line.trim_start_matches('!');
        let _ = if i % 5 == 4 {
            ctx.mkdir(path).is_ok()
        } else {
            ctx.write_text(path, line)
        };
    }
    let _ = ctx.write_text(".dockerignore", &text);
    let _ = ctx.sent_files(true);
    for line in lines.iter().take(8) {
        let _ = ctx.glob(line);
        let _ = ctx.rename(line, "moved/here");
    }
    let _ = ctx.sent_files(false);
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The whole pipeline on an arbitrary Dockerfile: parse, lower, stage graph, RUN interpreter,
/// package model and image result, twice against one cache (the second build takes the cache
/// path), over a small context.
fn simulate(input: &[u8]) {
    use crate::build::{simulate_with_placeholders, BuildOptions, CacheStore};
    let text = String::from_utf8_lossy(input);
    let mut ctx = crate::context::BuildContext::new();
    let _ = ctx.write_text("app.py", "print('hi')\n");
    let _ = ctx.write_text("src/main.go", "package main\n");
    let _ = ctx.write_text(".dockerignore", "*.log\n");
    let mut cache = CacheStore::new();
    let options = BuildOptions::default();
    let _ = simulate_with_placeholders(&text, &ctx, &options, &mut cache);
    let _ = simulate_with_placeholders(&text, &ctx, &options, &mut cache);
}
