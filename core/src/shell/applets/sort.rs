//! `sort` (`-r -n -u -k N[,M] -t SEP -o FILE`, byte order like busybox in the C locale) and
//! `uniq` (`-c -d -u`, busybox's `%7d ` counts).

use super::opts::parse;
use super::text::{inputs, lines_of, text_of};
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status};
use std::cmp::Ordering;

/// The part of `line` a `-k start[,end]` key selects (fields split by `sep`, or by runs of
/// blanks with the leading blanks kept, as POSIX sort does without -t).
fn key_of(line: &str, start: usize, end: Option<usize>, sep: Option<char>) -> &str {
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    match sep {
        Some(c) => {
            let mut from = 0;
            for (i, ch) in line.char_indices() {
                if ch == c {
                    bounds.push((from, i));
                    from = i + ch.len_utf8();
                }
            }
            bounds.push((from, line.len()));
        }
        None => {
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let from = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                bounds.push((from, i));
            }
        }
    }
    let Some(&(s, _)) = bounds.get(start.saturating_sub(1)) else {
        return "";
    };
    let e = match end {
        Some(e) => bounds
            .get(e.saturating_sub(1))
            .map(|b| b.1)
            .unwrap_or(line.len()),
        None => line.len(),
    };
    line.get(s..e.max(s)).unwrap_or("")
}

/// How one key compares.
#[derive(Debug, Clone, Copy, PartialEq)]
struct KeyFlags {
    numeric: bool,
    reverse: bool,
    fold: bool,
    blanks: bool,
}

#[derive(Debug, Clone, Copy)]
struct SortKey {
    start: usize,
    end: Option<usize>,
    flags: KeyFlags,
}

/// `-k 2`, `-k 2,2`, `-k 2n`, `-k 1.3,1nr`: fields (the `.char` part is ignored) and flags.
fn parse_key(k: &str, global: KeyFlags) -> SortKey {
    let letters: String = k.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let flags = if letters.is_empty() {
        global
    } else {
        KeyFlags {
            numeric: letters.contains('n') || letters.contains('g'),
            reverse: letters.contains('r'),
            fold: letters.contains('f'),
            blanks: letters.contains('b'),
        }
    };
    let field = |s: &str| {
        s.split('.').next().and_then(|n| {
            n.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<usize>()
                .ok()
        })
    };
    let (a, b) = match k.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (k, None),
    };
    SortKey {
        start: field(a).unwrap_or(1),
        end: b.and_then(field),
        flags,
    }
}

fn numeric_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    t[..end].parse().unwrap_or(0.0)
}

pub fn sort(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "tko", false);
    let (ins, code) = inputs(sh, "sort", &o.args, io);
    let mut all = String::new();
    for (_, c) in ins {
        if let Some(t) = text_of(sh, &c) {
            all.push_str(&t);
            if !t.is_empty() && !t.ends_with('\n') {
                all.push('\n');
            }
        }
    }
    let sep = o.value('t').and_then(|t| t.chars().next());
    // Global ordering flags, and every `-k START[,END][flags]` (each may carry its own
    // `n r f b g`; a key without flags takes the global ones), as busybox `compare_keys`.
    let global = KeyFlags {
        numeric: o.has('n') || o.has('g'),
        reverse: false,
        fold: o.has('f'),
        blanks: o.has('b'),
    };
    let keys: Vec<SortKey> = o
        .flags
        .iter()
        .filter(|(f, _)| *f == 'k')
        .filter_map(|(_, v)| v.as_deref())
        .map(|k| parse_key(k, global))
        .collect();
    let compare = |a: &str, b: &str| -> Ordering {
        let keys_or_line: Vec<(String, String, KeyFlags)> = if keys.is_empty() {
            vec![(a.to_string(), b.to_string(), global)]
        } else {
            keys.iter()
                .map(|k| {
                    (
                        key_of(a, k.start, k.end, sep).to_string(),
                        key_of(b, k.start, k.end, sep).to_string(),
                        k.flags,
                    )
                })
                .collect()
        };
        for (ka, kb, f) in keys_or_line {
            let (ka, kb) = if f.blanks {
                (ka.trim_start().to_string(), kb.trim_start().to_string())
            } else {
                (ka, kb)
            };
            let ord = if f.numeric {
                numeric_prefix(&ka)
                    .partial_cmp(&numeric_prefix(&kb))
                    .unwrap_or(Ordering::Equal)
            } else if f.fold {
                ka.to_ascii_uppercase().cmp(&kb.to_ascii_uppercase())
            } else {
                ka.cmp(&kb)
            };
            let ord = if f.reverse { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    };
    let mut lines: Vec<&str> = lines_of(&all);
    // Equal keys fall back to the whole line (busybox without -s).
    let stable = o.has('s');
    crate::sorting::sort_by(&mut lines, |a, b| {
        let primary = compare(a, b);
        if stable {
            primary
        } else {
            primary.then_with(|| a.cmp(b))
        }
    });
    if o.has('r') {
        lines.reverse();
    }
    if o.has('u') {
        // -u keeps the first of lines whose keys compare equal.
        lines.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
    }
    let mut s = lines.join("\n");
    if !lines.is_empty() {
        s.push('\n');
    }
    match o.value('o') {
        Some(f) => {
            let p = sh.abs(f);
            if let Err(e) = sh.write_file(&p, Content::from_text(&s), false) {
                io.eprint(&format!("sort: {f}: {}\n", e.message()));
                return Ok(2);
            }
        }
        None => io.print(&s),
    }
    Ok(code)
}

pub fn uniq(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "fs", false);
    let (ins, code) = inputs(
        sh,
        "uniq",
        &o.args.iter().take(1).cloned().collect::<Vec<_>>(),
        io,
    );
    let mut out = String::new();
    for (_, c) in ins {
        let Some(t) = text_of(sh, &c) else { continue };
        let lines = lines_of(&t);
        let mut i = 0;
        while i < lines.len() {
            let mut j = i + 1;
            while j < lines.len() && lines[j] == lines[i] {
                j += 1;
            }
            let n = j - i;
            let show = !(o.has('d') && n < 2 || o.has('u') && n > 1);
            if show {
                if o.has('c') {
                    out.push_str(&format!("{n:7} "));
                }
                out.push_str(lines[i]);
                out.push('\n');
            }
            i = j;
        }
    }
    if let Some(dst) = o.args.get(1) {
        let p = sh.abs(dst);
        if let Err(e) = sh.write_file(&p, Content::from_text(&out), false) {
            io.eprint(&format!("uniq: {dst}: {}\n", e.message()));
            return Ok(1);
        }
        return Ok(code);
    }
    io.print(&out);
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::key_of;

    #[test]
    fn sort_keys() {
        assert_eq!(key_of("a:b:c", 2, None, Some(':')), "b:c");
        assert_eq!(key_of("a:b:c", 2, Some(2), Some(':')), "b");
        assert_eq!(key_of("  x  y", 2, Some(2), None), "  y");
        assert_eq!(key_of("x", 5, None, None), "");
    }
}
