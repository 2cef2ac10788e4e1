//! The JSON shapes of the CLI contract (../shared/contract.md), kept apart from the core's types.

use layerlab_core::syntax::{Node, Parse};
use serde::Serialize;

#[derive(Serialize)]
pub struct ParseOutput {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Vec<InstructionDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Serialize)]
pub struct InstructionDto {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub original: String,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub start_line: u32,
    pub end_line: u32,
    pub heredocs: Vec<HeredocDto>,
}

#[derive(Serialize)]
pub struct HeredocDto {
    pub name: String,
    pub file_descriptor: u32,
    pub content: String,
}

impl ParseOutput {
    /// `ok` mirrors BuildKit's *parser*: only the errors parser.go itself stops at count
    /// (`Parse::fatal_error`); an unknown instruction is still `ok` here, as BuildKit rejects
    /// it one layer up (instructions/parse.go).
    pub fn from_parse(parse: &Parse) -> ParseOutput {
        if let Some(err) = parse.fatal_error() {
            return ParseOutput {
                ok: false,
                instructions: None,
                error: Some(err.message.clone()),
            };
        }
        let instructions = parse.nodes.iter().map(InstructionDto::from_node).collect();
        ParseOutput {
            ok: true,
            instructions: Some(instructions),
            error: None,
        }
    }
}

impl InstructionDto {
    fn from_node(node: &Node) -> InstructionDto {
        // ONBUILD reports its inner instruction as `sub_cmd` and the inner arguments as value;
        // its flags are its own followed by the inner instruction's (current BuildKit keeps
        // ONBUILD's inner flags). Heredocs sit on the ONBUILD node itself, as in parser.go.
        let (sub_cmd, inner) = match &node.sub {
            Some(sub) => (Some(sub.cmd.clone()), sub.as_ref()),
            None => (None, node),
        };
        let mut flags: Vec<String> = node.flags.iter().map(|f| f.original()).collect();
        if let Some(sub) = &node.sub {
            flags.extend(sub.flags.iter().map(|f| f.original()));
        }
        InstructionDto {
            cmd: node.cmd.clone(),
            sub_cmd,
            json: inner.json,
            original: original_with_heredocs(node),
            flags,
            value: inner.value.iter().map(|w| w.text.clone()).collect(),
            start_line: node.start_line,
            end_line: node.end_line,
            heredocs: node
                .heredocs
                .iter()
                .map(|h| HeredocDto {
                    name: h.name.clone(),
                    file_descriptor: h.file_descriptor,
                    content: h.content.clone(),
                })
                .collect(),
        }
    }
}

/// BuildKit's parse.json `original`: the instruction line, then for each heredoc its body and
/// its delimiter name on a line of its own (the corpus shows `\tEOT` written as `EOT`).
fn original_with_heredocs(node: &Node) -> String {
    let mut res = node.original.clone();
    if !node.heredocs.is_empty() {
        res.push('\n');
        for h in &node.heredocs {
            res.push_str(&h.content);
            res.push_str(&h.name);
            res.push('\n');
        }
    }
    res
}

// Only the folder listing is used here.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../tests/support/corpus.rs"]
mod corpus;

#[cfg(test)]
mod tests {
    //! The CLI's own mapping against BuildKit's parse of the 50 real Dockerfiles
    //! (../shared/conformance/realworld/*.parse.json), field for field.
    use super::{corpus, ParseOutput};
    use serde_json::Value;

    #[test]
    fn parse_json_matches_buildkit_on_realworld_files() {
        let files = corpus::dockerfiles(std::path::Path::new(corpus::REALWORLD));
        assert!(files.len() >= 50);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let got = serde_json::to_value(ParseOutput::from_parse(&layerlab_core::parse(&text)))
                .unwrap_or(Value::Null);
            let mut j = f.clone().into_os_string();
            j.push(".parse.json");
            let want: Value =
                serde_json::from_str(&std::fs::read_to_string(&j).unwrap_or_default())
                    .unwrap_or(Value::Null);
            assert_eq!(got["ok"], want["ok"], "{}", f.display());
            let (g, w) = (
                got["instructions"].as_array(),
                want["instructions"].as_array(),
            );
            assert_eq!(g.map(Vec::len), w.map(Vec::len), "{}", f.display());
            for (g, w) in g.into_iter().flatten().zip(w.into_iter().flatten()) {
                for field in [
                    "cmd",
                    "sub_cmd",
                    "json",
                    "original",
                    "flags",
                    "value",
                    "start_line",
                    "end_line",
                    "heredocs",
                ] {
                    assert_eq!(
                        g[field],
                        w[field],
                        "{} line {}: {field}",
                        f.display(),
                        w["start_line"]
                    );
                }
            }
        }
    }
}
