//! FROM: start a stage from a base image (resolved strictly in the catalog) or from an
//! earlier stage's result.

use super::driver::Driver;
use super::report::{BuildError, StepReport, StepStatus};
use super::state::StageState;
use crate::cache::KeyBuilder;
use crate::fs::{Fs, Layer, Meta};
use crate::image::{self, BaseFileKind, BaseImage, Lookup};
use crate::stages::{Base, Stage};
use std::sync::Arc;

/// The stage's initial state and the step position after FROM.
pub fn start(d: &mut Driver, stage: &Stage, of: usize) -> Result<(StageState, usize), BuildError> {
    match &stage.base {
        Base::Stage(i) => {
            let Some(base) = d.done.get(i).cloned() else {
                return Err(BuildError {
                    message: format!("stage {} is not built", i),
                    range: stage.from_instr.range,
                });
            };
            // A stage built on a stage continues its LLB state: its env (ARG values included)
            // and its ARGs stay in scope (BuildKit `dispatchState.init`: `ds.state =
            // ds.base.state`, `ds.buildArgs = append(ds.buildArgs, ds.base.buildArgs...)`),
            // then the image config's Env is re-added (`dispatchStages`).
            let mut state = StageState {
                index: stage.index,
                label: stage.label(),
                cmd_set: false,
                ..base
            };
            state.assign_config_env();
            // `base_ref` stays the base stage's: a FROM <stage> changes nothing by itself.
            Ok((state, 0))
        }
        Base::Image(reference) => {
            let img = match resolve(reference) {
                Ok(img) => img,
                Err(message) if d.placeholders => {
                    d.report
                        .diagnostics
                        .push(crate::diagnostic::Diagnostic::warning(
                            "unknown-image",
                            stage.from_instr.range,
                            format!(
                                "{message}; building on a placeholder image (sizes are estimates)"
                            ),
                        ));
                    image::placeholder(reference)
                }
                Err(message) => {
                    return Err(BuildError {
                        message,
                        range: stage.from_instr.range,
                    })
                }
            };
            let layers = base_layers(d, &img);
            let key = KeyBuilder::new("image")
                .str(&img.resolved)
                .str(&img.reference)
                .finish();
            let mut state = StageState {
                index: stage.index,
                label: stage.label(),
                layers: layers.clone(),
                key,
                head_ran: false,
                config: img.config.clone(),
                history: Vec::new(),
                row_layers: Vec::new(),
                args: Vec::new(),
                env: Vec::new(),
                cmd_set: false,
                base_ref: img.reference.clone(),
            };
            let mut content = layers.into_iter();
            for l in &img.layers {
                if l.empty_layer {
                    state.push_row(l.created_by.clone(), None, None);
                } else if let Some(layer) = content.next() {
                    state.push_row(l.created_by.clone(), Some(layer), None);
                    if let Some(row) = state.history.last_mut() {
                        row.size = l.size;
                    }
                }
            }
            state.config.ensure_default_path();
            state.assign_config_env();
            if !d.printed.contains(&key) {
                d.printed.insert(key);
                d.report.steps.push(StepReport {
                    stage: d.graph.step_label(stage),
                    stage_index: stage.index,
                    instruction: "FROM".into(),
                    text: format!("FROM {}", img.canonical_reference()),
                    status: StepStatus::Cached,
                    reason: None,
                    range: stage.from_instr.range,
                    start_line: stage.from_instr.start_line,
                    end_line: stage.from_instr.end_line,
                    pos: 1,
                    of,
                    size: 0,
                    output: String::new(),
                });
            }
            Ok((state, 1))
        }
    }
}

/// Strict catalog resolution: an unknown image fails the build like a registry miss.
pub fn resolve(reference: &str) -> Result<BaseImage, String> {
    match image::lookup(reference) {
        Lookup::Found(img) => Ok(img),
        Lookup::Unknown {
            reference, message, ..
        } => Err(format!(
            "{reference}: failed to resolve source metadata for {}: {message}",
            image::reference::canonical(&reference)
        )),
    }
}

/// The base image's content layers as filesystem layers (memoised in the store).
pub fn base_layers(d: &mut Driver, img: &BaseImage) -> Vec<Arc<Layer>> {
    let memo_key = format!("{}@{}", img.reference, img.resolved);
    if let Some(l) = d.cache.bases.get(&memo_key) {
        return l.clone();
    }
    let mut fs = Fs::new();
    let mut out = Vec::new();
    for files in img.layer_files() {
        for f in files {
            let meta = Meta::new(f.mode, f.uid, f.gid);
            let parent = f.path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            if !parent.is_empty() {
                let _ = fs.mkdir_all(parent, Meta::root(0o755));
            }
            let _ = match &f.kind {
                BaseFileKind::Dir => fs.put_dir(&f.path, meta),
                BaseFileKind::File { content } => fs.put_file(&f.path, content.clone(), meta),
                BaseFileKind::Symlink { target } => fs.symlink(target, &f.path, meta),
            };
        }
        out.push(fs.commit());
    }
    d.cache.bases.insert(memo_key, out.clone());
    out
}
