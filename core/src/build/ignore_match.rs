//! .dockerignore matching with moby/patternmatcher semantics, as the build driver needs it:
//! last matching pattern wins, a pattern also matches everything below a matched directory
//! (`MatchesOrParentMatches`), `!` re-includes, `**` spans directories (and matches zero).
//!
//! Adapter: `crate::ignore` (the project's full matcher with diagnostics) replaces this when it
//! lands.

/// One compiled line of a .dockerignore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub original: String,
    pub exclusion: bool,
    /// The cleaned pattern, split on `/`.
    segments: Vec<String>,
}

/// The patterns of a .dockerignore, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matcher {
    pub patterns: Vec<Pattern>,
}

impl Matcher {
    /// Reads a .dockerignore (BuildKit `ignorefile.ReadAll`): comments and blank lines skipped,
    /// each line trimmed and cleaned like `filepath.Clean`, a leading `/` dropped.
    pub fn parse(text: &str) -> Matcher {
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exclusion, body) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let cleaned = clean(body);
            if cleaned.is_empty() || cleaned == "." {
                continue;
            }
            patterns.push(Pattern { original: line.to_string(), exclusion, segments: cleaned.split('/').map(str::to_string).collect() });
        }
        Matcher { patterns }
    }

    /// Returns true if and only if `path` (relative, `/`-separated) is excluded.
    pub fn excluded(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut excluded = false;
        for p in &self.patterns {
            // The path itself or any of its parents.
            let hit = (1..=segs.len()).any(|n| match_segments(&p.segments, &segs[..n]));
            if hit {
                excluded = !p.exclusion;
            }
        }
        excluded
    }
}

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

/// Matches pattern segments against path segments; `**` matches any number of segments.
fn match_segments(pat: &[String], path: &[&str]) -> bool {
    // DP over (pattern index, path index); bounded by their product.
    let (np, ns) = (pat.len(), path.len());
    let mut dp = vec![vec![false; ns + 1]; np + 1];
    dp[np][ns] = true;
    for i in (0..np).rev() {
        for j in (0..=ns).rev() {
            dp[i][j] = if pat[i] == "**" {
                dp[i + 1][j] || (j < ns && dp[i][j + 1])
            } else {
                j < ns && match_glob(pat[i].as_bytes(), path[j].as_bytes()) && dp[i + 1][j + 1]
            };
        }
    }
    dp[0][0]
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
            Some(b'\\') if pi + 1 < p.len() => {
                if p[pi + 1] == s[si] {
                    pi += 2;
                    si += 1;
                    continue;
                }
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
    fn dockerignore_rules_from_the_truth_readme() {
        let m = Matcher::parse("*.log\n!keep.log\nbuild/\n**/*.pyc\ndocs/**/*.md\n*/temp*\n");
        assert!(m.excluded("notes.log") && !m.excluded("keep.log"));
        assert!(m.excluded("build/out.bin") && m.excluded("src/sub/x.pyc") && m.excluded("a.pyc"));
        assert!(m.excluded("docs/a.md") && m.excluded("docs/inner/b.md") && !m.excluded("docs/inner/c.txt"));
        assert!(m.excluded("data/temp.txt") && m.excluded("data/temp/x.txt") && !m.excluded("temp1.txt"));
        let m = Matcher::parse("build\n!build/keep.txt\n/src/sub\n./docs\n");
        assert!(!m.excluded("build/keep.txt") && m.excluded("build/out.bin"));
        assert!(m.excluded("src/sub/a") && m.excluded("docs/x"));
        let m = Matcher::parse("*.md\n");
        assert!(m.excluded("README.md") && !m.excluded("src/sub/README.md"));
    }
}
