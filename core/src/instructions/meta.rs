//! Config-only instructions: ENV ARG LABEL EXPOSE USER WORKDIR CMD ENTRYPOINT SHELL
//! HEALTHCHECK VOLUME STOPSIGNAL ONBUILD MAINTAINER (BuildKit `instructions/parse.go`).

use super::flags::{self, FlagKind};
use super::words::Args;
use super::CmdLine;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;

/// One name of an `ARG` line, with its default as written (raw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
}

/// HEALTHCHECK as the image config stores it (durations in nanoseconds, 0 = unset).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Healthcheck {
    /// `["CMD", args...]`, `["CMD-SHELL", cmd]` or `["NONE"]`.
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub start_interval: i64,
    pub retries: i64,
}

/// ENV and LABEL: the parser hands a flat `[k, v, k, v, ...]`.
pub fn key_values(
    node: &Node,
    args: &Args,
    keyword: &str,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let w = &args.words;
    if w.is_empty() || !w.len().is_multiple_of(2) {
        let msg = if w.is_empty() {
            format!("{keyword} requires at least one argument")
        } else {
            format!("{keyword} must have two arguments")
        };
        return Err(Diagnostic::error("arity", node.range, msg));
    }
    let pairs: Vec<(String, String)> = w.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect();
    if keyword == "ENV" && pairs.iter().any(|(k, _)| k.is_empty()) {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            "ENV names can not be blank",
        ));
    }
    Ok(pairs)
}

pub fn args(node: &Node, args: &Args) -> Result<Vec<ArgDecl>, Diagnostic> {
    if args.words.is_empty() {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            "ARG requires at least one argument",
        ));
    }
    let mut res = Vec::new();
    for w in &args.words {
        let (name, default) = match w.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (w.clone(), None),
        };
        if name.is_empty() {
            return Err(Diagnostic::error(
                "arity",
                node.range,
                "ARG names can not be blank",
            ));
        }
        res.push(ArgDecl { name, default });
    }
    Ok(res)
}

pub fn at_least_one(node: &Node, args: &Args, keyword: &str) -> Result<Vec<String>, Diagnostic> {
    let words: Vec<String> = args
        .words
        .iter()
        .filter(|w| !w.trim().is_empty())
        .cloned()
        .collect();
    if words.is_empty() {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            format!("{keyword} requires at least one argument"),
        ));
    }
    Ok(words)
}

pub fn exactly_one(node: &Node, args: &Args, keyword: &str) -> Result<String, Diagnostic> {
    match args.words.as_slice() {
        [one] if !one.trim().is_empty() => Ok(one.trim().to_string()),
        _ => Err(Diagnostic::error(
            "arity",
            node.range,
            format!("{keyword} requires exactly one argument"),
        )),
    }
}

/// MAINTAINER takes the rest of the line as one value.
pub fn exactly_one_text(node: &Node, args: &Args, keyword: &str) -> Result<String, Diagnostic> {
    let text = args.words.join(" ");
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            format!("{keyword} requires exactly one argument"),
        ));
    }
    Ok(text.trim().to_string())
}

pub fn cmd_line(node: &Node, args: &Args, _keyword: &str) -> Result<CmdLine, Diagnostic> {
    let _ = node;
    if args.json {
        return Ok(CmdLine::Exec(args.words.clone()));
    }
    Ok(CmdLine::Shell(
        args.words.first().cloned().unwrap_or_default(),
    ))
}

pub fn shell(node: &Node, args: &Args) -> Result<Vec<String>, Diagnostic> {
    if !args.json {
        return Err(Diagnostic::error(
            "shell-json",
            node.range,
            "SHELL requires the arguments to be in JSON form",
        ));
    }
    if args.words.is_empty() {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            "SHELL requires at least one argument",
        ));
    }
    Ok(args.words.clone())
}

pub fn healthcheck(node: &Node, args: &Args) -> Result<Healthcheck, Diagnostic> {
    flags::check(
        node,
        args,
        &[
            ("interval", FlagKind::Value),
            ("timeout", FlagKind::Value),
            ("start-period", FlagKind::Value),
            ("start-interval", FlagKind::Value),
            ("retries", FlagKind::Value),
        ],
    )?;
    let Some((typ, rest)) = args.words.split_first() else {
        return Err(Diagnostic::error(
            "arity",
            node.range,
            "HEALTHCHECK requires an argument",
        ));
    };
    let typ = typ.to_ascii_uppercase();
    let mut hc = Healthcheck::default();
    match typ.as_str() {
        "NONE" => {
            if !rest.is_empty() {
                return Err(Diagnostic::error(
                    "arity",
                    node.range,
                    "HEALTHCHECK NONE takes no arguments",
                ));
            }
            hc.test = vec!["NONE".into()];
            return Ok(hc);
        }
        "CMD" => {
            if rest.is_empty() {
                return Err(Diagnostic::error(
                    "arity",
                    node.range,
                    "Missing command after HEALTHCHECK CMD",
                ));
            }
            if args.json {
                hc.test = std::iter::once("CMD".to_string())
                    .chain(rest.iter().cloned())
                    .collect();
            } else {
                hc.test = vec!["CMD-SHELL".into(), rest.join(" ")];
            }
        }
        other => {
            return Err(Diagnostic::error(
                "bad-healthcheck",
                node.range,
                format!("Unknown type {other:?} in HEALTHCHECK (try CMD)"),
            ))
        }
    }
    let dur = |name: &str| -> Result<i64, Diagnostic> {
        match flags::value(args, name) {
            None => Ok(0),
            Some(v) => parse_go_duration(&v).ok_or_else(|| {
                Diagnostic::error(
                    "bad-duration",
                    node.range,
                    format!("time: invalid duration {v:?}"),
                )
            }),
        }
    };
    hc.interval = dur("interval")?;
    hc.timeout = dur("timeout")?;
    hc.start_period = dur("start-period")?;
    hc.start_interval = dur("start-interval")?;
    if let Some(r) = flags::value(args, "retries") {
        hc.retries = r.parse().map_err(|_| {
            Diagnostic::error(
                "bad-retries",
                node.range,
                format!("invalid retries value {r:?}"),
            )
        })?;
    }
    Ok(hc)
}

/// ONBUILD stores the wrapped instruction's text as written (BuildKit `parseOnBuild`).
pub fn onbuild(node: &Node) -> Result<String, Diagnostic> {
    let text = node.original.trim_start();
    let rest = text.get(7..).unwrap_or("").trim().to_string();
    let inner = rest
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    match inner.as_str() {
        "" => Err(Diagnostic::error(
            "arity",
            node.range,
            "ONBUILD requires at least one argument",
        )),
        "ONBUILD" => Err(Diagnostic::error(
            "onbuild-chain",
            node.range,
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        )),
        "FROM" | "MAINTAINER" => Err(Diagnostic::error(
            "onbuild-trigger",
            node.range,
            format!("{inner} isn't allowed as an ONBUILD trigger"),
        )),
        _ => Ok(rest),
    }
}

/// Go's `time.ParseDuration` for the units a Dockerfile uses: `1h2m3s`, `500ms`, `1.5s`.
pub fn parse_go_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    if s == "0" {
        return Some(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num: f64 = rest.get(..num_end)?.parse().ok()?;
        rest = rest.get(num_end..)?;
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_end)?;
        rest = rest.get(unit_end..)?;
        let mult = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += num * mult;
    }
    Some(total as i64)
}

/// Go's `time.Duration.String()`: `30s`, `1m30s`, `500ms`, `0s`.
pub fn format_go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let s = if u < 1_000_000_000 {
        let (div, unit) = if u < 1_000 {
            (1, "ns")
        } else if u < 1_000_000 {
            (1_000, "µs")
        } else {
            (1_000_000, "ms")
        };
        format!("{}{}", trim_fraction(u, div), unit)
    } else {
        let h = u / 3_600_000_000_000;
        let m = (u / 60_000_000_000) % 60;
        let rem = u % 60_000_000_000;
        let secs = trim_fraction(rem, 1_000_000_000);
        let mut out = String::new();
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&format!("{secs}s"));
        out
    };
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

fn trim_fraction(v: u64, div: u64) -> String {
    let whole = v / div;
    let frac = v % div;
    if frac == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}
