//! Command-line arguments: a small hand-written parser (the CLI needs no argument crate).

use std::fmt;

pub const HELP: &str = "\
layerlab — simulate what a BuildKit `docker build` does, without a daemon

USAGE:
    layerlab <COMMAND> [OPTIONS]

COMMANDS:
    parse --json FILE                 BuildKit's parse of a Dockerfile (FILE may be -)
    context-files [--dirs] DIR        the files a build would send from DIR after .dockerignore
    simulate DOCKERFILE --context DIR [--build-arg K=V]... [--target T] [--no-cache] [--json]
                                      simulate one build
    replay SCENARIO_DIR --json        replay a buildkit-truth scenario, build after build
    help                              print this help

Every command prints JSON to stdout (simulate: a table without --json) and exits 0 when it
could do its job; unusable input (missing file, bad flag) exits 2 with a one-line message on
stderr. The machine-readable interface is ../shared/contract.md.
";

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Parse { file: String, json: bool },
    ContextFiles { dir: String, dirs: bool },
    Simulate(SimulateArgs),
    Replay { scenario: String, json: bool },
}

#[derive(Debug, PartialEq, Eq, Default)]
pub struct SimulateArgs {
    pub dockerfile: String,
    pub context: String,
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub json: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, ArgError> {
    Err(ArgError(msg.into()))
}

pub fn parse_args(args: &[String]) -> Result<Command, ArgError> {
    let Some((cmd, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Command::Help);
    }
    match cmd.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "parse" => {
            let (pos, flags) = split(rest, &[])?;
            let json = has(&flags, "--json");
            Ok(Command::Parse { file: one("parse", "FILE (use - for stdin)", pos)?, json })
        }
        "context-files" => {
            let (pos, flags) = split(rest, &[])?;
            Ok(Command::ContextFiles { dir: one("context-files", "DIR", pos)?, dirs: has(&flags, "--dirs") })
        }
        "replay" => {
            let (pos, flags) = split(rest, &[])?;
            Ok(Command::Replay { scenario: one("replay", "SCENARIO_DIR", pos)?, json: has(&flags, "--json") })
        }
        "simulate" => parse_simulate(rest),
        other => err(format!("unknown command '{other}' (try `layerlab --help`)")),
    }
}

fn parse_simulate(rest: &[String]) -> Result<Command, ArgError> {
    let (pos, flags) = split(rest, &["--context", "--build-arg", "--target"])?;
    let mut a = SimulateArgs { dockerfile: one("simulate", "DOCKERFILE", pos)?, ..Default::default() };
    let mut context = None;
    for (name, value) in flags {
        match (name.as_str(), value) {
            ("--context", Some(v)) => context = Some(v),
            ("--target", Some(v)) => a.target = Some(v),
            ("--build-arg", Some(v)) => {
                let (k, val) = v.split_once('=').ok_or_else(|| ArgError(format!("--build-arg expects K=V, got '{v}'")))?;
                a.build_args.push((k.to_string(), val.to_string()));
            }
            ("--no-cache", None) => a.no_cache = true,
            ("--json", None) => a.json = true,
            (other, _) => return err(format!("simulate: unknown flag '{other}'")),
        }
    }
    a.context = context.ok_or_else(|| ArgError("simulate: missing --context DIR".into()))?;
    Ok(Command::Simulate(a))
}

type Flags = Vec<(String, Option<String>)>;

/// Splits arguments into positionals and flags; `with_value` lists the flags that take a value
/// (as `--flag value` or `--flag=value`). Every other `--flag` is boolean.
fn split(args: &[String], with_value: &[&str]) -> Result<(Vec<String>, Flags), ArgError> {
    let mut pos = Vec::new();
    let mut flags = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a.starts_with("--") {
            if let Some((name, value)) = a.split_once('=') {
                flags.push((name.to_string(), Some(value.to_string())));
            } else if with_value.contains(&a.as_str()) {
                let v = it.next().ok_or_else(|| ArgError(format!("{a} needs a value")))?;
                flags.push((a.clone(), Some(v.clone())));
            } else {
                flags.push((a.clone(), None));
            }
        } else {
            pos.push(a.clone());
        }
    }
    Ok((pos, flags))
}

fn has(flags: &Flags, name: &str) -> bool {
    flags.iter().any(|(n, _)| n == name)
}

fn one(cmd: &str, what: &str, pos: Vec<String>) -> Result<String, ArgError> {
    match <[String; 1]>::try_from(pos) {
        Ok([p]) => Ok(p),
        Err(pos) if pos.is_empty() => err(format!("{cmd}: missing {what}")),
        Err(_) => err(format!("{cmd}: expected exactly one {what}")),
    }
}

/// Rejects flags a command does not know (the generic splitter accepts any).
pub fn check_known(cmd: &Command, argv: &[String]) -> Result<(), ArgError> {
    let known: &[&str] = match cmd {
        Command::Parse { .. } => &["--json"],
        Command::ContextFiles { .. } => &["--dirs"],
        Command::Replay { .. } => &["--json"],
        Command::Simulate(_) | Command::Help => return Ok(()),
    };
    for a in argv.iter().skip(1).filter(|a| a.starts_with("--")) {
        let name = a.split_once('=').map_or(a.as_str(), |(n, _)| n);
        if !known.contains(&name) {
            return err(format!("{}: unknown flag '{name}'", argv[0]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn parse(s: &str) -> Result<Command, ArgError> {
        let a = args(s);
        let cmd = parse_args(&a)?;
        check_known(&cmd, &a)?;
        Ok(cmd)
    }

    #[test]
    fn parses_every_command() {
        assert_eq!(parse(""), Ok(Command::Help));
        assert_eq!(parse("--help"), Ok(Command::Help));
        assert_eq!(parse("parse --json Dockerfile"), Ok(Command::Parse { file: "Dockerfile".into(), json: true }));
        assert_eq!(parse("context-files --dirs ctx"), Ok(Command::ContextFiles { dir: "ctx".into(), dirs: true }));
        assert_eq!(parse("replay s --json"), Ok(Command::Replay { scenario: "s".into(), json: true }));
        let Ok(Command::Simulate(s)) = parse("simulate Df --context c --build-arg A=1 --build-arg=B=x=y --target t --no-cache --json") else {
            panic!("simulate did not parse");
        };
        assert_eq!(s.build_args, vec![("A".into(), "1".into()), ("B".into(), "x=y".into())]);
        assert_eq!((s.context.as_str(), s.target.as_deref(), s.no_cache, s.json), ("c", Some("t"), true, true));
    }

    #[test]
    fn rejects_unusable_arguments() {
        for bad in ["parse --bogus x", "parse", "parse a b", "frobnicate", "simulate Df", "simulate Df --context", "simulate Df --context c --build-arg NOEQ", "context-files --x d"] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
