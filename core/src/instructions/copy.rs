//! COPY and ADD with all their flags (BuildKit `parseCopy`, `parseAdd`).

use super::flags::{self, FlagKind};
use super::words::Args;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyInstr {
    pub is_add: bool,
    /// Source words, raw; a heredoc source is written `<<NAME` (see [`heredoc_name`]).
    pub sources: Vec<String>,
    pub dest: String,
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
    /// ADD only.
    pub checksum: Option<String>,
    pub keep_git_dir: bool,
    pub unpack: Option<bool>,
    pub json: bool,
}

pub fn lower(node: &Node, args: &Args, is_add: bool) -> Result<CopyInstr, Diagnostic> {
    let keyword = if is_add { "ADD" } else { "COPY" };
    let mut known = vec![
        ("from", FlagKind::Value),
        ("chown", FlagKind::Value),
        ("chmod", FlagKind::Value),
        ("link", FlagKind::Bool),
        ("parents", FlagKind::Bool),
        ("exclude", FlagKind::Value),
    ];
    if is_add {
        known.retain(|(n, _)| *n != "from");
        known.extend([
            ("checksum", FlagKind::Value),
            ("keep-git-dir", FlagKind::Bool),
            ("unpack", FlagKind::Bool),
        ]);
    }
    flags::check(node, args, &known)?;
    let Some((dest, sources)) = args.words.split_last() else {
        return Err(Diagnostic::error("copy-arity", node.range, format!("{keyword} requires at least two arguments, but only one was provided. Destination could not be determined")));
    };
    if sources.is_empty() {
        return Err(Diagnostic::error("copy-arity", node.range, format!("{keyword} requires at least two arguments, but only one was provided. Destination could not be determined")));
    }
    Ok(CopyInstr {
        is_add,
        sources: sources.to_vec(),
        dest: dest.clone(),
        from: flags::value(args, "from"),
        chown: flags::value(args, "chown"),
        chmod: flags::value(args, "chmod"),
        link: flags::boolean(args, "link"),
        parents: flags::boolean(args, "parents"),
        exclude: flags::values(args, "exclude")
            .into_iter()
            .map(|(v, _)| v)
            .collect(),
        checksum: flags::value(args, "checksum"),
        keep_git_dir: flags::boolean(args, "keep-git-dir"),
        unpack: args.flag("unpack").map(|_| flags::boolean(args, "unpack")),
        json: args.json,
    })
}

/// The heredoc name a source word refers to (`<<EOF`, `<<-EOF`, `<<"EOF"`), if it is one.
pub fn heredoc_name(word: &str) -> Option<String> {
    let rest = word.strip_prefix("<<")?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let name: String = rest.chars().filter(|c| *c != '"' && *c != '\'').collect();
    (!name.is_empty()).then_some(name)
}
