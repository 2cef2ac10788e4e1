//! BuildKit's word expansion (`$V`, `${V:-d}`, quotes, escapes): a leaf that knows nothing of
//! Dockerfiles. It mirrors `shell.Lex` (moby/buildkit frontend/dockerfile/shell/lex.go) and,
//! like `ProcessWordWithMatches`, reports which variables a word used and which were unset,
//! for cache keys, "why it re-ran" and the undefined-variable lint.
//!
//! ```
//! use layerlab_core::expand::{expand_word, Env};
//! let env = vec![("NAME", "app")];
//! let res = expand_word("/srv/${NAME:-x}/$MISSING", &env, '\\').unwrap();
//! assert_eq!(res.value, "/srv/app/");
//! assert!(res.used.matched.contains("NAME") && res.used.unmatched.contains("MISSING"));
//! ```

mod env;
mod error;
mod lexer;
mod modifiers;
mod pattern;

pub use env::{EmptyEnv, Env, FnEnv, Layered};
pub use error::ExpandError;

use std::collections::BTreeSet;

/// How deep `${A:-${B:-...}}` may nest before expansion refuses ([`ExpandError::TooDeep`]).
pub const MAX_NESTING: usize = 100;

/// The longest result an expansion may produce, in bytes ([`ExpandError::TooLong`]).
pub const MAX_OUTPUT: usize = 1 << 20;

/// The knobs of BuildKit's `Lex`. `Options::new(escape)` is what instructions use; the
/// parser's heredoc detection uses the raw variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The escape character: `\` or, with `# escape=\``, a backtick.
    pub escape: char,
    /// Keep quote characters in the result (`RawQuotes`).
    pub raw_quotes: bool,
    /// Keep escape characters in the result (`RawEscapes`).
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (`SkipProcessQuotes`).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written (`SkipUnsetEnv`).
    pub skip_unset_env: bool,
}

impl Options {
    pub fn new(escape: char) -> Options {
        Options {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }
}

impl Options {
    /// How BuildKit expands a RUN command for the step name it prints (convert.go
    /// `dispatchRun`: `RawQuotes` + `SkipUnsetEnv`; unset variables stay as written).
    pub fn display(escape: char) -> Options {
        Options {
            raw_quotes: true,
            skip_unset_env: true,
            ..Options::new(escape)
        }
    }

    /// `SupportsSingleWordExpansionRaw` (convert.go `dispatch`): quotes are ordinary
    /// characters, always with `\` as the escape.
    pub fn raw_word() -> Options {
        Options {
            skip_process_quotes: true,
            ..Options::new('\\')
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new('\\')
    }
}

/// Variables an expansion looked up: `matched` were set (even to ""), `unmatched` were not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Used {
    pub matched: BTreeSet<String>,
    pub unmatched: BTreeSet<String>,
}

/// A successful single-word expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    pub used: Used,
}

/// Everything one run of the lexer produced, including the names used before an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text (`ProcessWord`), or why it failed.
    pub result: Result<String, ExpandError>,
    /// The whitespace-split words (`ProcessWords`); empty after an error.
    pub words: Vec<String>,
    pub used: Used,
}

/// Runs BuildKit's lexer over `word` with all options.
pub fn process(word: &str, env: &dyn Env, opts: &Options) -> Expansion {
    let mut lexer = lexer::Lexer::new(word, env, opts);
    let raw = opts.raw_escapes;
    match lexer.process_stop_on(None, raw) {
        Ok((value, words)) => Expansion {
            result: Ok(value),
            words,
            used: lexer.used,
        },
        Err(e) => Expansion {
            result: Err(e),
            words: Vec::new(),
            used: lexer.used,
        },
    }
}

/// `ProcessWordWithMatches`: one word, expanded, with the names it used.
pub fn expand_word(word: &str, env: &dyn Env, escape: char) -> Result<Expanded, ExpandError> {
    let res = process(word, env, &Options::new(escape));
    res.result.map(|value| Expanded {
        value,
        used: res.used,
    })
}

/// `ProcessWords`: expanded, then split on unquoted whitespace.
pub fn expand_words(
    word: &str,
    env: &dyn Env,
    escape: char,
) -> Result<(Vec<String>, Used), ExpandError> {
    let res = process(word, env, &Options::new(escape));
    res.result.map(|_| (res.words, res.used))
}

/// `processCmdEnv`: the command as BuildKit prints it in a step name, or unchanged when it
/// does not expand.
pub fn expand_for_display(cmd: &str, env: &dyn Env, escape: char) -> String {
    process(cmd, env, &Options::display(escape))
        .result
        .unwrap_or_else(|_| cmd.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(input: &str) -> Result<String, ExpandError> {
        let env = vec![("PWD", "/home"), ("NULL", ""), ("V", "abcabc")];
        expand_word(input, &env, '\\').map(|e| e.value)
    }

    #[test]
    fn modifiers_quotes_and_escapes() {
        assert_eq!(
            word("he${PWD:-x}'$PWD'\"$PWD\"").unwrap(),
            "he/home$PWD/home"
        );
        assert_eq!(word("${NULL:-d}${NULL-d}${NOPE+x}${PWD:+y}").unwrap(), "dy");
        assert_eq!(
            word("${V#*b}|${V##*b}|${V%b*}|${V%%b*}").unwrap(),
            "cabc|c|abca|a"
        );
        assert_eq!(word("${V/b/X}|${V//b/X}").unwrap(), "aXcabc|aXcaXc");
        assert_eq!(word("a\\$PWD").unwrap(), "a$PWD");
        let tick = vec![("A", "1")];
        assert_eq!(expand_word("`$A$A", &tick, '`').unwrap().value, "$A1");
    }

    #[test]
    fn errors_carry_data_and_ranges() {
        match word("x${NOPE:?must be set}") {
            Err(ExpandError::Required {
                name,
                message,
                empty,
                range,
            }) => {
                assert_eq!(
                    (name.as_str(), message.as_str(), empty),
                    ("NOPE", "must be set", false)
                );
                assert_eq!((range.start, range.end), (1, 21));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            word("${}"),
            Err(ExpandError::BadSubstitution { .. })
        ));
        assert!(matches!(
            word("${PWD"),
            Err(ExpandError::UnsupportedModifier { .. })
        ));
        assert!(matches!(
            word("'abc"),
            Err(ExpandError::UnterminatedSingleQuote { .. })
        ));
        let doubling = format!("{}x{}", "${V//?/".repeat(40), "}".repeat(40));
        assert!(matches!(word(&doubling), Err(ExpandError::TooLong { .. })));
        let deep = "${A:-".repeat(500);
        assert!(matches!(word(&deep), Err(ExpandError::TooDeep { .. })));
        let e = word("${NULL:?}").unwrap_err();
        assert_eq!(
            e.buildkit_message("${NULL:?}"),
            "failed to process \"${NULL:?}\": NULL: is not allowed to be empty"
        );
    }

    #[test]
    fn display_keeps_quotes_and_unset_names() {
        let env = vec![("U", "u1")];
        assert_eq!(
            expand_for_display("echo \"$U\" '$U' $NOPE ${NOPE:-x}", &env, '\\'),
            "echo \"u1\" '$U' $NOPE ${NOPE:-x}"
        );
        assert_eq!(expand_for_display("echo 'open", &env, '\\'), "echo 'open");
    }

    #[test]
    fn words_split_after_expansion_with_buildkits_shared_buffer() {
        let env = vec![("X", "a b")];
        let (words, used) = expand_words("one $X \"c d\" ''", &env, '\\').unwrap();
        assert_eq!(words, ["one", "a", "b", "c d"]);
        assert!(used.matched.contains("X"));
        // BuildKit's nested processStopOn resets the shared words buffer (see lexer.rs).
        let (words, _) = expand_words("ab${NOPE:-c}", &env, '\\').unwrap();
        assert_eq!(words, ["c"]);
    }
}
