//! `layerlab`: the core's engine from a terminal, with the JSON interface of ../shared/contract.md.

mod args;
mod json;

use args::{parse_args, Command, HELP};
use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("layerlab: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(argv: &[String]) -> Result<(), String> {
    match parse_args(argv).map_err(|e| e.to_string())? {
        Command::Help => {
            print!("{HELP}");
            Ok(())
        }
        Command::Parse { file, json } => {
            let text = read_input(&file)?;
            let parse = layerlab_core::parse(&text);
            let out = json::ParseOutput::from_parse(&parse);
            if json {
                print_json(&out)
            } else {
                for i in out.instructions.iter().flatten() {
                    println!("{:>4}-{:<4} {} {}", i.start_line, i.end_line, i.cmd, i.value.join(" "));
                }
                if let Some(e) = out.error {
                    println!("error: {e}");
                }
                Ok(())
            }
        }
    }
}

/// Reads a file path, or standard input for `-`. Bytes that are not UTF-8 are replaced, as a
/// Dockerfile is text and the parser must see all of it.
fn read_input(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let s = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{s}");
    Ok(())
}
