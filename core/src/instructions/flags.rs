//! Instruction flags: which keyword accepts which `--flag`, and BuildKit's errors for the rest
//! (BuildKit `instructions/bflag.go`: "unknown flag: X", "missing a value on flag: X").

use super::words::Args;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Flag, Node};

/// A flag's shape: takes a value, or is a boolean (`--link`, `--link=false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    Value,
    Bool,
}

/// Checks that every flag is one `known` lists, with a value where one is needed.
pub fn check(node: &Node, args: &Args, known: &[(&str, FlagKind)]) -> Result<(), Diagnostic> {
    for f in &args.flags {
        let Some((_, kind)) = known.iter().find(|(n, _)| *n == f.name) else {
            return Err(Diagnostic::error(
                "unknown-flag",
                f.range,
                format!("unknown flag: {}", f.name),
            ));
        };
        if *kind == FlagKind::Value && f.value.is_none() {
            return Err(Diagnostic::error(
                "flag-missing-value",
                f.range,
                format!("missing a value on flag: {}", f.name),
            ));
        }
        if *kind == FlagKind::Bool {
            if let Some(v) = &f.value {
                if !matches!(v.to_ascii_lowercase().as_str(), "true" | "false" | "") {
                    return Err(Diagnostic::error(
                        "bad-flag-value",
                        f.range,
                        format!("expecting boolean value for flag {}, not: {}", f.name, v),
                    ));
                }
            }
        }
    }
    let _ = node;
    Ok(())
}

/// Keywords without flags reject any (BuildKit: "unknown flag").
pub fn reject_all(node: &Node) -> Result<(), Diagnostic> {
    match node.flags.first() {
        Some(f) => Err(Diagnostic::error(
            "unknown-flag",
            f.range,
            format!("unknown flag: {}", f.name),
        )),
        None => Ok(()),
    }
}

/// The value of a value flag given once; the last one wins when repeated.
pub fn value(args: &Args, name: &str) -> Option<String> {
    args.flags
        .iter()
        .rev()
        .find(|f| f.name == name)
        .and_then(|f| f.value.clone())
}

/// Every value of a repeatable flag (`--mount`, `--exclude`).
pub fn values(args: &Args, name: &str) -> Vec<(String, crate::text::TextRange)> {
    args.flags
        .iter()
        .filter(|f| f.name == name)
        .filter_map(|f| f.value.clone().map(|v| (v, f.range)))
        .collect()
}

/// A boolean flag: present without value or `=true`.
pub fn boolean(args: &Args, name: &str) -> bool {
    args.flags
        .iter()
        .rev()
        .find(|f| f.name == name)
        .is_some_and(|f: &Flag| match &f.value {
            None => true,
            Some(v) => v.eq_ignore_ascii_case("true") || v.is_empty(),
        })
}
