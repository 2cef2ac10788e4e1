//! Which entries of a context BuildKit sends: tonistiigi/fsutil's filtered walk
//! (`filterFS.Walk` in filter.go) over the `.dockerignore` matcher.
//!
//! - Every entry is matched with its parent directory's per-pattern results.
//! - An excluded directory is not even entered ("SkipDir") unless an exception could match
//!   inside it: any exception with a wildcard (`*?[]^\`) makes fsutil enter every excluded
//!   directory; otherwise only directories that prefix an exception's path are entered.
//! - An excluded directory that is entered is sent only if something inside it is sent
//!   (then it is sent first, before that entry). So `build` + `!build/keep.txt` sends `build/`
//!   and `build/keep.txt`, while `!build/keep.txt` + `build` sends neither (buildkit-truth:
//!   "no empty build/ directory is sent any more").

use super::matcher::{IgnoreMatcher, MatchInfo};
use super::pattern::{Pattern, PatternError};
use std::collections::HashMap;

/// One entry of the context: a slash path relative to its root, without a leading `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkEntry<'a> {
    pub path: &'a str,
    pub is_dir: bool,
}

struct DirState {
    /// Index of the directory in the entries.
    idx: usize,
    info: MatchInfo,
    /// Sent already (`calledFn`).
    sent: bool,
    /// Not entered (`SkipDir`): nothing below it is visited.
    pruned: bool,
}

/// The indices into `entries` that BuildKit sends, in walk order. `entries` must list every
/// directory (also the implicit parents of files) before anything inside it; sorting by path
/// does that. Fails as BuildKit does when a pattern Go's regexp refuses must be evaluated.
pub fn select_sent(
    entries: &[WalkEntry<'_>],
    matcher: &IgnoreMatcher,
) -> Result<Vec<usize>, PatternError> {
    let exceptions: Vec<&Pattern> = matcher.patterns().iter().filter(|p| p.exclusion).collect();
    let only_prefix_exceptions = !exceptions
        .iter()
        .any(|p| without_trailing_glob(&p.text).contains(['*', '[', ']', '?', '^', '\\']));
    let mut dirs: HashMap<&str, DirState> = HashMap::new();
    let mut res = Vec::new();
    for (idx, entry) in entries.iter().enumerate() {
        let parent = entry.path.rfind('/').map(|i| &entry.path[..i]);
        let parent_info = match parent {
            None => None,
            Some(p) => match dirs.get(p) {
                Some(state) if !state.pruned => Some(&state.info),
                // Inside a directory that was not entered (or is unknown): never visited.
                _ => {
                    if entry.is_dir {
                        dirs.insert(
                            entry.path,
                            DirState {
                                idx,
                                info: MatchInfo::default(),
                                sent: false,
                                pruned: true,
                            },
                        );
                    }
                    continue;
                }
            },
        };
        let empty = MatchInfo::default();
        let decision = matcher
            .matches_using_parent_results(entry.path, parent_info.unwrap_or(&empty))
            .map_err(|i| matcher.use_error(i))?;
        let mut skip = false;
        if decision.excluded {
            if entry.is_dir && only_prefix_exceptions {
                let dir_slash = format!("{}/", entry.path);
                let enter = exceptions.iter().any(|p| {
                    format!("{}/", without_trailing_glob(&p.text)).starts_with(&dir_slash)
                });
                if !enter {
                    dirs.insert(
                        entry.path,
                        DirState {
                            idx,
                            info: decision.info,
                            sent: false,
                            pruned: true,
                        },
                    );
                    continue;
                }
            }
            skip = true;
        }
        if entry.is_dir {
            dirs.insert(
                entry.path,
                DirState {
                    idx,
                    info: decision.info,
                    sent: !skip,
                    pruned: false,
                },
            );
        }
        if skip {
            continue;
        }
        // Send the excluded-but-entered ancestors first, outermost first. A sent directory's
        // ancestors are all sent already, so the climb stops at the first sent one.
        let mut unsent: Vec<&str> = Vec::new();
        let mut cur = parent;
        while let Some(dir) = cur {
            match dirs.get(dir) {
                Some(state) if !state.sent => unsent.push(dir),
                _ => break,
            }
            cur = dir.rfind('/').map(|i| &dir[..i]);
        }
        for dir in unsent.into_iter().rev() {
            if let Some(state) = dirs.get_mut(dir) {
                state.sent = true;
                res.push(state.idx);
            }
        }
        res.push(idx);
    }
    Ok(res)
}

/// fsutil `patternWithoutTrailingGlob`: `a/**` and `a/*` count as `a`.
fn without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sent paths (dirs with `/`) for a tree given as sorted paths (dirs end with `/`).
    fn sent(tree: &[&str], patterns: &[&str]) -> Vec<String> {
        let entries: Vec<WalkEntry> = tree
            .iter()
            .map(|p| WalkEntry {
                path: p.trim_end_matches('/'),
                is_dir: p.ends_with('/'),
            })
            .collect();
        let (m, errors) = IgnoreMatcher::from_patterns(patterns);
        assert!(errors.is_empty());
        let picked = select_sent(&entries, &m).expect("no bad pattern");
        picked.into_iter().map(|i| tree[i].to_string()).collect()
    }

    // Cases from tonistiigi/fsutil filter_test.go.
    #[test]
    fn walker_exclude() {
        let tree = ["bar", "foo/", "foo/bar2", "foo2"];
        assert_eq!(
            sent(&tree, &["foo*", "!foo/bar2"]),
            ["bar", "foo/", "foo/bar2"]
        );
    }

    #[test]
    fn filtered_open_invert() {
        let tree = [
            "foo/",
            "foo/bar/",
            "foo/bar/baz/",
            "foo/bar/baz/x",
            "foo/bar/baz/y",
        ];
        let got = sent(&tree, &["foo", "!foo/bar", "foo/bar/baz", "!foo/bar/baz/x"]);
        assert_eq!(got, ["foo/", "foo/bar/", "foo/bar/baz/", "foo/bar/baz/x"]);
    }

    #[test]
    fn exception_order_and_wildcard_exceptions() {
        let tree = ["foo/", "foo/bar"];
        assert_eq!(sent(&tree, &["foo", "!foo/bar"]), ["foo/", "foo/bar"]);
        assert!(sent(&tree, &["!foo/bar", "foo"]).is_empty());
        // A wildcard exception makes the walk enter every excluded directory.
        let tree = ["a/", "a/b/", "a/b/keep.txt", "a/b/x.bin"];
        assert_eq!(
            sent(&tree, &["a", "!a/*/keep.txt"]),
            ["a/", "a/b/", "a/b/keep.txt"]
        );
    }
}
