//! `layerlab`: the core's engine from a terminal, with the JSON interface of ../shared/contract.md.

mod args;
mod commands;
mod json;

use args::{check_known, parse_args, Command, HELP};
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
    let cmd = parse_args(argv).map_err(|e| e.to_string())?;
    check_known(&cmd, argv).map_err(|e| e.to_string())?;
    match &cmd {
        Command::Help => {
            print!("{HELP}");
            Ok(())
        }
        Command::Parse { file, json } => commands::parse::run(file, *json),
        Command::ContextFiles { .. } => commands::context_files::run(&cmd),
        Command::Simulate(_) => commands::simulate::run(&cmd),
        Command::Replay { .. } => commands::replay::run(&cmd),
    }
}
