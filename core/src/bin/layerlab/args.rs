//! Command-line arguments: a small hand-written parser (the CLI needs no argument crate).

use std::fmt;

pub const HELP: &str = "\
layerlab — simulate what a BuildKit `docker build` does, without a daemon

USAGE:
    layerlab <COMMAND> [OPTIONS]

COMMANDS:
    parse --json FILE         print BuildKit's parse of a Dockerfile as JSON (FILE may be -)
    help                      print this help

Every command prints JSON to stdout and exits 0 when it could do its job; unusable input
(missing file, bad flag) exits non-zero with a one-line message on stderr.
The machine-readable interface is described in ../shared/contract.md.
";

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Parse { file: String, json: bool },
}

#[derive(Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn parse_args(args: &[String]) -> Result<Command, ArgError> {
    let Some((cmd, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    match cmd.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "parse" => parse_parse(rest),
        other => Err(ArgError(format!("unknown command '{other}' (try `layerlab --help`)"))),
    }
}

fn parse_parse(rest: &[String]) -> Result<Command, ArgError> {
    let mut json = false;
    let mut file = None;
    for a in rest {
        match a.as_str() {
            "--json" => json = true,
            "--help" | "-h" => return Ok(Command::Help),
            s if s.starts_with("--") => return Err(ArgError(format!("parse: unknown flag '{s}'"))),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err(ArgError("parse: expected exactly one FILE".into()));
                }
            }
        }
    }
    let file = file.ok_or_else(|| ArgError("parse: missing FILE (use - for stdin)".into()))?;
    Ok(Command::Parse { file, json })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_commands_and_rejects_bad_flags() {
        assert_eq!(parse_args(&args("")), Ok(Command::Help));
        assert_eq!(parse_args(&args("--help")), Ok(Command::Help));
        assert_eq!(
            parse_args(&args("parse --json Dockerfile")),
            Ok(Command::Parse { file: "Dockerfile".into(), json: true })
        );
        assert!(parse_args(&args("parse --bogus x")).is_err());
        assert!(parse_args(&args("parse")).is_err());
        assert!(parse_args(&args("frobnicate")).is_err());
    }
}
