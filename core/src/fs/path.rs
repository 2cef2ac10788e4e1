//! Path keys: the filesystem stores absolute paths as "keys" without the leading slash
//! (`/a/b` is `a/b`, the root is the empty key), which is also how a layer tar names entries.

/// The key of an absolute or relative `path` after lexical cleaning (`.`, `..`, `//`);
/// relative paths are taken from the root. `..` at the root stays at the root.
pub fn key_of(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The absolute path of a key (`a/b` -> `/a/b`, `` -> `/`).
pub fn abs_of(key: &str) -> String {
    format!("/{key}")
}

/// `path` made absolute against `cwd` (itself absolute) and cleaned.
pub fn join_abs(cwd: &str, path: &str) -> String {
    // Already clean (a COPY joins every file of a tree this way): one allocation.
    if is_clean_abs(cwd) && is_clean_relative(path) {
        let mut out = String::with_capacity(cwd.len() + 1 + path.len());
        out.push_str(cwd);
        if cwd != "/" {
            out.push('/');
        }
        out.push_str(path);
        return out;
    }
    if path.starts_with('/') {
        abs_of(&key_of(path))
    } else {
        abs_of(&key_of(&format!("{cwd}/{path}")))
    }
}

/// True if `path` is relative, non-empty, and has no empty, `.` or `..` component (`a/b`).
fn is_clean_relative(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// True if `path` is `/` or an absolute path `key_of` leaves as it is (`/a/b`).
fn is_clean_abs(path: &str) -> bool {
    path == "/" || path.strip_prefix('/').is_some_and(is_clean_relative)
}

/// The key of the parent directory (`a/b` -> `a`, `a` -> ``). The root is its own parent.
pub fn parent_key(key: &str) -> &str {
    match key.rfind('/') {
        Some(i) => &key[..i],
        None => "",
    }
}

/// The last component of a key (`a/b` -> `b`, `` -> ``).
pub fn base_name(key: &str) -> &str {
    match key.rfind('/') {
        Some(i) => &key[i + 1..],
        None => key,
    }
}

/// `parent/name` as a key.
pub fn child_key(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// True if `key` is `ancestor` or lies below it (component-wise).
pub fn is_within(key: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || key == ancestor
        || (key.len() > ancestor.len()
            && key.starts_with(ancestor)
            && key.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

/// The proper ancestors of a key, nearest last (`a/b/c` -> [`a`, `a/b`]); the root is excluded.
pub fn ancestors(key: &str) -> Vec<&str> {
    key.match_indices('/').map(|(i, _)| &key[..i]).collect()
}

/// The prefix every descendant key of `key` starts with (`` for the root).
pub fn descendant_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("{key}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_cleaned_lexically() {
        for (input, want) in [
            ("/", ""),
            ("/a//b/./c/", "a/b/c"),
            ("/a/../../b", "b"),
            ("a/b", "a/b"),
            ("/..", ""),
        ] {
            assert_eq!(key_of(input), want, "{input}");
        }
        assert_eq!(join_abs("/tmp", "x/../y"), "/tmp/y");
        assert_eq!(join_abs("/tmp", "/etc"), "/etc");
        for (cwd, path, want) in [
            ("/", "a/b", "/a/b"),
            ("/app", "m1/f.txt", "/app/m1/f.txt"),
            ("/app/", "f", "/app/f"),
            ("/app", "", "/app"),
            ("/app", ".", "/app"),
            ("/app", "a//b/", "/app/a/b"),
            ("/a/./b", "../c", "/a/c"),
            ("/", "..", "/"),
        ] {
            assert_eq!(join_abs(cwd, path), want, "{cwd} + {path}");
        }
        assert_eq!(parent_key("a/b"), "a");
        assert_eq!(parent_key("a"), "");
        assert_eq!(ancestors("a/b/c"), vec!["a", "a/b"]);
        assert!(is_within("a/b", "a"));
        assert!(!is_within("ab", "a"));
        assert!(is_within("x", ""));
    }
}
