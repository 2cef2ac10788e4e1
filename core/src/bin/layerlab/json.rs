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
            original: node.original.clone(),
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
