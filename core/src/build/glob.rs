//! Path helpers for COPY sources: `filepath.Clean` on slash paths and one-segment globbing
//! (`*`, `?`, `[a-z]`, `\x`, Go `filepath.Match` semantics) used to expand `COPY src/*.txt`.

/// `filepath.Clean` on a slash path, without the leading `/` or `./`.
pub fn clean(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// One segment: `*`, `?`, `[a-z]`, `[!x]`, `\x`.
pub fn match_glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            Some(b'?') => {
                pi += 1;
                si += 1;
                continue;
            }
            Some(b'[') => {
                if let Some((ok, len)) = class(&p[pi..], s[si]) {
                    if ok {
                        pi += len;
                        si += 1;
                        continue;
                    }
                } else if s[si] == b'[' {
                    pi += 1;
                    si += 1;
                    continue;
                }
            }
            Some(b'\\') if pi + 1 < p.len() && p[pi + 1] == s[si] => {
                pi += 2;
                si += 1;
                continue;
            }
            Some(&c) if c == s[si] => {
                pi += 1;
                si += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

/// A `[...]` class at the start of `p`: (matches `c`, length of the class).
fn class(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(1), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == b']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        let lo = p[i];
        if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
            if lo <= c && c <= p[i + 2] {
                hit = true;
            }
            i += 3;
        } else {
            if lo == c {
                hit = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_one_segment() {
        assert!(match_glob(b"*.txt", b"a.txt") && !match_glob(b"*.txt", b"a.md"));
        assert!(match_glob(b"secre?.[a-z]xt", b"secret.txt"));
        assert_eq!(clean("./a//b/../c/"), "a/c");
    }
}
