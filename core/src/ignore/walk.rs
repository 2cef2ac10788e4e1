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
