//! FROM: `FROM [--platform=P] IMAGE [AS NAME]` (BuildKit `parseFrom`).

use super::flags::{self, FlagKind};
use super::words::Args;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromInstr {
    /// The image or stage reference, raw (may hold `$ARG` from the global scope).
    pub image: String,
    /// The stage name, lower-cased as BuildKit does (`AS Base` names the stage `base`).
    pub name: Option<String>,
    pub platform: Option<String>,
}

pub fn lower(node: &Node, args: &Args) -> Result<FromInstr, Diagnostic> {
    flags::check(node, args, &[("platform", FlagKind::Value)])?;
    let w = &args.words;
    let (image, name) = match w.as_slice() {
        [image] => (image.clone(), None),
        [image, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => {
            (image.clone(), Some(name.to_ascii_lowercase()))
        }
        _ => {
            return Err(Diagnostic::error(
                "from-arity",
                node.range,
                "FROM requires either one or three arguments",
            ));
        }
    };
    if let Some(n) = &name {
        if !valid_stage_name(n) {
            return Err(Diagnostic::error("bad-stage-name", node.range, format!("invalid name for build stage: {n:?}, name can't start with a number or contain symbols")));
        }
    }
    Ok(FromInstr {
        image,
        name,
        platform: flags::value(args, "platform"),
    })
}

/// BuildKit's `validStageName`: `^[a-z][a-z0-9-_.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}
