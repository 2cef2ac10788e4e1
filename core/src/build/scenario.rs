//! buildkit-truth scenarios: load one (Dockerfile, context/, steps.json, meta.json, and the
//! initial file modes from the truth's build 0), apply each build's edits like the recorder
//! did, and replay every build against one shared cache (the CLI's `replay`, the conformance
//! test).

use super::{simulate, BuildOptions, BuildReport, CacheStore};
use crate::content::Content;
use crate::context::{BuildContext, Edit};
#[cfg(not(target_arch = "wasm32"))]
use crate::context::{Entry, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE};
use serde_json::Value;
use std::collections::BTreeMap;

/// One build of a scenario: edits applied first, then the build.
#[derive(Debug, Clone, Default)]
pub struct ScenarioBuild {
    pub name: Option<String>,
    pub edits: Vec<Value>,
    pub options: BuildOptions,
    pub expect_fail: bool,
}

/// A scenario ready to replay.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub name: String,
    pub dockerfile: String,
    pub context: BuildContext,
    /// The Dockerfile is also the context's `Dockerfile` (meta.json `dockerfile_in_context`).
    pub dockerfile_in_context: bool,
    pub builds: Vec<ScenarioBuild>,
}

/// The evolving inputs while a scenario is replayed.
#[derive(Debug, Clone)]
pub struct ReplayState {
    pub dockerfile: String,
    pub context: BuildContext,
    pub dockerfile_in_context: bool,
}

impl ReplayState {
    pub fn new(s: &Scenario) -> ReplayState {
        let mut st = ReplayState {
            dockerfile: s.dockerfile.clone(),
            context: s.context.clone(),
            dockerfile_in_context: s.dockerfile_in_context,
        };
        st.sync_dockerfile();
        st
    }

    /// With `dockerfile_in_context`, the context's `Dockerfile` follows every Dockerfile edit,
    /// and a `Dockerfile.dockerignore` beside it replaces `.dockerignore`.
    fn sync_dockerfile(&mut self) {
        if !self.dockerfile_in_context {
            return;
        }
        let own_ignore = self.context.file("Dockerfile.dockerignore").and_then(|f| {
            f.content
                .as_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
        });
        if own_ignore.as_deref() != self.context.dockerignore_override() {
            self.context.set_dockerignore_override(own_ignore);
        }
        let same = self
            .context
            .file("Dockerfile")
            .is_some_and(|f| f.content.as_bytes() == Some(self.dockerfile.as_bytes()));
        if !same {
            let _ = self
                .context
                .write("Dockerfile", Content::from_text(&self.dockerfile), false);
        }
    }

    /// Applies one edit of steps.json (ops documented in buildkit-truth/README.md): the
    /// Dockerfile ops here, the context ops through `crate::context::Edit`.
    pub fn apply(&mut self, edit: &Value) -> Result<(), String> {
        let s = |k: &str| edit.get(k).and_then(Value::as_str).map(str::to_string);
        match s("op").as_deref() {
            Some("dockerfile") => self.dockerfile = s("text").unwrap_or_default(),
            Some("dockerfile_replace") => {
                let old = s("old").unwrap_or_default();
                if !self.dockerfile.contains(&old) {
                    return Err(format!("dockerfile_replace: {old:?} not found"));
                }
                self.dockerfile = self
                    .dockerfile
                    .replacen(&old, &s("new").unwrap_or_default(), 1);
            }
            _ => match Edit::from_step_json(edit) {
                Some(Ok(e)) => self.context.apply(&e).map_err(|e| e.to_string())?,
                Some(Err(e)) => return Err(e.to_string()),
                None => {}
            },
        }
        self.sync_dockerfile();
        Ok(())
    }
}

/// Replays every build of a scenario against one fresh cache.
pub fn replay(s: &Scenario) -> Vec<(Option<String>, BuildReport)> {
    let mut state = ReplayState::new(s);
    let mut cache = CacheStore::new();
    let mut out = Vec::new();
    for b in &s.builds {
        let mut edit_error = None;
        for e in &b.edits {
            if let Err(msg) = state.apply(e) {
                edit_error = Some(msg);
            }
        }
        let mut report = simulate(&state.dockerfile, &state.context, &b.options, &mut cache);
        if let Some(msg) = edit_error {
            report
                .diagnostics
                .push(crate::diagnostic::Diagnostic::warning(
                    "scenario-edit",
                    crate::text::TextRange::empty(0),
                    msg,
                ));
        }
        out.push((b.name.clone(), report));
    }
    out
}

/// Parses steps.json.
pub fn parse_steps(text: &str) -> Result<Vec<ScenarioBuild>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("steps.json: {e}"))?;
    let list = v.as_array().ok_or("steps.json: expected a list")?;
    let mut out = Vec::new();
    for b in list {
        let mut build_args = BTreeMap::new();
        if let Some(m) = b.get("build_args").and_then(Value::as_object) {
            for (k, v) in m {
                build_args.insert(
                    k.clone(),
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string()),
                );
            }
        }
        out.push(ScenarioBuild {
            name: b.get("name").and_then(Value::as_str).map(str::to_string),
            edits: b
                .get("edits")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            options: BuildOptions {
                target: b.get("target").and_then(Value::as_str).map(str::to_string),
                build_args,
                no_cache: b.get("no_cache").and_then(Value::as_bool).unwrap_or(false),
            },
            expect_fail: b
                .get("expect_fail")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        });
    }
    Ok(out)
}

/// Initial modes recorded in a truth file's build 0 (`inputs.context_files`), by path.
pub fn truth_modes(truth_json: &str) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let Ok(v) = serde_json::from_str::<Value>(truth_json) else {
        return out;
    };
    let files = v
        .pointer("/builds/0/inputs/context_files")
        .and_then(Value::as_array);
    for f in files.into_iter().flatten() {
        let (Some(p), Some(m)) = (
            f.get("path").and_then(Value::as_str),
            f.get("mode").and_then(Value::as_str),
        ) else {
            continue;
        };
        if let Ok(mode) = u32::from_str_radix(m, 8) {
            out.insert(p.to_string(), mode);
        }
    }
    out
}

/// Loads a scenario directory (native only: reads files).
#[cfg(not(target_arch = "wasm32"))]
pub fn load(dir: &std::path::Path) -> Result<Scenario, String> {
    use std::fs;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let read = |p: &std::path::Path| {
        fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let dockerfile = read(&dir.join("Dockerfile"))?;
    let builds = parse_steps(&read(&dir.join("steps.json"))?)?;
    let meta: Value = fs::read_to_string(dir.join("meta.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let dockerfile_in_context = meta
        .get("dockerfile_in_context")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let truth = dir
        .parent()
        .and_then(|p| p.parent())
        .map(|root| root.join("truth").join(format!("{name}.json")));
    let modes = truth
        .and_then(|p| fs::read_to_string(p).ok())
        .map(|t| truth_modes(&t))
        .unwrap_or_default();
    let ctx_dir = dir.join("context");
    let mut context = if ctx_dir.is_dir() {
        BuildContext::load_dir(&ctx_dir).map_err(|e| e.to_string())?
    } else {
        BuildContext::new()
    };
    // The recorder's convention: files 0644, directories 0755, unless the truth says otherwise.
    let defaults: Vec<(String, u32)> = context
        .iter()
        .filter_map(|(p, e)| match e {
            Entry::File(_) => Some((p.to_string(), DEFAULT_FILE_MODE)),
            Entry::Dir(_) => Some((p.to_string(), DEFAULT_DIR_MODE)),
            Entry::Symlink(_) => None,
        })
        .collect();
    for (p, m) in defaults.into_iter().chain(modes) {
        let _ = context.chmod(&p, m);
    }
    // `Dockerfile.dockerignore` next to the (outside) Dockerfile replaces `.dockerignore`.
    if let Ok(t) = fs::read_to_string(dir.join("Dockerfile.dockerignore")) {
        context.set_dockerignore_override(Some(t));
    }
    Ok(Scenario {
        name,
        dockerfile,
        context,
        dockerfile_in_context,
        builds,
    })
}
