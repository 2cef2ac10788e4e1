//! `layerlab replay` (see ../shared/contract.md).

pub fn run(_args: &crate::args::Command) -> Result<(), String> {
    Err("replay: not implemented yet".into())
}
