//! Why a step re-ran, in words a learner can act on ("COPY: src/app.py changed",
//! "RUN: ARG VERSION changed 1.0 → 1.1", "parent step re-ran", "--no-cache").

use crate::content::Digest;
use std::collections::BTreeMap;

/// What went into a step's key, kept per step slot so the next build can say what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepInputs {
    /// The step's definition as text (command after shell wrapping, COPY sources and flags ...).
    pub definition: String,
    /// ENV and ARG values the step sees (RUN only), by name; `arg` tells ARG from ENV.
    pub vars: BTreeMap<String, (String, bool)>,
    pub user: String,
    pub workdir: String,
    /// Content inputs by path (COPY sources, `COPY --from` selections, bind mounts).
    pub files: BTreeMap<String, FileInput>,
    /// The base image (FROM) or another stage's output a step reads.
    pub base: String,
}

/// One file a step reads: its content and, for context and stage files, its mode (part of
/// COPY's key: buildkit-truth cache_touch_and_chmod), kept apart so a reason can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileInput {
    pub content: Digest,
    pub mode: u32,
}

impl FileInput {
    pub fn new(content: Digest, mode: u32) -> FileInput {
        FileInput { content, mode }
    }
}

/// Why a step did not hit the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissReason {
    NoCache,
    ParentReran,
    /// The step was never built with these inputs and nothing earlier explains it.
    FirstBuild,
    /// A specific input differs from the previous build of the same step.
    Changed(String),
}

impl MissReason {
    pub fn text(&self) -> String {
        match self {
            MissReason::NoCache => "--no-cache".into(),
            MissReason::ParentReran => "parent step re-ran".into(),
            MissReason::FirstBuild => "not in the cache yet (first build of this step)".into(),
            MissReason::Changed(s) => s.clone(),
        }
    }
}

/// Explains a miss by comparing this build's inputs of a step with the previous ones.
pub fn explain(keyword: &str, now: &StepInputs, before: Option<&StepInputs>) -> MissReason {
    let Some(before) = before else {
        return MissReason::FirstBuild;
    };
    if now.base != before.base {
        return MissReason::Changed(format!(
            "{keyword}: base changed {} → {}",
            short(&before.base),
            short(&now.base)
        ));
    }
    if now.definition != before.definition {
        return MissReason::Changed(format!(
            "{keyword}: instruction changed ({} → {})",
            short(&before.definition),
            short(&now.definition)
        ));
    }
    for (name, (v, is_arg)) in &now.vars {
        let kind = if *is_arg { "ARG" } else { "ENV" };
        match before.vars.get(name) {
            Some((old, _)) if old != v => {
                return MissReason::Changed(format!("{keyword}: {kind} {name} changed {old} → {v}"))
            }
            None => return MissReason::Changed(format!("{keyword}: {kind} {name}={v} is new")),
            _ => {}
        }
    }
    for name in before.vars.keys() {
        if !now.vars.contains_key(name) {
            return MissReason::Changed(format!("{keyword}: {name} is no longer set"));
        }
    }
    if now.user != before.user {
        return MissReason::Changed(format!(
            "{keyword}: USER changed {} → {}",
            or_root(&before.user),
            or_root(&now.user)
        ));
    }
    if now.workdir != before.workdir {
        return MissReason::Changed(format!(
            "{keyword}: WORKDIR changed {} → {}",
            before.workdir, now.workdir
        ));
    }
    let mut changes = Vec::new();
    for (p, f) in &now.files {
        match before.files.get(p) {
            None => changes.push(format!("{p} added")),
            Some(old) if old.content != f.content => changes.push(format!("{p} changed")),
            Some(old) if old.mode != f.mode => {
                changes.push(format!("{p} mode {:04o} → {:04o}", old.mode, f.mode))
            }
            _ => {}
        }
    }
    for p in before.files.keys() {
        if !now.files.contains_key(p) {
            changes.push(format!("{p} removed"));
        }
    }
    if !changes.is_empty() {
        let n = changes.len();
        let mut text = changes.into_iter().take(3).collect::<Vec<_>>().join(", ");
        if n > 3 {
            text.push_str(&format!(" and {} more", n - 3));
        }
        return MissReason::Changed(format!("{keyword}: {text}"));
    }
    MissReason::Changed(format!(
        "{keyword}: its inputs differ from every cached result"
    ))
}

fn short(s: &str) -> String {
    let one_line = s.lines().next().unwrap_or("");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line.to_string()
    }
}

fn or_root(u: &str) -> &str {
    if u.is_empty() {
        "root"
    } else {
        u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_changed_input() {
        let mut a = StepInputs {
            definition: "RUN x".into(),
            ..Default::default()
        };
        a.vars.insert("VERSION".into(), ("1.0".into(), true));
        let mut b = a.clone();
        b.vars.insert("VERSION".into(), ("1.1".into(), true));
        assert_eq!(
            explain("RUN", &b, Some(&a)).text(),
            "RUN: ARG VERSION changed 1.0 → 1.1"
        );
        let mut c = a.clone();
        c.files
            .insert("src/app.py".into(), FileInput::new(Digest(1), 0o644));
        let mut d = c.clone();
        d.files
            .insert("src/app.py".into(), FileInput::new(Digest(2), 0o644));
        assert_eq!(
            explain("COPY", &d, Some(&c)).text(),
            "COPY: src/app.py changed"
        );
        assert_eq!(explain("COPY", &d, None), MissReason::FirstBuild);
    }
}
