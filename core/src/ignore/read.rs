//! Reading a `.dockerignore` into pattern lines: moby/patternmatcher `ignorefile.ReadAll`.
//! A UTF-8 BOM on the first line is dropped; a line starting with `#` (column 0 only) is a
//! comment; other lines are trimmed, cleaned (`filepath.Clean`), and lose one leading `/`,
//! keeping a leading `!`. Lines are split as `bufio.Scanner` does (a `\r` before `\n` goes).

use super::clean::clean;

/// `bufio.Scanner`'s default maximum token size: a longer line makes `ReadAll` fail.
pub const MAX_LINE: usize = 64 * 1024;

/// One non-comment, non-blank line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternLine {
    /// 1-based line number.
    pub line: u32,
    /// Byte range of the raw line in the file (without its line ending).
    pub start: usize,
    pub end: usize,
    /// The pattern as `ReadAll` returns it (cleaned, maybe with a leading `!`).
    pub pattern: String,
}

/// Returns the pattern lines, or the 1-based number of a line too long for BuildKit's reader.
pub fn read_all(text: &str) -> Result<Vec<PatternLine>, u32> {
    let mut res = Vec::new();
    let mut offset = 0usize;
    for (idx, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let start = offset;
        offset += raw.len();
        let mut line = raw.strip_suffix('\n').unwrap_or(raw);
        line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() > MAX_LINE {
            return Err(line_no);
        }
        let mut body_start = start;
        if idx == 0 {
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest;
                body_start += '\u{feff}'.len_utf8();
            }
        }
        let end = body_start + line.len();
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if invert {
            cleaned.insert(0, '!');
        }
        res.push(PatternLine {
            line: line_no,
            start: body_start,
            end,
            pattern: cleaned,
        });
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::read_all;

    #[test]
    fn bom_comments_trimming_and_cleaning() {
        let text = "\u{feff}a\r\n  # not a comment\n#comment\n/b/\n! ./c\n\n!\n";
        let got: Vec<String> = read_all(text)
            .unwrap()
            .into_iter()
            .map(|l| l.pattern)
            .collect();
        assert_eq!(got, ["a", "# not a comment", "b", "!c", "!"]);
        let lines: Vec<u32> = read_all(text)
            .unwrap()
            .into_iter()
            .map(|l| l.line)
            .collect();
        assert_eq!(lines, [1, 2, 4, 5, 7]);
    }
}
