//! Here-document headers: which words of a RUN/COPY/ADD line open a heredoc.
//!
//! Mirrors BuildKit's `heredocsFromLine`, `ParseHeredoc` and `heredocFromMatch`
//! (frontend/dockerfile/parser/parser.go): the line is split into words by the shell lexer
//! (quotes and escapes kept), each word is matched against `^(\d*)<<(-?)\s*([^<]*)$`, and the
//! delimiter is lexed twice, with and without quotes: if quoting changed it, the body is not
//! expanded. The body itself is read by the driver (parser.rs), line by line.

use super::shell_words::{for_each_word, process_words, LexOptions};

/// A heredoc opened on an instruction line, before its body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeredocHeader {
    pub name: String,
    pub file_descriptor: u32,
    pub expand: bool,
    pub chomp: bool,
}

/// BuildKit's `heredocsFromLine(line)`. A line the shell lexer cannot split (an unclosed
/// quote, a bad `${`) has no heredocs, as in BuildKit, which ignores that error.
pub(super) fn heredocs_from_line(line: &str) -> Result<Vec<HeredocHeader>, String> {
    let opts = LexOptions {
        raw_quotes: true,
        raw_escapes: true,
    };
    let mut res = Vec::new();
    let mut first_err: Option<String> = None;
    // Words are checked as the lexer completes them; BuildKit checks them after lexing, in the
    // same order, so the first error is the same one.
    let lexed = for_each_word(line, opts, &mut |word| {
        if first_err.is_some() || !word.contains("<<") {
            return;
        }
        match parse_heredoc(word) {
            Ok(Some(h)) => res.push(h),
            Ok(None) => {}
            Err(e) => first_err = Some(e),
        }
    });
    if lexed.is_err() {
        return Ok(Vec::new());
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(res),
    }
}

/// BuildKit's `ParseHeredoc(word)`: `Ok(None)` when the word opens no heredoc.
pub(super) fn parse_heredoc(word: &str) -> Result<Option<HeredocHeader>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // strconv.ParseUint: empty gives 0, overflow gives the maximum (errors ignored).
    let fd = match word[..digits].parse::<u64>() {
        Ok(n) => n,
        Err(_) if digits > 0 => u64::MAX,
        Err(_) => 0,
    };
    let words = process_words(
        rest,
        LexOptions {
            raw_quotes: false,
            raw_escapes: false,
        },
    )?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw = process_words(
        rest,
        LexOptions {
            raw_quotes: true,
            raw_escapes: false,
        },
    )?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.bytes().filter(|&b| b == b'\'' || b == b'"').count();
    Ok(Some(HeredocHeader {
        name: name.clone(),
        file_descriptor: u32::try_from(fd).unwrap_or(u32::MAX),
        expand: quotes(name) == quotes(raw_name),
        chomp,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(w: &str) -> Option<String> {
        parse_heredoc(w).ok().flatten().map(|h| h.name)
    }

    #[test]
    fn heredoc_words_follow_buildkit_helpers() {
        for w in [
            "<<EOF",
            "<<'EOF'",
            "<<\"EOF\"",
            "<<-EOF",
            "<<-'EOF'",
            "<<-\"EOF\"",
            "<<EO\"F\"",
            "<< EOF",
            "<<- EOF",
        ] {
            assert_eq!(name(w).as_deref(), Some("EOF"), "{w}");
        }
        for w in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_heredoc(w).is_err(), "{w}");
        }
        for w in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(parse_heredoc(w), Ok(None), "{w}");
        }
    }

    #[test]
    fn quoting_turns_expansion_off_and_fd_is_read() {
        let h = parse_heredoc("3<<'e'o\\'f").unwrap().unwrap();
        assert_eq!(
            (h.name.as_str(), h.expand, h.file_descriptor),
            ("eo'f", false, 3)
        );
        let h = parse_heredoc("<<eo\\'f").unwrap().unwrap();
        assert_eq!((h.name.as_str(), h.expand), ("eo'f", true));
    }

    #[test]
    fn lines_yield_heredocs_in_order() {
        let names = |l: &str| {
            heredocs_from_line(l)
                .unwrap()
                .into_iter()
                .map(|h| h.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("COPY <<FILE1 <<FILE2 /dest"), vec!["FILE1", "FILE2"]);
        assert_eq!(names("RUN <<  EOF  > foo"), vec!["EOF"]);
        assert_eq!(names("RUN '<<EOF'"), Vec::<String>::new());
        assert_eq!(names("RUN 4<<EOF"), vec!["EOF"]);
        // BuildKit's lexer splits `<<-` from ` EOF`: no heredoc (its test only checks what is found).
        assert_eq!(names("RUN <<- EOF"), Vec::<String>::new());
        assert_eq!(names("RUN << -EOF"), vec!["-EOF"]);
    }
}
