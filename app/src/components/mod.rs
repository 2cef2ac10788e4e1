//! The page's panes: views only; state and core results come from `crate::state`.

pub mod cache_timeline;
pub mod context_tree;
pub mod controls;
pub mod diagnostics;
pub mod editor;
pub mod gallery;
pub mod layer_stack;
pub mod share;
pub mod stage_graph;
