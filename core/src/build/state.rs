//! One stage's state while it is dispatched: its filesystem layers and chain key, image
//! config and history so far, and the ARGs in scope.

use super::report::HistoryRow;
use crate::cache::CacheKey;
use crate::fs::Layer;
use crate::image::ImageConfig;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct StageState {
    pub index: usize,
    pub label: String,
    /// The stage's filesystem, bottom layer first (base image layers included).
    pub layers: Vec<Arc<Layer>>,
    /// The key of the last step (the chain's head).
    pub key: CacheKey,
    /// True when the last step of this chain re-ran in this build.
    pub head_ran: bool,
    pub config: ImageConfig,
    pub history: Vec<HistoryRow>,
    /// One entry per content history row: the layer it made.
    pub row_layers: Vec<Arc<Layer>>,
    /// ARGs declared in this stage (and, for `FROM <stage>`, in the stages it builds on), in
    /// order, with their value (None = declared, unset).
    pub args: Vec<(String, Option<String>)>,
    /// The environment of the LLB state (BuildKit `client/llb/meta.go` `EnvList`): ENV and
    /// valued ARGs alike, each name at the position of its LAST assignment with its last
    /// value. It is what RUN runs with and what expansion sees: so an ARG after an ENV of the
    /// same name wins, and reordering ENV/ARG lines changes a RUN's key.
    pub env: Vec<(String, String)>,
    /// What the stage builds on (`lab/busybox:1`, `stage builder`), for "why it re-ran".
    pub base_ref: String,
    /// CMD was set in this stage (ENTRYPOINT then keeps it; BuildKit `dispatchEntrypoint`).
    pub cmd_set: bool,
}

impl StageState {
    /// BuildKit `EnvList.AddOrReplace`: the name moves to the end with its new value.
    pub fn assign_env(&mut self, name: &str, value: &str) {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.to_string(), value.to_string()));
    }

    /// (Re)adds every entry of the image config's Env, as BuildKit does when a stage starts
    /// (`dispatchStages`: "initialize base metadata from image conf").
    pub fn assign_config_env(&mut self) {
        let entries: Vec<(String, String)> = self
            .config
            .env
            .iter()
            .map(|e| {
                let (k, v) = crate::image::config::split_env(e);
                (k.to_string(), v.to_string())
            })
            .collect();
        for (k, v) in entries {
            self.assign_env(&k, &v);
        }
    }

    /// A variable as expansion sees it: the state's environment (see `env`).
    pub fn lookup(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// The working directory (BuildKit's default is `/`).
    pub fn workdir(&self) -> String {
        if self.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            self.config.working_dir.clone()
        }
    }

    /// The `|N K=V ...` prefix of a RUN history row (BuildKit `runCommandString`): every ARG
    /// in scope, set or not (`K=`), valued from the environment, one per name at its first
    /// position.
    pub fn history_args(&self) -> Vec<(String, String)> {
        let mut res: Vec<(String, String)> = Vec::new();
        for (k, own) in &self.args {
            let v = self.lookup(k).or_else(|| own.clone()).unwrap_or_default();
            match res.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v,
                None => res.push((k.clone(), v)),
            }
        }
        res
    }

    /// The process environment of a RUN (the ExecOp's `Env`, in `EnvList` order).
    pub fn run_env(&self) -> Vec<String> {
        self.env.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    /// Adds a history row (and its layer, when it made one).
    pub fn push_row(&mut self, created_by: String, layer: Option<Arc<Layer>>, line: Option<u32>) {
        let (size, empty_layer, idx) = match layer {
            Some(l) => {
                let size = l.size;
                self.row_layers.push(l);
                (size, false, Some(self.row_layers.len() - 1))
            }
            None => (0, true, None),
        };
        self.history.push(HistoryRow {
            created_by,
            size,
            empty_layer,
            layer: idx,
            line,
        });
    }
}
