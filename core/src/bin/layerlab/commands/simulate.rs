//! `layerlab simulate` (see ../shared/contract.md).

pub fn run(_args: &crate::args::Command) -> Result<(), String> {
    Err("simulate: not implemented yet".into())
}
