//! `layerlab simulate DOCKERFILE --context DIR [--build-arg K=V]... [--target T] [--no-cache] [--json]`:
//! one build, the same per-build object as `replay` (see ../shared/contract.md).

use super::{print_json, read_text};
use crate::args::Command;
use layerlab_core::build::{contract_json, simulate, BuildOptions, CacheStore, Context};

pub fn run(args: &Command) -> Result<(), String> {
    let Command::Simulate(a) = args else {
        return Err("simulate: bad arguments".into());
    };
    let dockerfile = read_text(&a.dockerfile)?;
    let dir = std::path::Path::new(&a.context);
    if !dir.is_dir() {
        return Err(format!("simulate: {} is not a directory", a.context));
    }
    let mut ctx = Context::load_dir(dir).map_err(|e| e.to_string())?;
    // `<Dockerfile>.dockerignore` next to the Dockerfile replaces .dockerignore completely.
    if let Ok(t) = std::fs::read_to_string(format!("{}.dockerignore", a.dockerfile)) {
        ctx.set_dockerignore_override(Some(t));
    }
    let options = BuildOptions {
        target: a.target.clone(),
        build_args: a.build_args.iter().cloned().collect(),
        no_cache: a.no_cache,
    };
    let report = simulate(&dockerfile, &ctx, &options, &mut CacheStore::new());
    if a.json {
        return print_json(&contract_json::build_json(None, &report));
    }
    println!(
        "{}",
        if report.ok {
            "build ok"
        } else {
            "build FAILED"
        }
    );
    if let Some(e) = &report.error {
        println!("error: {}", e.message);
    }
    for st in &report.steps {
        println!(
            "{} {:<6} {:>10} B  {}",
            st.progress_prefix(),
            st.status.as_str(),
            st.size,
            st.text
        );
        // What the step printed, indented, as `--progress=plain` shows it under the step.
        for line in st.output.lines() {
            println!("    | {line}");
        }
    }
    if let Some(img) = &report.image {
        println!("image: {} bytes, {} layers", img.size, img.layer_count);
        for h in &img.history {
            println!(
                "  {:>10}{} {}",
                h.size,
                if h.empty_layer { " (empty)" } else { "" },
                h.created_by
            );
        }
    }
    for d in &report.diagnostics {
        println!("{:?}: {}", d.severity, d.message);
    }
    Ok(())
}
