//! buildkit-truth scenarios: load one (Dockerfile, context/, steps.json, meta.json, and the
//! initial file modes from the truth's build 0), apply each build's edits like the recorder
//! did, and replay every build against one shared cache (the CLI's `replay`, the conformance
//! test).

use super::context::{Context, EntryKind};
use super::{simulate, BuildOptions, BuildReport, CacheStore};
use crate::content::Content;
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
    pub context: Context,
    /// The Dockerfile is also the context's `Dockerfile` (meta.json `dockerfile_in_context`).
    pub dockerfile_in_context: bool,
    pub builds: Vec<ScenarioBuild>,
}

/// The evolving inputs while a scenario is replayed.
#[derive(Debug, Clone)]
pub struct ReplayState {
    pub dockerfile: String,
    pub context: Context,
    pub dockerfile_in_context: bool,
    /// A clock for mtimes: every write/touch gets a new, later time.
    pub clock: u64,
}

impl ReplayState {
    pub fn new(s: &Scenario) -> ReplayState {
        let mut st = ReplayState { dockerfile: s.dockerfile.clone(), context: s.context.clone(), dockerfile_in_context: s.dockerfile_in_context, clock: 1_000_000 };
        st.sync_dockerfile();
        st
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn sync_dockerfile(&mut self) {
        if !self.dockerfile_in_context {
            return;
        }
        let same = matches!(self.context.get("Dockerfile").map(|e| &e.kind), Some(EntryKind::File(c)) if c.as_bytes() == Some(self.dockerfile.as_bytes()));
        if !same {
            let t = self.tick();
            self.context.put_file("Dockerfile", Content::from_text(&self.dockerfile), 0o644, t);
        }
    }

    /// Applies one edit of steps.json (ops documented in buildkit-truth/README.md).
    pub fn apply(&mut self, edit: &Value) -> Result<(), String> {
        let s = |k: &str| edit.get(k).and_then(Value::as_str).map(str::to_string);
        let op = s("op").unwrap_or_default();
        let path = s("path").unwrap_or_default();
        match op.as_str() {
            "dockerfile" => self.dockerfile = s("text").unwrap_or_default(),
            "dockerfile_replace" => {
                let old = s("old").unwrap_or_default();
                if !self.dockerfile.contains(&old) {
                    return Err(format!("dockerfile_replace: {old:?} not found"));
                }
                self.dockerfile = self.dockerfile.replacen(&old, &s("new").unwrap_or_default(), 1);
            }
            "write" => {
                let content = match (s("text"), edit.get("size").and_then(Value::as_u64)) {
                    (Some(t), _) => Content::from_text(&t),
                    (None, Some(size)) => Content::pattern(s("seed").unwrap_or_default().as_bytes(), size),
                    (None, None) => Content::empty(),
                };
                let prev = self.context.get(&path).cloned();
                let keep = edit.get("keep_mtime").and_then(Value::as_bool).unwrap_or(false);
                let mtime = match (&prev, keep) {
                    (Some(p), true) => p.mtime,
                    _ => self.tick(),
                };
                let mode = prev.map_or(0o644, |p| p.mode);
                self.context.put_file(&path, content, mode, mtime);
            }
            "append" => {
                let prev = self.context.get(&path).cloned();
                let (old, mode) = match prev {
                    Some(p) => match p.kind {
                        EntryKind::File(c) => (c, p.mode),
                        _ => (Content::empty(), p.mode),
                    },
                    None => (Content::empty(), 0o644),
                };
                let t = self.tick();
                self.context.put_file(&path, old.append(&Content::from_text(&s("text").unwrap_or_default())), mode, t);
            }
            "delete" => self.context.remove(&path),
            "touch" => {
                let t = self.tick();
                match self.context.entries.get_mut(&super::ignore_match::clean(&path)) {
                    Some(e) => e.mtime = t,
                    None => self.context.put_file(&path, Content::empty(), 0o644, t),
                }
            }
            "chmod" => {
                let mode = u32::from_str_radix(&s("mode").unwrap_or_default(), 8).map_err(|e| format!("chmod: {e}"))?;
                if let Some(e) = self.context.entries.get_mut(&super::ignore_match::clean(&path)) {
                    e.mode = mode;
                }
            }
            "mkdir" => {
                let t = self.tick();
                self.context.put_dir(&path, 0o755, t);
            }
            "rename" => {
                let from = super::ignore_match::clean(&s("from").unwrap_or_default());
                let to = super::ignore_match::clean(&s("to").unwrap_or_default());
                let moved: Vec<(String, super::context::ContextEntry)> = self
                    .context
                    .entries
                    .iter()
                    .filter(|(k, _)| **k == from || k.starts_with(&format!("{from}/")))
                    .map(|(k, v)| (format!("{to}{}", &k[from.len()..]), v.clone()))
                    .collect();
                self.context.remove(&from);
                for (k, v) in moved {
                    match v.kind {
                        EntryKind::File(c) => self.context.put_file(&k, c, v.mode, v.mtime),
                        EntryKind::Dir => self.context.put_dir(&k, v.mode, v.mtime),
                        EntryKind::Symlink(t) => self.context.put_symlink(&k, &t, v.mtime),
                    }
                }
            }
            other => return Err(format!("unknown edit op {other:?}")),
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
            report.diagnostics.push(crate::diagnostic::Diagnostic::warning("scenario-edit", crate::text::TextRange::empty(0), msg));
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
                build_args.insert(k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
            }
        }
        out.push(ScenarioBuild {
            name: b.get("name").and_then(Value::as_str).map(str::to_string),
            edits: b.get("edits").and_then(Value::as_array).cloned().unwrap_or_default(),
            options: BuildOptions {
                target: b.get("target").and_then(Value::as_str).map(str::to_string),
                build_args,
                no_cache: b.get("no_cache").and_then(Value::as_bool).unwrap_or(false),
            },
            expect_fail: b.get("expect_fail").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    Ok(out)
}

/// Initial modes recorded in a truth file's build 0 (`inputs.context_files`), by path.
pub fn truth_modes(truth_json: &str) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let Ok(v) = serde_json::from_str::<Value>(truth_json) else { return out };
    let files = v.pointer("/builds/0/inputs/context_files").and_then(Value::as_array);
    for f in files.into_iter().flatten() {
        let (Some(p), Some(m)) = (f.get("path").and_then(Value::as_str), f.get("mode").and_then(Value::as_str)) else { continue };
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
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let read = |p: &std::path::Path| fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let dockerfile = read(&dir.join("Dockerfile"))?;
    let builds = parse_steps(&read(&dir.join("steps.json"))?)?;
    let meta: Value = fs::read_to_string(dir.join("meta.json")).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(Value::Null);
    let dockerfile_in_context = meta.get("dockerfile_in_context").and_then(Value::as_bool).unwrap_or(false);
    let truth = dir.parent().and_then(|p| p.parent()).map(|root| root.join("truth").join(format!("{name}.json")));
    let modes = truth.and_then(|p| fs::read_to_string(p).ok()).map(|t| truth_modes(&t)).unwrap_or_default();
    let mut context = Context::new();
    let ctx_dir = dir.join("context");
    if ctx_dir.is_dir() {
        load_dir(&ctx_dir, &mut context, false)?;
    }
    for (p, m) in modes {
        if let Some(e) = context.entries.get_mut(&p) {
            e.mode = m;
        }
    }
    Ok(Scenario { name, dockerfile, context, dockerfile_in_context, builds })
}

/// Reads a directory tree into a context: files start 0644, dirs 0755 (the recorder's
/// convention) unless `real_modes`, with distinct mtimes.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(root: &std::path::Path, ctx: &mut Context, real_modes: bool) -> Result<(), String> {
    use std::fs;
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let mut clock = 1u64;
    let mut n = 0usize;
    while let Some((dir, rel)) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            n += 1;
            if n > 1_000_000 {
                return Err("context too large".into());
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let ft = e.file_type().map_err(|e| e.to_string())?;
            clock += 1;
            let mode = |dflt: u32| -> u32 {
                if !real_modes {
                    return dflt;
                }
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    e.metadata().map(|m| m.permissions().mode() & 0o7777).unwrap_or(dflt)
                }
                #[cfg(not(unix))]
                dflt
            };
            if ft.is_symlink() {
                let target = fs::read_link(e.path()).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
                ctx.put_symlink(&path, &target, clock);
            } else if ft.is_dir() {
                ctx.put_dir(&path, mode(0o755), clock);
                stack.push((e.path(), path));
            } else {
                let bytes = fs::read(e.path()).map_err(|err| format!("cannot read {}: {err}", e.path().display()))?;
                ctx.put_file(&path, Content::from_bytes(bytes), mode(0o644), clock);
            }
        }
    }
    Ok(())
}
