//! stub
use super::{PkgEnv, PkgOutcome};
pub fn go(_args: &[&str], _env: &PkgEnv) -> PkgOutcome {
    PkgOutcome::NotMine
}
pub fn cargo(_args: &[&str], _env: &PkgEnv) -> PkgOutcome {
    PkgOutcome::NotMine
}
pub fn maven(_args: &[&str], _env: &PkgEnv) -> PkgOutcome {
    PkgOutcome::NotMine
}
