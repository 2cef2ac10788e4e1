//! One module per CLI command; each reads its inputs, calls the core and prints JSON.

pub mod context_files;
pub mod parse;
pub mod replay;
pub mod simulate;

use std::io::Read;

/// Reads a file path, or standard input for `-`. Bytes that are not UTF-8 are replaced: a
/// Dockerfile is text and the parser must see all of it.
pub fn read_text(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let s = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{s}");
    Ok(())
}
