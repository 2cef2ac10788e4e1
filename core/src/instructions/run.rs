//! RUN: command line, `--mount` (cache, bind, tmpfs, secret, ssh), `--network`, `--security`
//! (BuildKit `parseRun`, `commands_runmount.go`).

use super::flags::{self, FlagKind};
use super::words::Args;
use super::CmdLine;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInstr {
    pub cmd: CmdLine,
    pub mounts: Vec<Mount>,
    pub network: Option<String>,
    pub security: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

/// One `--mount=...` (raw values; `target` is required except for secret/ssh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    pub target: String,
    /// `from=`: a stage name/index or an image.
    pub from: Option<String>,
    /// `source=`: a path inside `from` (or the context).
    pub source: Option<String>,
    /// `id=` of a cache/secret mount. Not part of a cache mount's step key (buildkit-truth
    /// bk_run_mount_cache: a new id alone leaves the step CACHED).
    pub id: Option<String>,
    pub sharing: Option<String>,
    pub readonly: bool,
    /// The `--mount` text as written, for printing.
    pub text: String,
    pub range: TextRange,
}

pub fn lower(node: &Node, args: &Args) -> Result<RunInstr, Diagnostic> {
    flags::check(
        node,
        args,
        &[
            ("mount", FlagKind::Value),
            ("network", FlagKind::Value),
            ("security", FlagKind::Value),
        ],
    )?;
    let cmd = if args.json {
        CmdLine::Exec(args.words.clone())
    } else {
        CmdLine::Shell(args.words.first().cloned().unwrap_or_default())
    };
    if matches!(&cmd, CmdLine::Shell(s) if s.trim().is_empty()) && node.heredocs.is_empty() {
        return Err(Diagnostic::error(
            "run-arity",
            node.range,
            "RUN requires at least one argument",
        ));
    }
    let mut mounts = Vec::new();
    for (text, range) in flags::values(args, "mount") {
        mounts.push(parse_mount(&text, range)?);
    }
    if let Some(n) = flags::value(args, "network") {
        if !matches!(n.as_str(), "default" | "none" | "host") {
            return Err(Diagnostic::error(
                "bad-network",
                node.range,
                format!("unsupported network mode \"{n}\""),
            ));
        }
    }
    Ok(RunInstr {
        cmd,
        mounts,
        network: flags::value(args, "network"),
        security: flags::value(args, "security"),
    })
}

/// Parses `type=cache,target=/x,id=y` (BuildKit `parseMount`).
pub fn parse_mount(text: &str, range: TextRange) -> Result<Mount, Diagnostic> {
    let mut m = Mount {
        kind: MountKind::Bind,
        target: String::new(),
        from: None,
        source: None,
        id: None,
        sharing: None,
        readonly: false,
        text: text.to_string(),
        range,
    };
    let mut explicit_access = false;
    for field in text.split(',').filter(|f| !f.is_empty()) {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
            None => (field.trim().to_ascii_lowercase(), String::new()),
        };
        match key.as_str() {
            "type" => {
                m.kind = match value.as_str() {
                    "bind" => MountKind::Bind,
                    "cache" => MountKind::Cache,
                    "tmpfs" => MountKind::Tmpfs,
                    "secret" => MountKind::Secret,
                    "ssh" => MountKind::Ssh,
                    other => {
                        return Err(Diagnostic::error(
                            "bad-mount",
                            range,
                            format!("unsupported mount type {other:?}"),
                        ))
                    }
                };
            }
            "target" | "dst" | "destination" => m.target = value,
            "from" => m.from = Some(value),
            "source" | "src" => m.source = Some(value),
            "id" => m.id = Some(value),
            "sharing" => m.sharing = Some(value),
            "readonly" | "ro" => {
                explicit_access = true;
                m.readonly = value.is_empty() || value == "true";
            }
            "rw" | "readwrite" => {
                explicit_access = true;
                m.readonly = !(value.is_empty() || value == "true");
            }
            "mode" | "uid" | "gid" | "required" | "size" | "env" => {}
            other => {
                return Err(Diagnostic::error(
                    "bad-mount",
                    range,
                    format!("unexpected key '{other}' in '{field}'"),
                ))
            }
        }
    }
    if m.target.is_empty() {
        // Secret and ssh mounts have default targets; for the others an empty target is a
        // relative path resolved against the working directory (BuildKit `dispatchRunMounts`
        // joins it with the workdir: `RUN --mount=from=binaries cp buildx* /out` in docker/buildx).
        match m.kind {
            MountKind::Secret => {
                m.target = format!("/run/secrets/{}", m.id.clone().unwrap_or_default())
            }
            MountKind::Ssh => m.target = "/run/buildkit/ssh_agent.0".into(),
            _ => {}
        }
    }
    // Bind mounts are read-only unless `rw` is given.
    if m.kind == MountKind::Bind && !explicit_access {
        m.readonly = true;
    }
    Ok(m)
}
