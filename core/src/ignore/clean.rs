//! Go's `filepath.Clean` for slash paths, which `ignorefile.ReadAll` and
//! `patternmatcher.New` apply to every pattern (so `/src/sub`, `./docs` and `a/../b` work).

/// The shortest path equivalent to `path`: repeated `/` collapsed, `.` elements dropped,
/// `x/..` folded, `..` at the root dropped; `""` becomes `"."`.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for elem in path.split('/') {
        match elem {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            e => parts.push(e),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn like_go_filepath_clean() {
        for (a, b) in [
            ("", "."),
            ("/", "/"),
            ("a//b/./c/", "a/b/c"),
            ("./docs", "docs"),
            ("src/../go.mod", "go.mod"),
            ("../a/..", ".."),
            ("/../x", "/x"),
            ("a/b/../../..", ".."),
            ("!docs/", "!docs"),
        ] {
            assert_eq!(clean(a), b, "{a}");
        }
    }
}
