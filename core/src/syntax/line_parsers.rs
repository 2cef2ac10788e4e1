//! The argument shape of each instruction: BuildKit's dispatch table of line parsers.
//!
//! Mirrors `dispatch` in frontend/dockerfile/parser/parser.go and the functions of
//! frontend/dockerfile/parser/line_parsers.go. Input is the instruction's arguments after
//! flags (trimmed); output is BuildKit's argument list with byte ranges relative to that input.
//! ONBUILD (`parseSubCommand`) needs the whole instruction parser and lives in parser.rs.

use super::json_form::{parse_json_array, JsonForm};
use super::words::{parse_words, split_once_whitespace, split_whitespace, RawWord};
use super::{codes, dump::go_quote};

/// The parsed arguments of one instruction.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Args {
    pub value: Vec<RawWord>,
    pub json: bool,
    pub legacy_key_value: bool,
}

/// An error BuildKit's parser stops at, with our code for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineError {
    pub code: &'static str,
    pub message: String,
}

/// The keywords BuildKit's parser has a line parser for (`command.Commands`).
pub const KEYWORDS: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// Returns true if and only if `cmd` (lower case) is an instruction BuildKit knows.
pub fn is_keyword(cmd: &str) -> bool {
    KEYWORDS.contains(&cmd)
}

/// Parses `rest` as the arguments of `cmd` (lower case; not `onbuild`).
pub(super) fn parse_args(cmd: &str, rest: &str, escape: char) -> Result<Args, LineError> {
    match cmd {
        "add" | "copy" | "volume" => maybe_json_to_list(rest),
        "arg" => Ok(plain(parse_words(rest, escape))),
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(rest),
        "env" => name_val(rest, "ENV", escape),
        "label" => name_val(rest, "LABEL", escape),
        "expose" | "from" => Ok(whitespace_delimited(rest)),
        "healthcheck" => health_config(rest),
        "maintainer" | "stopsignal" | "user" | "workdir" => Ok(whole(rest)),
        // parseIgnore returns an empty `&Node{}`: one empty argument, whatever was written.
        _ => Ok(plain(vec![(String::new(), 0, 0)])),
    }
}

fn plain(value: Vec<RawWord>) -> Args {
    Args {
        value,
        json: false,
        legacy_key_value: false,
    }
}

/// `parseString`: the whole rest as one value.
fn whole(rest: &str) -> Args {
    if rest.is_empty() {
        return Args::default();
    }
    plain(vec![(rest.to_string(), 0, rest.len())])
}

/// `parseStringsWhitespaceDelimited`.
fn whitespace_delimited(rest: &str) -> Args {
    if rest.is_empty() {
        return Args::default();
    }
    plain(
        split_whitespace(rest)
            .map(|(s, e)| (rest.get(s..e).unwrap_or("").to_string(), s, e))
            .collect(),
    )
}

/// `parseMaybeJSON`: a JSON array of strings, or the whole rest as one shell-form value.
fn maybe_json(rest: &str) -> Result<Args, LineError> {
    if rest.is_empty() {
        return Ok(Args::default());
    }
    match parse_json_array(rest) {
        JsonForm::Strings(value) => Ok(Args {
            value,
            json: true,
            legacy_key_value: false,
        }),
        JsonForm::NotStrings => Err(not_strings()),
        JsonForm::NotJson => Ok(whole(rest)),
    }
}

/// `parseMaybeJSONToList`: a JSON array of strings, or whitespace-separated words.
fn maybe_json_to_list(rest: &str) -> Result<Args, LineError> {
    match parse_json_array(rest) {
        JsonForm::Strings(value) => Ok(Args {
            value,
            json: true,
            legacy_key_value: false,
        }),
        JsonForm::NotStrings => Err(not_strings()),
        JsonForm::NotJson => Ok(whitespace_delimited(rest)),
    }
}

fn not_strings() -> LineError {
    LineError {
        code: codes::JSON_NOT_STRINGS,
        message: "when using JSON array syntax, arrays must be comprised of strings only"
            .to_string(),
    }
}

/// `parseNameVal` for ENV and LABEL: `k=v k2=v2`, or the legacy `k rest of line`.
fn name_val(rest: &str, key: &str, escape: char) -> Result<Args, LineError> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Args::default());
    };
    if !first.0.contains('=') {
        let Some(((ks, ke), (vs, ve))) = split_once_whitespace(rest) else {
            return Err(LineError {
                code: codes::MISSING_ARGUMENTS,
                message: format!("{key} must have two arguments"),
            });
        };
        let text = |s: usize, e: usize| rest.get(s..e).unwrap_or("").to_string();
        return Ok(Args {
            value: vec![(text(ks, ke), ks, ke), (text(vs, ve), vs, ve)],
            json: false,
            legacy_key_value: true,
        });
    }
    let mut value = Vec::with_capacity(words.len() * 2);
    for (word, start, end) in words {
        let Some((k, v)) = word.split_once('=') else {
            return Err(LineError {
                code: codes::MISSING_EQUALS,
                message: format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    go_quote(&word)
                ),
            });
        };
        let key_end = start + k.len();
        value.push((k.to_string(), start, key_end));
        value.push((v.to_string(), (key_end + 1).min(end), end));
    }
    Ok(plain(value))
}

/// `parseHealthConfig`: the type word (`CMD`, `NONE`, ...) then `parseMaybeJSON` of the rest.
/// Like the Go code it finds the first blank byte by byte (`unicode.IsSpace(rune(rest[i]))`).
fn health_config(rest: &str) -> Result<Args, LineError> {
    let b = rest.as_bytes();
    let is_space = |c: u8| {
        matches!(
            c,
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' | 0x85 | 0xA0
        )
    };
    let sep = b.iter().position(|&c| is_space(c)).unwrap_or(b.len());
    if sep == 0 {
        return Ok(Args::default());
    }
    let mut next = sep
        + b.get(sep..)
            .map_or(0, |t| t.iter().take_while(|&&c| is_space(c)).count());
    while next < rest.len() && !rest.is_char_boundary(next) {
        next += 1;
    }
    let typ = String::from_utf8_lossy(b.get(..sep).unwrap_or_default()).into_owned();
    let cmd = maybe_json(rest.get(next..).unwrap_or(""))?;
    let mut value = Vec::with_capacity(cmd.value.len() + 1);
    value.push((typ, 0, sep));
    value.extend(
        cmd.value
            .into_iter()
            .map(|(t, s, e)| (t, s + next, e + next)),
    );
    Ok(Args {
        value,
        json: cmd.json,
        legacy_key_value: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(cmd: &str, rest: &str) -> (Vec<String>, bool) {
        let a = parse_args(cmd, rest, '\\').unwrap();
        (a.value.into_iter().map(|w| w.0).collect(), a.json)
    }

    #[test]
    fn shapes_follow_buildkit_dispatch() {
        assert_eq!(vals("run", "echo  hi"), (vec!["echo  hi".into()], false));
        assert_eq!(
            vals("cmd", "[\"a\", \"b\"]"),
            (vec!["a".into(), "b".into()], true)
        );
        assert_eq!(
            vals("cmd", "[\"a\"] extra"),
            (vec!["[\"a\"] extra".into()], false)
        );
        assert_eq!(
            vals("copy", "a  b\tc"),
            (vec!["a".into(), "b".into(), "c".into()], false)
        );
        assert_eq!(
            vals("from", "img AS x"),
            (vec!["img".into(), "AS".into(), "x".into()], false)
        );
        assert_eq!(
            vals("env", "a=b c=\"d e\""),
            (
                vec!["a".into(), "b".into(), "c".into(), "\"d e\"".into()],
                false
            )
        );
        assert_eq!(
            vals("env", "a b c"),
            (vec!["a".into(), "b c".into()], false)
        );
        assert_eq!(
            vals("healthcheck", "CMD [\"x\"]"),
            (vec!["CMD".into(), "x".into()], true)
        );
        assert_eq!(vals("healthcheck", "NONE"), (vec!["NONE".into()], false));
        assert_eq!(vals("bogus", "a b"), (vec!["".into()], false));
    }

    #[test]
    fn buildkit_parser_errors_are_reported() {
        assert_eq!(
            parse_args("env", "PATH", '\\').unwrap_err().message,
            "ENV must have two arguments"
        );
        assert!(parse_args("label", "a=b c", '\\')
            .unwrap_err()
            .message
            .starts_with("Syntax error - can't find = in \"c\""));
        assert_eq!(
            parse_args("cmd", "[1]", '\\').unwrap_err().code,
            codes::JSON_NOT_STRINGS
        );
    }
}
