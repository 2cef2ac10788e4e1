//! `layerlab replay SCENARIO_DIR --json` (see ../shared/contract.md): every build of a
//! buildkit-truth scenario, edits applied in order, against one shared cache.

use super::print_json;
use crate::args::Command;
use layerlab_core::build::{contract_json, scenario};

pub fn run(args: &Command) -> Result<(), String> {
    let Command::Replay {
        scenario: dir,
        json,
    } = args
    else {
        return Err("replay: bad arguments".into());
    };
    let path = std::path::Path::new(dir.trim_end_matches('/'));
    if !path.join("Dockerfile").is_file() || !path.join("steps.json").is_file() {
        return Err(format!(
            "replay: {dir} is not a scenario directory (needs Dockerfile and steps.json)"
        ));
    }
    let s = scenario::load(path)?;
    let builds = scenario::replay(&s);
    if *json {
        return print_json(&contract_json::replay_json(&s.name, &builds));
    }
    println!("scenario {}", s.name);
    for (i, (name, r)) in builds.iter().enumerate() {
        println!(
            "b{i} {} ok={} {}",
            name.as_deref().unwrap_or(""),
            r.ok,
            r.error.as_ref().map(|e| e.message.as_str()).unwrap_or("")
        );
        for st in r.steps.iter().filter(|s| s.instruction != "FROM") {
            println!(
                "  {} {:<6} {}",
                st.progress_prefix(),
                st.status.as_str(),
                st.text
            );
        }
    }
    Ok(())
}
