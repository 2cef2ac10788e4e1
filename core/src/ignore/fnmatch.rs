//! Go's `filepath.Match` on Unix (path/filepath/match.go): `*` (not across `/`), `?`, `[...]`
//! classes with ranges and `^` negation, `\` escapes. BuildKit uses it to resolve wildcard
//! sources of `COPY`/`ADD` against context paths, and `patternmatcher.New` uses it to reject
//! malformed `.dockerignore` patterns (`filepath.Match(p, ".")`).

/// Go's `filepath.ErrBadPattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

/// Returns whether `name` matches the shell pattern `pattern` (the whole name), or
/// `BadPattern` if the pattern is malformed (checked over the whole pattern, as Go does).
pub fn filepath_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it has a `/`.
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        // The last chunk must use up the name; otherwise the star may still help.
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Before failing, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// `scanChunk`: leading stars, then everything up to the next star outside `[...]`.
fn scan_chunk(mut p: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let [b'*', tail @ ..] = p {
        p = tail;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            // An escape skips the next byte (a trailing `\` is caught by `match_chunk`).
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    let (chunk, rest) = p.split_at(i);
    (star, chunk, rest)
}

/// `matchChunk`: matches `chunk` at the start of `s`; returns what is left of `s` and
/// whether it matched. After a mismatch the chunk is still parsed, to report bad syntax.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<(&'s [u8], bool), BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r: u32 = 0;
                if !failed {
                    let (ch, n) = decode(s);
                    r = ch;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut n_range = 0;
                loop {
                    if chunk.first() == Some(&b']') && n_range > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    n_range += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s.first() == Some(&b'/') {
                        failed = true;
                    }
                    let (_, n) = decode(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk.first() != s.first() {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        return Ok((&[], false));
    }
    Ok((s, true))
}

/// `getEsc`: one possibly escaped character of a class; something must follow it.
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut c = chunk;
    match c.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            c = &c[1..];
            if c.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let (r, n) = decode(c);
    if r == INVALID && n == 1 {
        return Err(BadPattern);
    }
    let rest = &c[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Go's `utf8.RuneError`.
const INVALID: u32 = 0xFFFD;

/// `utf8.DecodeRune`: the character at the start and its length; `(RuneError, 1)` for an
/// invalid byte, `(RuneError, 0)` for nothing.
fn decode(s: &[u8]) -> (u32, usize) {
    let Some(&b) = s.first() else {
        return (INVALID, 0);
    };
    let n = match b {
        0x00..=0x7f => return (b as u32, 1),
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return (INVALID, 1),
    };
    match s
        .get(..n)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|t| t.chars().next())
    {
        Some(ch) => (ch as u32, n),
        None => (INVALID, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::filepath_match as m;

    #[test]
    fn go_match_table() {
        // From Go's path/filepath match_test.go.
        let ok = [
            ("abc", "abc"),
            ("*", "abc"),
            ("*c", "abc"),
            ("a*", "a"),
            ("a*", "abc"),
            ("a*/b", "abc/b"),
            ("a*b*c*d*e*/f", "axbxcxdxe/f"),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f"),
            ("a*b?c*x", "abxbbxdbxebxczzx"),
            ("ab[c]", "abc"),
            ("ab[b-d]", "abc"),
            ("ab[^e-g]", "abc"),
            ("a\\*b", "a*b"),
            ("a?b", "a☺b"),
            ("a[^a]b", "a☺b"),
            ("[a-ζ]*", "α"),
            ("[\\]a]", "]"),
            ("[x\\-]", "-"),
            ("*x", "xxx"),
        ];
        for (p, n) in ok {
            assert_eq!(m(p, n), Ok(true), "{p} {n}");
        }
        let no = [
            ("a*", "ab/c"),
            ("a*/b", "a/c/b"),
            ("a*b", "a/b"),
            ("a???b", "a☺b"),
            ("*[a-ζ]", "A"),
        ];
        for (p, n) in no {
            assert_eq!(m(p, n), Ok(false), "{p} {n}");
        }
        for p in [
            "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "*[a-",
        ] {
            assert!(m(p, "a").is_err() || m(p, "x").is_err(), "{p}");
        }
    }
}
