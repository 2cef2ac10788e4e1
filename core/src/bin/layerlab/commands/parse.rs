//! `layerlab parse --json FILE`: BuildKit's parse of a Dockerfile. Without `--json`, one line
//! per instruction followed by every diagnostic (warnings and unknown instructions included).

use super::{print_json, read_text};
use crate::json::ParseOutput;

pub fn run(file: &str, json: bool) -> Result<(), String> {
    let text = read_text(file)?;
    let parse = layerlab_core::parse(&text);
    let out = ParseOutput::from_parse(&parse);
    if json {
        return print_json(&out);
    }
    for node in &parse.nodes {
        let values: Vec<&str> = node.sub.as_deref().unwrap_or(node).values().collect();
        println!(
            "{:>4}-{:<4} {} {}",
            node.start_line,
            node.end_line,
            node.cmd,
            values.join(" ")
        );
    }
    for d in &parse.diagnostics {
        let at = parse.line_index.line_col(&text, d.range.start);
        let fatal = if layerlab_core::syntax::is_fatal_in_buildkit(d) {
            " (BuildKit rejects the file)"
        } else {
            ""
        };
        println!(
            "{}:{}: {:?} [{}] {}{fatal}",
            at.line, at.col, d.severity, d.code, d.message
        );
    }
    Ok(())
}
