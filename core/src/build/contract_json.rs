//! The CLI contract's JSON for a build (../shared/contract.md, `replay` and `simulate`), built
//! here so the CLI and the conformance test print and compare the very same shape.

use super::report::BuildReport;
use serde_json::{json, Value};

/// One build object: `{name, ok, error, stages_built, stages_not_built, steps, image, ...}`.
pub fn build_json(name: Option<&str>, r: &BuildReport) -> Value {
    let steps: Vec<Value> = r
        .steps
        .iter()
        .map(|s| {
            json!({
                "stage": s.stage,
                "instruction": s.instruction,
                "text": s.text,
                "status": s.status.as_str(),
                "reason": s.reason,
                "start_line": s.start_line,
                "end_line": s.end_line,
                "pos": s.pos,
                "of": s.of,
                "size": s.size,
            })
        })
        .collect();
    let image = r.image.as_ref().map(|img| {
        json!({
            "size": img.size,
            "layer_count": img.layer_count,
            "stage": img.stage,
            "history": img.history.iter().map(|h| json!({"created_by": h.created_by, "size": h.size, "empty_layer": h.empty_layer})).collect::<Vec<_>>(),
            "layers": img.layers.iter().map(|l| json!({
                "size": l.size,
                "entries": l.entries.iter().map(|e| json!({
                    "path": e.path, "type": e.kind.as_str(), "size": e.size,
                    "mode": format!("{:04o}", e.mode), "uid": e.uid, "gid": e.gid,
                    "link": e.link_target,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "config": serde_json::to_value(&img.config).unwrap_or(Value::Null),
        })
    });
    json!({
        "name": name,
        "ok": r.ok,
        "error": r.error.as_ref().map(|e| e.message.clone()),
        "stages_built": r.stages_built.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
        "stages_not_built": r.stages_not_built.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
        "stages_not_built_reasons": r.stages_not_built.iter().map(|s| json!({"stage": s.label, "reason": s.reason})).collect::<Vec<_>>(),
        "steps": steps,
        "image": image,
        "diagnostics": r.diagnostics.iter().map(|d| json!({"code": d.code, "severity": d.severity, "message": d.message, "start": d.range.start, "end": d.range.end})).collect::<Vec<_>>(),
    })
}

/// `{"scenario": name, "builds": [...]}`.
pub fn replay_json(scenario: &str, builds: &[(Option<String>, BuildReport)]) -> Value {
    json!({
        "scenario": scenario,
        "builds": builds.iter().map(|(n, r)| build_json(n.as_deref(), r)).collect::<Vec<_>>(),
    })
}
