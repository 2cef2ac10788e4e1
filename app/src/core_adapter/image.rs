//! A built image → what the layer pane shows: `docker history` rows with their file changes,
//! sizes (with a compressed estimate), dive's efficiency, and the config as rows.

use super::layers::{efficiency, layer_changes};
use super::{ImageView, LayerRowView};
use layerlab_core::build;

/// Gzip typically stores OS and runtime layers at roughly 40 % of their size (e.g. debian
/// bookworm: 117 MB → 48 MB on Docker Hub); used only for the "≈ compressed" estimate.
const COMPRESSION_RATIO: f64 = 0.4;

pub(super) fn image_view(img: &build::ImageReport) -> ImageView {
    let layers: Vec<&[layerlab_core::fs::LayerEntry]> =
        img.layers.iter().map(|l| l.entries.as_slice()).collect();
    let changes = layer_changes(&layers);
    let rows = img
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let ch = h.layer.and_then(|l| changes.get(l));
            LayerRowView {
                index: i,
                created_by: h.created_by.clone(),
                size: h.size,
                empty: h.empty_layer,
                line: h.line,
                is_base: h.line.is_none(),
                n_changes: ch.map_or(0, |c| c.len()),
                changes: ch
                    .map(|c| c.iter().take(super::MAX_CHANGES_SHOWN).cloned().collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let (score, wasted) = efficiency(&layers);
    let compressed_estimate = match img
        .notes
        .get("compressed_size")
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(n) => n,
        None => (img.size as f64 * COMPRESSION_RATIO) as u64,
    };
    ImageView {
        size: img.size,
        compressed_estimate,
        layer_count: img.layer_count,
        rows,
        efficiency: score,
        wasted_bytes: wasted.iter().map(|w| w.bytes).sum(),
        wasted,
        config: config_rows(&img.config),
        stage: img.stage.clone(),
    }
}

/// The image config as `docker inspect` would name it, only the fields that are set.
fn config_rows(c: &layerlab_core::image::ImageConfig) -> Vec<(String, String)> {
    let mut res = Vec::new();
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    res.push((
        "User".into(),
        if c.user.is_empty() {
            "root (default)".into()
        } else {
            c.user.clone()
        },
    ));
    if !c.working_dir.is_empty() {
        res.push(("WorkingDir".into(), c.working_dir.clone()));
    }
    for e in &c.env {
        res.push(("Env".into(), e.clone()));
    }
    if let Some(ep) = &c.entrypoint {
        res.push(("Entrypoint".into(), json(ep)));
    }
    if let Some(cmd) = &c.cmd {
        res.push(("Cmd".into(), json(cmd)));
    }
    if !c.exposed_ports.is_empty() {
        res.push((
            "ExposedPorts".into(),
            c.exposed_ports
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    for (k, v) in &c.labels {
        res.push(("Label".into(), format!("{k}={v}")));
    }
    if let Some(h) = &c.healthcheck {
        res.push(("Healthcheck".into(), json(&h.test)));
    }
    if !c.volumes.is_empty() {
        res.push((
            "Volumes".into(),
            c.volumes.iter().cloned().collect::<Vec<_>>().join(" "),
        ));
    }
    if !c.stop_signal.is_empty() {
        res.push(("StopSignal".into(), c.stop_signal.clone()));
    }
    res
}
