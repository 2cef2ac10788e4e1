//! Formatting numbers for people: byte sizes and shell-quoted command lines.

/// `1.23 MB`, `340 kB`, `12 B`: decimal units as `docker images` prints them; core owns the
/// format so the layer view and the package notes agree.
pub use layerlab_core::units::human_size as bytes;

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
    fn quotes() {
        assert_eq!(shell_quote("app:1.0"), "app:1.0");
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
        assert_eq!(shell_quote(""), "''");
    }
}
