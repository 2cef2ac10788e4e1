//! BuildKit's shell word splitting as heredoc detection calls it, on top of `crate::expand`.
//!
//! BuildKit finds heredocs by running `shell.Lex.ProcessWords` over the whole instruction
//! (frontend/dockerfile/parser/parser.go `heredocsFromLine`, frontend/dockerfile/shell/lex.go)
//! with escape `\`, an empty environment and `SkipUnsetEnv`, so every `$VAR` / `${VAR...}`
//! stays as written. That is the same lexer `crate::expand` mirrors for instructions, so this
//! module only sets those options and adapts the result; the quirks come with it (see
//! expand/lexer.rs): `<<` glues the blanks after it to the next word (`<<  EOF` is one word,
//! BuildKit #5239); a nested `${x:-...}` resets the shared word buffer, dropping the text before
//! it in the same word; with raw escapes, `\x` inside double quotes keeps the backslash twice.
//!
//! Where we differ from BuildKit, the bounds of `crate::expand` apply: `${` nested deeper than
//! `expand::MAX_NESTING` or a word past `expand::MAX_OUTPUT` bytes is a lexing error (BuildKit
//! has no bound), so such a line is scanned as having no heredoc.

use crate::expand::{process, EmptyEnv, Options};

/// Options of BuildKit's `Lex` that heredoc detection sets.
#[derive(Debug, Clone, Copy)]
pub(super) struct LexOptions {
    pub raw_quotes: bool,
    pub raw_escapes: bool,
}

/// `Lex.ProcessWords(input, emptyEnv)` with `SkipUnsetEnv` and escape `\`. `Err` holds
/// BuildKit's message.
pub(super) fn process_words(input: &str, opts: LexOptions) -> Result<Vec<String>, String> {
    let options = Options {
        raw_quotes: opts.raw_quotes,
        raw_escapes: opts.raw_escapes,
        skip_unset_env: true,
        ..Options::new('\\')
    };
    let res = process(input, &EmptyEnv, &options);
    match res.result {
        Ok(_) => Ok(res.words),
        Err(e) => Err(e.buildkit_message(input)),
    }
}

/// `process_words`, handing each word to `sink` in order. On `Err`, no word is handed over.
pub(super) fn for_each_word(
    input: &str,
    opts: LexOptions,
    sink: &mut dyn FnMut(&str),
) -> Result<(), String> {
    for word in process_words(input, opts)? {
        sink(&word);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: LexOptions = LexOptions {
        raw_quotes: true,
        raw_escapes: true,
    };
    const COOKED: LexOptions = LexOptions {
        raw_quotes: false,
        raw_escapes: false,
    };

    #[test]
    fn words_keep_quotes_and_glue_heredoc_blanks() {
        assert_eq!(
            process_words("RUN <<  EOF  > foo", RAW).unwrap(),
            vec!["RUN", "<<  EOF", ">", "foo"]
        );
        assert_eq!(
            process_words("RUN <<- EOF", RAW).unwrap(),
            vec!["RUN", "<<-", "EOF"]
        );
        assert_eq!(
            process_words("RUN '<<EOF' x", RAW).unwrap(),
            vec!["RUN", "'<<EOF'", "x"]
        );
        assert_eq!(process_words("'e'o\\'f", COOKED).unwrap(), vec!["eo'f"]);
        assert_eq!(
            process_words("$EOF ${A:-b c}", COOKED).unwrap(),
            vec!["$EOF", "${A:-b", "c}"]
        );
        assert_eq!(
            process_words("\"a\\b\" ${X/p/r} ${Y#*.}", RAW).unwrap(),
            vec!["\"a\\\\b\"", "${X/p/r}", "${Y#*.}"]
        );
        // The shared word buffer: text before a nested `${...}` in the same word is dropped.
        assert_eq!(process_words("ab${X:-c}", COOKED).unwrap(), vec!["${X:-c}"]);
    }

    #[test]
    fn errors_carry_buildkits_message() {
        assert_eq!(
            process_words("'abc", RAW),
            Err("failed to process \"'abc\": unexpected end of statement while looking for matching single-quote".to_string())
        );
        assert_eq!(
            process_words("${", RAW),
            Err("failed to process \"${\": syntax error: missing '}'".to_string())
        );
        // BuildKit leaves the bad character unread, so this is no missing `}` at the end.
        assert_eq!(
            process_words("${A:-${}", RAW),
            Err("failed to process \"${A:-${}\": syntax error: bad substitution".to_string())
        );
        let mut seen = Vec::new();
        assert!(for_each_word("a b 'c", RAW, &mut |w| seen.push(w.to_string())).is_err());
        assert!(seen.is_empty());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "${a:-".repeat(10_000);
        assert!(process_words(&s, RAW).is_err());
    }
}
