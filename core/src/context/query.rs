//! Read access for the simulator: entries by path, everything under a directory (a range of
//! the sorted map, not a scan), and `COPY` wildcard sources resolved as BuildKit's copier
//! does (fsutil copy.go `ResolveWildcards`).

use super::{normalize_path, parent_of, BuildContext, Entry, FileEntry};
use crate::ignore::filepath_match;
use std::collections::HashSet;
use std::ops::Bound;

impl BuildContext {
    /// The entry at `path` (`./a`, `/a` and `a` are the same path).
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(&normalize_path(path)?)
    }

    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.get(path)?.as_file()
    }

    /// Returns true if and only if something exists at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// All entries, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// All regular files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &FileEntry)> + '_ {
        self.entries
            .iter()
            .filter_map(|(k, v)| v.as_file().map(|f| (k.as_str(), f)))
    }

    /// Every entry strictly below directory `dir` (`""`, `.` or `/` for the whole context).
    pub fn under<'a>(&'a self, dir: &str) -> Box<dyn Iterator<Item = (&'a str, &'a Entry)> + 'a> {
        let Some(dir) = normalize_path(dir) else {
            return Box::new(self.iter());
        };
        // Keys below `dir` are exactly those in ["dir/", "dir0"): '0' follows '/'.
        let lo = format!("{dir}/");
        let hi = format!("{dir}0");
        Box::new(
            self.entries
                .range::<str, _>((Bound::Included(lo.as_str()), Bound::Excluded(hi.as_str())))
                .map(|(k, v)| (k.as_str(), v)),
        )
    }

    /// Total size of the regular files.
    pub fn total_size(&self) -> u64 {
        self.files().map(|(_, f)| f.size()).sum()
    }

    /// The context paths a `COPY`/`ADD` source names. Without wildcards: the path itself if it
    /// exists. With them: the literal leading directories are kept, and below them every entry
    /// whose relative path matches the rest (Go `filepath.Match`: `*` stops at `/`) is taken;
    /// a matching directory is taken whole, its contents are not matched again. In walk order.
    pub fn glob(&self, pattern: &str) -> Vec<&str> {
        let cleaned = crate::ignore::clean(pattern);
        let rel = cleaned.trim_start_matches('/');
        let parts: Vec<&str> = if rel.is_empty() || rel == "." {
            Vec::new()
        } else {
            rel.split('/').collect()
        };
        let split = parts.iter().position(|p| contains_wildcards(p));
        let Some(split) = split else {
            return match normalize_path(rel) {
                Some(p) => self
                    .entries
                    .get_key_value(&p)
                    .map(|(k, _)| vec![k.as_str()])
                    .unwrap_or_default(),
                None => Vec::new(),
            };
        };
        let base = parts.get(..split).unwrap_or_default().join("/");
        let rest = parts.get(split..).unwrap_or_default().join("/");
        let mut res: Vec<&str> = Vec::new();
        // `*` and `?` never match `/`, so an entry below a matched directory has more
        // components than the pattern and cannot match again; only a class such as `[/]` can
        // cross a `/`, and only then do we check for a matched ancestor (fsutil's SkipDir).
        let may_cross_slash = rest.contains('[');
        let mut taken_dirs: HashSet<&str> = HashSet::new();
        for (path, entry) in self.under(&base) {
            if may_cross_slash && !taken_dirs.is_empty() {
                let mut ancestor = parent_of(path);
                let mut inside_taken = false;
                while let Some(dir) = ancestor {
                    if taken_dirs.contains(dir) {
                        inside_taken = true;
                        break;
                    }
                    ancestor = parent_of(dir);
                }
                if inside_taken {
                    continue;
                }
            }
            let relative = if base.is_empty() {
                path
            } else {
                path.get(base.len() + 1..).unwrap_or("")
            };
            if filepath_match(&rest, relative).unwrap_or(false) {
                res.push(path);
                if entry.is_dir() {
                    taken_dirs.insert(path);
                }
            }
        }
        crate::sorting::sort_by(&mut res, |a, b| a.split('/').cmp(b.split('/')));
        res
    }
}

/// fsutil `containsWildcards`: `*`, `?` or `[` not escaped by `\`.
fn contains_wildcards(name: &str) -> bool {
    let b = name.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(paths: &[&str]) -> BuildContext {
        let mut c = BuildContext::new();
        for p in paths {
            c.write_text(p, "x");
        }
        c
    }

    #[test]
    fn under_is_a_range_of_the_sorted_map() {
        let c = ctx(&["a/x", "a.txt", "a/b/y", "ab/z"]);
        let under: Vec<&str> = c.under("a").map(|(p, _)| p).collect();
        assert_eq!(under, ["a/b", "a/b/y", "a/x"]);
        assert_eq!(c.under("./").count(), c.len());
        assert!(c.file("/a/x").is_some() && c.file("a/b").is_none());
    }

    #[test]
    fn copy_wildcards_like_fsutil() {
        let c = ctx(&[
            "app.cfg",
            "b.cfg",
            "sub/c.cfg",
            "src/m/a.rs",
            "src/n/b.rs",
            "cfgdir.cfg/inner.cfg",
        ]);
        assert_eq!(c.glob("*.cfg"), ["app.cfg", "b.cfg", "cfgdir.cfg"]);
        assert_eq!(c.glob("src/*/a.rs"), ["src/m/a.rs"]);
        assert_eq!(c.glob("./sub/[a-c].cfg"), ["sub/c.cfg"]);
        assert_eq!(c.glob("missing*"), Vec::<&str>::new());
        assert_eq!(c.glob("b.cfg"), ["b.cfg"]);
        assert_eq!(c.glob("nope.cfg"), Vec::<&str>::new());
    }
}
