//! The pattern list and its answers: moby/patternmatcher's `PatternMatcher`. The last pattern
//! that matches decides (a `!` exception re-includes), and a directory's result is inherited by
//! everything under it, as `MatchesUsingParentResults` does when fsutil walks the context.

use super::clean::clean;
use super::pattern::{build, Pattern, PatternError, PatternErrorKind};
use super::read::read_all;

/// Which pattern decided about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match<T> {
    /// No pattern matched: the path is sent.
    None,
    /// Excluded by this pattern.
    Excluded(T),
    /// Re-included by this `!` pattern.
    Included(T),
}

impl<T> Match<T> {
    /// Returns true if and only if the path is excluded.
    pub fn is_excluded(&self) -> bool {
        matches!(self, Match::Excluded(_))
    }
}

/// Per-pattern results for a directory, handed to its children (patternmatcher `MatchInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInfo {
    parent_matched: Vec<bool>,
}

/// One answer of [`IgnoreMatcher::matches_using_parent_results`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub excluded: bool,
    /// Index of the pattern that last set the result.
    pub decider: Option<usize>,
    pub info: MatchInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreMatcher {
    patterns: Vec<Pattern>,
    /// What `ignorefile.ReadAll` returned, for BuildKit's error messages.
    read: Vec<String>,
    fatal: Option<PatternError>,
}

impl IgnoreMatcher {
    /// Reads a `.dockerignore` text. The matcher always works (bad lines are left out); the
    /// errors say which lines BuildKit would refuse ([`PatternError::is_fatal`]).
    pub fn new(text: &str) -> (IgnoreMatcher, Vec<PatternError>) {
        let lines = match read_all(text) {
            Ok(lines) => lines,
            Err(line) => {
                let err = PatternError {
                    line,
                    pattern: String::new(),
                    start: 0,
                    end: 0,
                    kind: PatternErrorKind::LineTooLong,
                };
                let m = IgnoreMatcher {
                    fatal: Some(err.clone()),
                    ..IgnoreMatcher::default()
                };
                return (m, vec![err]);
            }
        };
        let entries: Vec<(String, u32, String, usize, usize)> = lines
            .into_iter()
            .map(|l| {
                let original = text.get(l.start..l.end).unwrap_or("").to_string();
                (l.pattern, l.line, original, l.start, l.end)
            })
            .collect();
        IgnoreMatcher::build(entries)
    }

    /// `patternmatcher.New` over a list of patterns (already read), e.g. from a test table.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> (IgnoreMatcher, Vec<PatternError>) {
        let entries = patterns
            .iter()
            .map(|p| (p.as_ref().to_string(), 0, p.as_ref().to_string(), 0, 0))
            .collect();
        IgnoreMatcher::build(entries)
    }

    fn build(
        entries: Vec<(String, u32, String, usize, usize)>,
    ) -> (IgnoreMatcher, Vec<PatternError>) {
        let mut res = IgnoreMatcher::default();
        let mut errors = Vec::new();
        for (text, line, original, start, end) in entries {
            res.read.push(text.clone());
            match build(&text, line, &original) {
                None => {}
                Some(Ok(p)) => {
                    if let Err(e) = &p.glob {
                        errors.push(PatternError {
                            line,
                            pattern: text.clone(),
                            start,
                            end,
                            kind: PatternErrorKind::BadRegex(e.clone()),
                        });
                    }
                    res.patterns.push(p);
                }
                Some(Err(kind)) => {
                    let err = PatternError {
                        line,
                        pattern: text,
                        start,
                        end,
                        kind,
                    };
                    if res.fatal.is_none() {
                        res.fatal = Some(err.clone());
                    }
                    errors.push(err);
                }
            }
        }
        (res, errors)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The pattern list as `ReadAll` returned it (what BuildKit prints in its errors).
    pub fn read_patterns(&self) -> &[String] {
        &self.read
    }

    /// Returns true if and only if there is at least one `!` exception (`Exclusions()`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Returns true if and only if there are no patterns at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The first error that makes BuildKit refuse the whole list before sending anything.
    pub fn fatal_error(&self) -> Option<&PatternError> {
        self.fatal.as_ref()
    }

    /// Which pattern decides about a slash path relative to the context (`is_dir` is accepted
    /// for callers' clarity; BuildKit's matching does not look at it). The path's parent
    /// directories are matched first and their results inherited, as in a context walk.
    /// Patterns Go's regexp refuses never match here; see [`IgnoreMatcher::try_matched`].
    pub fn matched(&self, path: &str, is_dir: bool) -> Match<&Pattern> {
        let _ = is_dir;
        self.walk_to(path, true).unwrap_or(Match::None)
    }

    /// Like [`IgnoreMatcher::matched`], but fails as BuildKit does when a pattern Go's regexp
    /// refuses has to be evaluated (`syntax error in pattern`).
    pub fn try_matched(&self, path: &str) -> Result<Match<&Pattern>, PatternError> {
        self.walk_to(path, false)
    }

    fn walk_to(&self, path: &str, lenient: bool) -> Result<Match<&Pattern>, PatternError> {
        let path = clean(path);
        let path = path.trim_start_matches('/');
        if path == "." || path.is_empty() {
            return Ok(Match::None);
        }
        let mut info = MatchInfo::default();
        let mut decision = None;
        let mut end = 0;
        for comp in path.split('/') {
            end += comp.len();
            let prefix = path.get(..end).unwrap_or(path);
            end += 1;
            let d = if lenient {
                self.decide_lenient(prefix, &info)
            } else {
                self.matches_using_parent_results(prefix, &info)
                    .map_err(|i| self.use_error(i))?
            };
            info = d.info.clone();
            decision = Some(d);
        }
        Ok(match decision {
            Some(d) => self.answer(&d),
            None => Match::None,
        })
    }

    fn decide_lenient(&self, path: &str, parent: &MatchInfo) -> Decision {
        self.decide(path, parent, true).unwrap_or(Decision {
            excluded: false,
            decider: None,
            info: MatchInfo::default(),
        })
    }

    /// Turns a decision into the answer naming its pattern.
    pub fn answer(&self, d: &Decision) -> Match<&Pattern> {
        match d.decider.and_then(|i| self.patterns.get(i)) {
            None => Match::None,
            Some(p) if d.excluded => Match::Excluded(p),
            Some(p) => Match::Included(p),
        }
    }

    pub(crate) fn use_error(&self, idx: usize) -> PatternError {
        let p = self.patterns.get(idx);
        PatternError {
            line: p.map_or(0, |p| p.line),
            pattern: p.map_or(String::new(), |p| p.text.clone()),
            start: 0,
            end: 0,
            kind: match p.map(|p| &p.glob) {
                Some(Err(e)) => PatternErrorKind::BadRegex(e.clone()),
                _ => PatternErrorKind::BadSyntax,
            },
        }
    }

    /// `MatchesUsingParentResults(path, parent)`: with the parent's info each pattern the
    /// parent matched stays matched; with none (a top-level path), the path's parent
    /// directories are tried as `MatchesOrParentMatches` does. `Err(i)`: pattern `i` could
    /// not be evaluated (Go's ErrBadPattern).
    pub fn matches_using_parent_results(
        &self,
        path: &str,
        parent: &MatchInfo,
    ) -> Result<Decision, usize> {
        self.decide(path, parent, false)
    }

    fn decide(&self, path: &str, parent: &MatchInfo, lenient: bool) -> Result<Decision, usize> {
        let has_parent = !parent.parent_matched.is_empty();
        let mut excluded = false;
        let mut decider = None;
        let mut info = vec![false; self.patterns.len()];
        for (i, pattern) in self.patterns.iter().enumerate() {
            let mut m = has_parent && parent.parent_matched.get(i).copied().unwrap_or(false);
            if !m {
                // An exception only matters once something is excluded, and vice versa.
                if pattern.exclusion != excluded {
                    continue;
                }
                m = match pattern.is_match(path) {
                    Ok(m) => m,
                    Err(_) if lenient => false,
                    Err(_) => return Err(i),
                };
                if !m && !has_parent {
                    m = parent_dirs(path).any(|dir| pattern.is_match(&dir).unwrap_or(false));
                }
            }
            if let Some(slot) = info.get_mut(i) {
                *slot = m;
            }
            if m {
                excluded = !pattern.exclusion;
                decider = Some(i);
            }
        }
        Ok(Decision {
            excluded,
            decider,
            info: MatchInfo {
                parent_matched: info,
            },
        })
    }

    /// `MatchesOrParentMatches(path)` (the path is used as given).
    pub fn matches_or_parent_matches(&self, path: &str) -> Result<bool, usize> {
        self.decide(path, &MatchInfo::default(), false)
            .map(|d| d.excluded)
    }

    /// The deprecated `Matches(path)`: only ONE parent directory, as deep as the pattern,
    /// is tried. Kept for the upstream test table; BuildKit no longer calls it.
    pub fn matches_single_parent(&self, path: &str) -> Result<bool, usize> {
        let parent = go_dir(path);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for (i, pattern) in self.patterns.iter().enumerate() {
            if pattern.exclusion != matched {
                continue;
            }
            let mut m = pattern.is_match(path).map_err(|_| i)?;
            let n_dirs = pattern.text.split('/').count();
            if !m && parent != "." && n_dirs <= parent_dirs.len() {
                let joined = parent_dirs.get(..n_dirs).unwrap_or_default().join("/");
                m = pattern.is_match(&joined).unwrap_or(false);
            }
            if m {
                matched = !pattern.exclusion;
            }
        }
        Ok(matched)
    }
}

/// Go's `filepath.Dir` for slash paths.
fn go_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(path.get(..i + 1).unwrap_or("")),
        None => ".".to_string(),
    }
}

/// `strings.Split(filepath.Dir(path), "/")` joined back one element at a time, as
/// `MatchesOrParentMatches` tries them: `a/b/c` gives `a`, `a/b`; a top-level path nothing.
fn parent_dirs(path: &str) -> impl Iterator<Item = String> {
    let parent = go_dir(path);
    let mut acc: Vec<String> = Vec::new();
    if parent != "." {
        let parts: Vec<&str> = parent.split('/').collect();
        for i in 1..=parts.len() {
            acc.push(parts.get(..i).unwrap_or_default().join("/"));
        }
    }
    acc.into_iter()
}
