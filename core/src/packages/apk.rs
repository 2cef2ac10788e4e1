//! stub
use super::{PkgEnv, PkgOutcome};
pub fn run(_args: &[&str], _env: &PkgEnv) -> PkgOutcome {
    PkgOutcome::NotMine
}
