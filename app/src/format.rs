//! Formatting numbers for people: byte sizes, counted nouns and shell-quoted command lines.

/// `1.23 MB`, `340 kB`, `12 B`: decimal units as `docker images` prints them; core owns the
/// format so the layer view and the package notes agree.
pub use layerlab_core::units::human_size as bytes;

/// `1 file`, `3 files`: a count with its noun (regular English plurals only).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // `bytes` is core's `units::human_size`, tested there.
    #[test]
    fn counts() {
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(count(1, "instruction"), "1 instruction");
        assert_eq!(count(2, "base image row"), "2 base image rows");
    }

    #[test]
    fn quotes() {
        assert_eq!(shell_quote("app:1.0"), "app:1.0");
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
        assert_eq!(shell_quote(""), "''");
    }
}
