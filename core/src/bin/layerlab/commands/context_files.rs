//! `layerlab context-files` (see ../shared/contract.md).

pub fn run(_args: &crate::args::Command) -> Result<(), String> {
    Err("context-files: not implemented yet".into())
}
