//! What a build sends: the context after `.dockerignore` (or `<Dockerfile>.dockerignore`),
//! selected by the same filtered walk as BuildKit's (`ignore::select_sent`, mirroring fsutil).
//! A pattern list BuildKit refuses fails the whole build, with BuildKit's message.

use super::{BuildContext, Entry};
use crate::ignore::{select_sent, IgnoreMatcher, PatternError, WalkEntry};
use std::fmt;

/// Why nothing could be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// BuildKit's text, e.g. `invalid excludepatterns: [!]: illegal exclusion pattern: "!"`.
    pub message: String,
    pub pattern: PatternError,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendError {}

impl BuildContext {
    /// The `.dockerignore` in effect, compiled, and the problems of its lines.
    pub fn ignore_matcher(&self) -> (IgnoreMatcher, Vec<PatternError>) {
        IgnoreMatcher::new(&self.dockerignore_text().unwrap_or_default())
    }

    /// The sent entries, sorted by path: regular files, symlinks and directories.
    pub fn sent_entries(&self) -> Result<Vec<(&str, &Entry)>, SendError> {
        let (matcher, _) = self.ignore_matcher();
        if let Some(err) = matcher.fatal_error() {
            let list = matcher.read_patterns().join(" ");
            return Err(SendError {
                message: format!("invalid excludepatterns: [{list}]: {err}"),
                pattern: err.clone(),
            });
        }
        let all: Vec<(&str, &Entry)> = self.iter().collect();
        if matcher.is_empty() {
            return Ok(all);
        }
        let walk: Vec<WalkEntry> = all
            .iter()
            .map(|(p, e)| WalkEntry {
                path: p,
                is_dir: e.is_dir(),
            })
            .collect();
        let mut picked = select_sent(&walk, &matcher).map_err(|err| SendError {
            message: format!("failed to match excludepatterns: {err}"),
            pattern: err,
        })?;
        // The walk sends an excluded-but-entered directory just before its first sent child,
        // which can come after a sibling such as `a.txt` < `a/`; indices restore path order.
        crate::sorting::sort(&mut picked);
        Ok(picked
            .into_iter()
            .filter_map(|i| all.get(i).copied())
            .collect())
    }

    /// The sent paths, sorted: regular files and symlinks, and with `with_dirs` also the
    /// directories, written with a trailing `/` (the `context-files` CLI output).
    pub fn sent_files(&self, with_dirs: bool) -> Result<Vec<String>, SendError> {
        let mut res: Vec<String> = self
            .sent_entries()?
            .into_iter()
            .filter_map(|(p, e)| match e {
                Entry::Dir(_) if with_dirs => Some(format!("{p}/")),
                Entry::Dir(_) => None,
                _ => Some(p.to_string()),
            })
            .collect();
        crate::sorting::sort(&mut res);
        Ok(res)
    }

    /// A context holding only what a build sees (file digests already computed are kept).
    pub fn sent_view(&self) -> Result<BuildContext, SendError> {
        let entries = self
            .sent_entries()?
            .into_iter()
            .map(|(p, e)| (p.to_string(), e.clone()))
            .collect();
        Ok(BuildContext {
            entries,
            clock: self.clock,
            generation: self.generation,
            ignore_override: self.ignore_override.clone(),
        })
    }

    /// Returns true if and only if a build would send `path`.
    pub fn is_sent(&self, path: &str) -> bool {
        let Some(key) = super::normalize_path(path) else {
            return false;
        };
        self.sent_entries()
            .map(|s| s.iter().any(|(p, _)| *p == key))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(files: &[&str], ignore: &str) -> BuildContext {
        let mut c = BuildContext::new();
        for f in files {
            c.write_text(f, "x");
        }
        c.write_text(".dockerignore", ignore);
        c
    }

    #[test]
    fn exceptions_inside_excluded_directories() {
        let files = ["build/keep.txt", "build/out.bin", "app.py"];
        let c = ctx(&files, "build\n!build/keep.txt\n");
        assert_eq!(
            c.sent_files(true).unwrap(),
            [".dockerignore", "app.py", "build/", "build/keep.txt"]
        );
        let c = ctx(&files, "!build/keep.txt\nbuild\n");
        assert_eq!(c.sent_files(true).unwrap(), [".dockerignore", "app.py"]);
        let c = ctx(&files, "*\n!app.py\n");
        assert_eq!(c.sent_files(true).unwrap(), ["app.py"]);
    }

    #[test]
    fn dockerfile_dockerignore_replaces_the_context_one() {
        let mut c = ctx(&["a.txt", "b.txt"], "a.txt\n");
        c.set_dockerignore_override(Some("b.txt\n".into()));
        assert_eq!(c.sent_files(false).unwrap(), [".dockerignore", "a.txt"]);
    }

    #[test]
    fn refused_patterns_fail_like_buildkit() {
        let c = ctx(&["a"], "x\n!\n");
        let err = c.sent_files(false).unwrap_err();
        assert_eq!(
            err.message,
            "invalid excludepatterns: [x !]: illegal exclusion pattern: \"!\""
        );
        let c = ctx(&["a"], "[z-a]\n");
        assert_eq!(
            c.sent_files(false).unwrap_err().message,
            "failed to match excludepatterns: syntax error in pattern"
        );
    }
}
