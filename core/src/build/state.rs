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
    /// ARGs declared in this stage, in order, with their value (None = declared, unset).
    pub args: Vec<(String, Option<String>)>,
    /// What the stage builds on (`lab/busybox:1`, `stage builder`), for "why it re-ran".
    pub base_ref: String,
    /// CMD was set in this stage (ENTRYPOINT then keeps it; BuildKit `dispatchEntrypoint`).
    pub cmd_set: bool,
}

impl StageState {
    /// A variable as expansion sees it: ENV wins over an ARG of the same name.
    pub fn lookup(&self, name: &str) -> Option<String> {
        if let Some(v) = self.config.env_value(name) {
            return Some(v.to_string());
        }
        self.args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.clone())
    }

    /// The working directory (BuildKit's default is `/`).
    pub fn workdir(&self) -> String {
        if self.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            self.config.working_dir.clone()
        }
    }

    /// ARGs in scope with a value, in declaration order (last declaration of a name wins).
    pub fn build_args(&self) -> Vec<(String, String)> {
        let mut res: Vec<(String, String)> = Vec::new();
        for (k, v) in &self.args {
            let Some(v) = v else { continue };
            res.retain(|(n, _)| n != k);
            res.push((k.clone(), v.clone()));
        }
        res
    }

    /// The `|N K=V ...` prefix of a RUN history row (BuildKit `runCommandString`): every ARG
    /// declared in the stage, set or not (`K=`), valued from the env (ENV wins), one per name
    /// at its first position.
    pub fn history_args(&self) -> Vec<(String, String)> {
        let mut res: Vec<(String, String)> = Vec::new();
        for (k, _) in &self.args {
            let v = self.lookup(k).unwrap_or_default();
            match res.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v,
                None => res.push((k.clone(), v)),
            }
        }
        res
    }

    /// The process environment of a RUN: the image env, then ARG values ENV does not shadow.
    pub fn run_env(&self) -> Vec<String> {
        let mut env = self.config.env.clone();
        for (k, v) in self.build_args() {
            if self.config.env_value(&k).is_none() {
                env.push(format!("{k}={v}"));
            }
        }
        env
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
