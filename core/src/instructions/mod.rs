//! Typed instructions lowered from syntax nodes, with arity and flag errors as diagnostics.
//!
//! This mirrors BuildKit's `frontend/dockerfile/instructions` package (parse.go): the parser
//! only knows lines and words, this layer knows what each keyword takes. Words stay raw (not
//! expanded): the build driver expands them with the ARG/ENV in scope at that step, as
//! BuildKit's `dispatch` does.

mod copy;
mod flags;
mod from;
mod meta;
mod run;
mod words;

pub use copy::{heredoc_name, CopyInstr};
pub use from::FromInstr;
pub use meta::{format_go_duration, parse_go_duration, ArgDecl, Healthcheck};
pub use run::{Mount, MountKind, RunInstr};

use crate::diagnostic::Diagnostic;
use crate::syntax::{Heredoc, Node, Parse};
use crate::text::TextRange;

/// A command line in shell form (`RUN echo hi`) or exec form (`RUN ["echo", "hi"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdLine {
    Shell(String),
    Exec(Vec<String>),
}

/// One instruction, typed, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub kind: Kind,
    /// The whole instruction in the Dockerfile.
    pub range: TextRange,
    pub start_line: u32,
    pub end_line: u32,
    /// The instruction as written, continuations joined (BuildKit's `Original`).
    pub original: String,
    /// Heredocs attached to the instruction (RUN and COPY/ADD only).
    pub heredocs: Vec<Heredoc>,
}

/// One variant per keyword. Values are raw words; `$VAR` is expanded by the build driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    From(FromInstr),
    Run(RunInstr),
    /// COPY and ADD (`CopyInstr::is_add` tells them apart).
    Copy(CopyInstr),
    /// `ENV k=v ...` as raw (key, value) pairs.
    Env(Vec<(String, String)>),
    Arg(Vec<ArgDecl>),
    Label(Vec<(String, String)>),
    Expose(Vec<String>),
    User(String),
    Workdir(String),
    Cmd(CmdLine),
    Entrypoint(CmdLine),
    Shell(Vec<String>),
    Healthcheck(Healthcheck),
    Volume(Vec<String>),
    StopSignal(String),
    /// The wrapped instruction's text, as BuildKit stores it in `Config.OnBuild`.
    Onbuild(String),
    Maintainer(String),
}

impl Instruction {
    /// The keyword in upper case, as BuildKit prints it.
    pub fn keyword(&self) -> &'static str {
        match &self.kind {
            Kind::From(_) => "FROM",
            Kind::Run(_) => "RUN",
            Kind::Copy(c) if c.is_add => "ADD",
            Kind::Copy(_) => "COPY",
            Kind::Env(_) => "ENV",
            Kind::Arg(_) => "ARG",
            Kind::Label(_) => "LABEL",
            Kind::Expose(_) => "EXPOSE",
            Kind::User(_) => "USER",
            Kind::Workdir(_) => "WORKDIR",
            Kind::Cmd(_) => "CMD",
            Kind::Entrypoint(_) => "ENTRYPOINT",
            Kind::Shell(_) => "SHELL",
            Kind::Healthcheck(_) => "HEALTHCHECK",
            Kind::Volume(_) => "VOLUME",
            Kind::StopSignal(_) => "STOPSIGNAL",
            Kind::Onbuild(_) => "ONBUILD",
            Kind::Maintainer(_) => "MAINTAINER",
        }
    }
}

/// The instructions of a Dockerfile: everything that lowered, plus the problems found.
/// Instructions before the first FROM may only be ARG (checked by `stages`).
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    pub instructions: Vec<Instruction>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers every node of a parse. A node that does not lower is reported and skipped, so the
/// rest of the file can still be checked (BuildKit stops at the first one; the playground
/// shows them all).
pub fn lower(parse: &Parse) -> Lowered {
    let mut res = Lowered::default();
    for node in &parse.nodes {
        match lower_node(node) {
            Ok(instr) => res.instructions.push(instr),
            Err(d) => res.diagnostics.push(d),
        }
    }
    res
}

/// Lowers one syntax node (BuildKit `instructions.ParseInstruction`).
pub fn lower_node(node: &Node) -> Result<Instruction, Diagnostic> {
    let args = words::Args::of(node);
    let kind = match node.cmd.as_str() {
        "from" => Kind::From(from::lower(node, &args)?),
        "run" => Kind::Run(run::lower(node, &args)?),
        "copy" => Kind::Copy(copy::lower(node, &args, false)?),
        "add" => Kind::Copy(copy::lower(node, &args, true)?),
        "env" => Kind::Env(meta::key_values(node, &args, "ENV")?),
        "label" => Kind::Label(meta::key_values(node, &args, "LABEL")?),
        "arg" => Kind::Arg(meta::args(node, &args)?),
        "expose" => Kind::Expose(meta::at_least_one(node, &args, "EXPOSE")?),
        "user" => Kind::User(meta::exactly_one(node, &args, "USER")?),
        "workdir" => Kind::Workdir(meta::exactly_one(node, &args, "WORKDIR")?),
        "cmd" => Kind::Cmd(meta::cmd_line(node, &args, "CMD")?),
        "entrypoint" => Kind::Entrypoint(meta::cmd_line(node, &args, "ENTRYPOINT")?),
        "shell" => Kind::Shell(meta::shell(node, &args)?),
        "healthcheck" => Kind::Healthcheck(meta::healthcheck(node, &args)?),
        "volume" => Kind::Volume(meta::at_least_one(node, &args, "VOLUME")?),
        "stopsignal" => Kind::StopSignal(meta::exactly_one(node, &args, "STOPSIGNAL")?),
        "onbuild" => Kind::Onbuild(meta::onbuild(node)?),
        "maintainer" => Kind::Maintainer(meta::exactly_one_text(node, &args, "MAINTAINER")?),
        other => {
            return Err(Diagnostic::error(
                "unknown-instruction",
                node.keyword_range,
                format!("unknown instruction: {}", other.to_ascii_uppercase()),
            ))
        }
    };
    if !matches!(
        kind,
        Kind::From(_) | Kind::Run(_) | Kind::Copy(_) | Kind::Healthcheck(_)
    ) {
        flags::reject_all(node)?;
    }
    Ok(Instruction {
        kind,
        range: node.range,
        start_line: node.start_line,
        end_line: node.end_line,
        original: node.original.clone(),
        heredocs: node.heredocs.clone(),
    })
}

#[cfg(test)]
mod tests;
