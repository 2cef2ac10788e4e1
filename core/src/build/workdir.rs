//! WORKDIR: sets the working directory and creates it as a step of its own (a real layer,
//! possibly empty), except `WORKDIR /`, which makes an `empty_layer` row and prints nothing
//! (buildkit-truth layers_workdir).

use super::driver::{print_text, Driver, StepOutput, StepPlan};
use super::report::BuildError;
use super::state::StageState;
use super::words::Mode;
use crate::cache::{KeyBuilder, StepInputs};
use crate::fs::{path::join_abs, Fs};
use crate::instructions::Instruction;

pub fn dispatch(
    d: &mut Driver,
    state: &mut StageState,
    instr: &Instruction,
    raw: &str,
    pos: usize,
    of: usize,
) -> Result<(), BuildError> {
    let word = d.expand(state, raw, Mode::Word);
    // BuildKit keeps an absolute path as written (`WORKDIR /app/` is `/app/` in the config,
    // the history and the mkdir op) and joins and cleans a relative one (util/system/path.go
    // `NormalizeWorkdir` → `NormalizePath(current, wd, os, false)`).
    let abs = if word.starts_with('/') {
        word.clone()
    } else {
        clean_abs(&join_abs(&state.workdir(), &word))
    };
    let text = print_text(d, state, instr);
    state.config.working_dir = abs.clone();
    if abs == "/" {
        state.push_row("WORKDIR /".into(), None, Some(instr.start_line));
        return Ok(());
    }
    let user = state.config.user.clone();
    // The mkdir op carries the USER parsed like --chown (`llb.WithUser` in `dispatchWorkdir`):
    // `USER root` and `USER 0` make the same op.
    let user_field = (!user.is_empty()).then(|| super::op_key::chown_field(&user));
    let key = KeyBuilder::new("mkdir")
        .key(state.key)
        .str(&abs)
        .opt(user_field.as_deref())
        .finish();
    let inputs = StepInputs {
        definition: format!("WORKDIR {abs}"),
        user: user.clone(),
        base: state.base_ref.clone(),
        ..Default::default()
    };
    let layers = state.layers.clone();
    let plan = StepPlan {
        instr,
        key,
        inputs,
        text,
        pos,
        of,
        created_by: Some(format!("WORKDIR {abs}")),
    };
    let meta = super::owner::owner_meta(&layers, &user, 0o755);
    d.step(state, plan, &mut |_d| {
        let mut fs = Fs::from_layers(layers.clone());
        fs.mkdir_all(&clean_abs(&abs), meta)
            .map_err(|e| BuildError {
                message: format!("mkdir {abs}: {}", e.message()),
                range: instr.range,
            })?;
        Ok(StepOutput {
            layer: fs.commit(),
            output: String::new(),
            inputs: None,
        })
    })
}

/// `/a/./b/../c` → `/a/c`.
pub fn clean_abs(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}
