//! The image configuration as Docker stores it (the `config` object of the image config JSON):
//! field names, value shapes and units exactly as `docker inspect` shows them, so the CLI's JSON
//! compares field by field with recorded BuildKit truth (`../shared/buildkit-truth`).
//!
//! Every key is always serialised (absent values as `null`, empty strings as `""`): the
//! comparer treats null and empty alike, and a stable key set is easier for the UI.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `HEALTHCHECK` as stored in the config: durations in nanoseconds, zero fields left out
/// (Docker's `container.HealthConfig` has `omitempty` on every field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "cmd"]` or `["NONE"]`.
    #[serde(rename = "Test", skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(rename = "Interval", skip_serializing_if = "is_zero")]
    pub interval_ns: u64,
    #[serde(rename = "Timeout", skip_serializing_if = "is_zero")]
    pub timeout_ns: u64,
    #[serde(rename = "StartPeriod", skip_serializing_if = "is_zero")]
    pub start_period_ns: u64,
    #[serde(rename = "StartInterval", skip_serializing_if = "is_zero")]
    pub start_interval_ns: u64,
    #[serde(rename = "Retries", skip_serializing_if = "is_zero")]
    pub retries: u64,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

impl Healthcheck {
    /// `HEALTHCHECK CMD a b` (exec form) → `["CMD", "a", "b"]`.
    pub fn cmd(args: Vec<String>) -> Healthcheck {
        let mut test = vec!["CMD".to_string()];
        test.extend(args);
        Healthcheck {
            test,
            ..Healthcheck::default()
        }
    }

    /// `HEALTHCHECK CMD some shell text` → `["CMD-SHELL", "some shell text"]`.
    pub fn cmd_shell(command: impl Into<String>) -> Healthcheck {
        Healthcheck {
            test: vec!["CMD-SHELL".to_string(), command.into()],
            ..Healthcheck::default()
        }
    }

    /// `HEALTHCHECK NONE`: disables a check inherited from the base image.
    pub fn none() -> Healthcheck {
        Healthcheck {
            test: vec!["NONE".to_string()],
            ..Healthcheck::default()
        }
    }
}

/// The image config (`docker inspect --format '{{json .Config}}'`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    pub user: String,
    /// `"KEY=value"` in definition order; a redefinition replaces the entry in place.
    pub env: Vec<String>,
    /// `None` = not set (`null`); `Some(vec![])` = explicitly empty (`CMD []`).
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    /// `"80/tcp"`, `"53/udp"`: a set, sorted, serialised as `{"80/tcp": {}}`.
    pub exposed_ports: BTreeSet<String>,
    pub labels: BTreeMap<String, String>,
    pub healthcheck: Option<Healthcheck>,
    /// Serialised as `{"/data": {}}`.
    pub volumes: BTreeSet<String>,
    pub stop_signal: String,
    /// `None` = the default `["/bin/sh", "-c"]` (not stored).
    pub shell: Option<Vec<String>>,
    /// Raw `ONBUILD` instruction texts, e.g. `"RUN echo child"`.
    pub on_build: Vec<String>,
    /// BuildKit sets this when CMD/ENTRYPOINT was written in shell form (observed in
    /// buildkit-truth `layers_metadata_rows`); the comparer ignores it.
    pub args_escaped: bool,
}

/// The PATH every Linux image built by BuildKit gets when its base sets none
/// (buildkit-truth README: "any build: Config.Env gets PATH=... although the base has no Env";
/// BuildKit `frontend/dockerfile/dockerfile2llb/convert.go`, `defaultPath`).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl ImageConfig {
    /// An empty config (what `scratch` and the lab/busybox images carry).
    pub fn new() -> ImageConfig {
        ImageConfig::default()
    }

    /// Builder-style: with these `KEY=value` entries.
    pub fn with_env<I, S>(mut self, entries: I) -> ImageConfig
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for e in entries {
            let e: String = e.into();
            let (k, v) = split_env(&e);
            self.set_env(k, v);
        }
        self
    }

    pub fn with_cmd(mut self, cmd: Vec<String>) -> ImageConfig {
        self.cmd = Some(cmd);
        self
    }

    pub fn with_entrypoint(mut self, entrypoint: Vec<String>) -> ImageConfig {
        self.entrypoint = Some(entrypoint);
        self
    }

    /// The value of an environment variable, if set.
    pub fn env_value(&self, key: &str) -> Option<&str> {
        self.env.iter().find_map(|e| {
            let (k, v) = split_env(e);
            (k == key).then_some(v)
        })
    }

    /// Sets `key=value`, replacing an existing definition in place (Docker keeps the position).
    pub fn set_env(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        match self.env.iter_mut().find(|e| split_env(e).0 == key) {
            Some(slot) => *slot = entry,
            None => self.env.push(entry),
        }
    }

    /// Adds the default PATH when the config has none (BuildKit does this for every build).
    pub fn ensure_default_path(&mut self) {
        if self.env_value("PATH").is_none() {
            self.env.insert(0, format!("PATH={DEFAULT_PATH}"));
        }
    }

    /// The PATH directories a command is looked up in.
    pub fn path_dirs(&self) -> Vec<&str> {
        self.env_value("PATH")
            .unwrap_or(DEFAULT_PATH)
            .split(':')
            .filter(|d| !d.is_empty())
            .collect()
    }

    /// Adds an `EXPOSE` port: `80` → `80/tcp`, protocol lower-cased (`80/TCP` → `80/tcp`).
    pub fn expose(&mut self, port: &str) {
        self.exposed_ports.insert(normalize_port(port));
    }

    pub fn set_label(&mut self, key: &str, value: &str) {
        self.labels.insert(key.to_string(), value.to_string());
    }

    pub fn add_volume(&mut self, path: &str) {
        self.volumes.insert(path.to_string());
    }
}

/// `80` → `80/tcp`; `80/UDP` → `80/udp` (Docker's `nat.NewPort` lower-cases the protocol).
pub fn normalize_port(port: &str) -> String {
    match port.split_once('/') {
        Some((p, proto)) if !proto.is_empty() => format!("{p}/{}", proto.to_ascii_lowercase()),
        Some((p, _)) => format!("{p}/tcp"),
        None => format!("{port}/tcp"),
    }
}

/// `"K=V"` → (`K`, `V`); an entry without `=` is a key with an empty value.
pub fn split_env(entry: &str) -> (&str, &str) {
    entry.split_once('=').unwrap_or((entry, ""))
}

/// A set serialised as a JSON object whose values are `{}` (Docker's `map[string]struct{}`).
struct EmptyObjectMap<'a>(&'a BTreeSet<String>);

impl Serialize for EmptyObjectMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for k in self.0 {
            m.serialize_entry(k, &BTreeMap::<String, String>::new())?;
        }
        m.end()
    }
}

impl Serialize for ImageConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("User", &self.user)?;
        m.serialize_entry("Env", &self.env)?;
        m.serialize_entry("Cmd", &self.cmd)?;
        m.serialize_entry("Entrypoint", &self.entrypoint)?;
        m.serialize_entry("WorkingDir", &self.working_dir)?;
        if self.exposed_ports.is_empty() {
            m.serialize_entry("ExposedPorts", &None::<()>)?;
        } else {
            m.serialize_entry("ExposedPorts", &EmptyObjectMap(&self.exposed_ports))?;
        }
        if self.labels.is_empty() {
            m.serialize_entry("Labels", &None::<()>)?;
        } else {
            m.serialize_entry("Labels", &self.labels)?;
        }
        m.serialize_entry("Healthcheck", &self.healthcheck)?;
        if self.volumes.is_empty() {
            m.serialize_entry("Volumes", &None::<()>)?;
        } else {
            m.serialize_entry("Volumes", &EmptyObjectMap(&self.volumes))?;
        }
        m.serialize_entry("StopSignal", &self.stop_signal)?;
        m.serialize_entry("Shell", &self.shell)?;
        if self.on_build.is_empty() {
            m.serialize_entry("OnBuild", &None::<()>)?;
        } else {
            m.serialize_entry("OnBuild", &self.on_build)?;
        }
        if self.args_escaped {
            m.serialize_entry("ArgsEscaped", &true)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_docker_field_names_and_shapes() {
        let mut c = ImageConfig::new().with_env(["PATH=/bin", "A=1"]);
        c.user = "1000:1000".into();
        c.cmd = Some(vec!["-c".into(), "echo hello".into()]);
        c.expose("80");
        c.expose("53/UDP");
        c.set_label("b", "2");
        c.set_label("a", "1");
        c.add_volume("/data");
        let mut h = Healthcheck::cmd(vec!["true".into()]);
        h.interval_ns = 30_000_000_000;
        h.timeout_ns = 3_000_000_000;
        c.healthcheck = Some(h);
        c.on_build.push("RUN echo child".into());
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["User"], "1000:1000");
        assert_eq!(v["Env"], serde_json::json!(["PATH=/bin", "A=1"]));
        assert_eq!(
            v["ExposedPorts"],
            serde_json::json!({"53/udp": {}, "80/tcp": {}})
        );
        assert_eq!(v["Labels"], serde_json::json!({"a": "1", "b": "2"}));
        assert_eq!(
            v["Healthcheck"],
            serde_json::json!({"Test": ["CMD", "true"], "Interval": 30000000000u64, "Timeout": 3000000000u64})
        );
        assert_eq!(v["Volumes"], serde_json::json!({"/data": {}}));
        assert_eq!(v["OnBuild"], serde_json::json!(["RUN echo child"]));
        assert_eq!(v["Entrypoint"], serde_json::Value::Null);
        assert_eq!(v["Shell"], serde_json::Value::Null);
        assert!(v.get("ArgsEscaped").is_none());
    }

    #[test]
    fn env_redefinition_replaces_in_place_and_default_path_goes_first() {
        let mut c = ImageConfig::new().with_env(["A=1", "B=2"]);
        c.set_env("A", "3");
        assert_eq!(c.env, vec!["A=3", "B=2"]);
        c.ensure_default_path();
        assert_eq!(c.env[0], format!("PATH={DEFAULT_PATH}"));
        assert_eq!(c.env_value("B"), Some("2"));
        assert_eq!(c.path_dirs()[0], "/usr/local/sbin");
    }
}
