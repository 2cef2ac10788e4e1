//! The syntax check `patternmatcher.New` runs on every pattern: `filepath.Match(p, ".")`,
//! which walks the whole pattern and fails with `ErrBadPattern` on an unclosed or malformed
//! `[...]` or a trailing `\`.

use super::fnmatch::filepath_match;

/// Returns true if and only if Go's `filepath.Match` accepts `pattern` (on Unix).
pub fn is_valid_filepath_pattern(pattern: &str) -> bool {
    filepath_match(pattern, ".").is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_valid_filepath_pattern as ok;

    #[test]
    fn classes_and_escapes() {
        for p in [
            "a[b-d]e",
            "[\\]a]",
            "[\\-]",
            "[x\\-]",
            "*x",
            "[a-ζ]*",
            "[Local-Only]",
            "[*]",
        ] {
            assert!(ok(p), "{p}");
        }
        for p in [
            "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "[abc",
        ] {
            assert!(!ok(p), "{p}");
        }
    }
}
