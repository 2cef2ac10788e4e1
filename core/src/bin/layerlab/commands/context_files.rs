//! `layerlab context-files [--dirs] DIR` (see ../shared/contract.md): the paths a BuildKit build
//! would send from DIR after applying `DIR/.dockerignore`, one per line, sorted; with `--dirs`
//! also the sent directories, with a trailing `/`.

use layerlab_core::context::BuildContext;
use std::io::Write;

pub fn run(args: &crate::args::Command) -> Result<(), String> {
    let crate::args::Command::ContextFiles { dir, dirs } = args else {
        return Err("context-files: wrong command".into());
    };
    let ctx = BuildContext::load_dir(std::path::Path::new(dir))
        .map_err(|e| format!("context-files: {e}"))?;
    // A .dockerignore BuildKit refuses fails the build before anything is sent.
    let paths = ctx
        .sent_files(*dirs)
        .map_err(|e| format!("context-files: {e}"))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for p in paths {
        // A closed pipe (`| head`) is not an error worth a panic.
        if writeln!(out, "{p}").is_err() {
            return Ok(());
        }
    }
    let _ = out.flush();
    Ok(())
}
