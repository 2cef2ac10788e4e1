//! `layerlab parse --json FILE`: BuildKit's parse of a Dockerfile.

use super::{print_json, read_text};
use crate::json::ParseOutput;

pub fn run(file: &str, json: bool) -> Result<(), String> {
    let text = read_text(file)?;
    let out = ParseOutput::from_parse(&layerlab_core::parse(&text));
    if json {
        return print_json(&out);
    }
    for i in out.instructions.iter().flatten() {
        println!("{:>4}-{:<4} {} {}", i.start_line, i.end_line, i.cmd, i.value.join(" "));
    }
    if let Some(e) = out.error {
        println!("error: {e}");
    }
    Ok(())
}
