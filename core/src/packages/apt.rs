//! `apt-get` / `apt`: update, install, clean, dist-clean, remove/purge, autoremove, upgrade.
//!
//! Sizes come from real installs on a reconstructed debian:bookworm-slim (`apt.tsv`, from
//! shared/package-sizes): a single `apt-get install -y PKG` adds exactly the measured layer; for
//! several packages the closures are united (a package two closures share is counted once) and
//! the packages outside the largest measured closure add their slim payload plus the per-package
//! dpkg-database and log growth fitted on the measurements (estimate). The files are real paths,
//! so `rm -rf /var/lib/apt/lists/*` or `apt-get clean` work through the normal fs.
//!
//! This file is the command model (arguments, dispatch, the shared messages); the rest is in
//! `apt/`: `catalog` (what packages put on PATH, closures), `lists` (update, clean: the index
//! and download cache), `install` (the size model of an install), `dpkg` (installed packages,
//! the files a package adds, dpkg's database and logs, remove).

mod catalog;
mod dpkg;
mod install;
mod lists;
#[cfg(test)]
mod tests;

pub use catalog::{commands_of, with_closures};

use super::util;
use super::{Effect, PkgEnv, PkgOutcome};

/// What the arguments ask for.
#[derive(Debug, Default)]
struct AptArgs<'a> {
    command: Option<&'a str>,
    packages: Vec<String>,
    yes: bool,
    /// `Some(false)` for `--no-install-recommends` / `-o APT::Install-Recommends=false`.
    recommends: Option<bool>,
}

fn parse_args<'a>(args: &'a [std::borrow::Cow<'a, str>]) -> AptArgs<'a> {
    let mut a = AptArgs::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let arg = arg.as_ref();
        match arg {
            "-y" | "--yes" | "--assume-yes" | "--force-yes" => a.yes = true,
            "--no-install-recommends" => a.recommends = Some(false),
            "--install-recommends" => a.recommends = Some(true),
            "-o" | "-t" | "-c" | "--target-release" | "--option" | "--config-file" => {
                if let Some(v) = args.get(i + 1) {
                    apply_option(&mut a, v);
                }
                i += 1;
            }
            s if s.starts_with("-o") && s.len() > 2 => apply_option(&mut a, &s[2..]),
            s if s.starts_with("--option=") => apply_option(&mut a, &s[9..]),
            // `-qq` implies `-y` (apt-get(8): "quiet level 2 implies -y").
            "-q" | "--quiet" | "--quiet=1" => {}
            "--quiet=2" => a.yes = true,
            s if s.starts_with('-') => {}
            s if a.command.is_none() => a.command = Some(s),
            s => a.packages.push(s.to_string()),
        }
        i += 1;
    }
    // `-q -q` counts as -qq.
    if args.iter().filter(|s| s.as_ref() == "-q").count() >= 2 {
        a.yes = true;
    }
    a
}

fn apply_option(a: &mut AptArgs, opt: &str) {
    let lower = opt.to_ascii_lowercase();
    if let Some(v) = lower.strip_prefix("apt::install-recommends=") {
        a.recommends = Some(matches!(v.trim_matches('"'), "true" | "1" | "yes"));
    }
    if let Some(v) = lower.strip_prefix("apt::get::assume-yes=") {
        a.yes = matches!(v.trim_matches('"'), "true" | "1" | "yes");
    }
}

pub fn run(args: &[&str], env: &PkgEnv, plain: bool) -> PkgOutcome {
    let expanded = util::expand_flags(args);
    let a = parse_args(&expanded);
    let tool = if plain { "apt" } else { "apt-get" };
    match a.command {
        Some("update") => lists::update(env, tool),
        Some("install") => install::install(&a, env, tool),
        Some("clean") | Some("autoclean") => lists::clean(env, tool, false),
        Some("dist-clean") | Some("distclean") => lists::clean(env, tool, true),
        Some("remove") | Some("purge") => dpkg::remove(&a, env, tool),
        Some("autoremove") | Some("upgrade") | Some("dist-upgrade") | Some("full-upgrade") => {
            if env.uid != 0 {
                return not_root_dpkg();
            }
            let cmd = a.command.unwrap_or("upgrade");
            PkgOutcome::Done(Effect {
                stdout: "Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n".into(),
                note: format!("{tool} {cmd}: nothing to do (the simulated image is current)"),
                ..Effect::default()
            })
        }
        Some(other) => PkgOutcome::Unknown {
            reason: format!("`{tool} {other}` is not modelled"),
        },
        None => PkgOutcome::Failed {
            exit_code: 100,
            message: format!("E: Invalid operation (no {tool} command given)"),
        },
    }
}

fn not_root_dpkg() -> PkgOutcome {
    PkgOutcome::Failed {
        exit_code: 100,
        message: "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n\
E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?"
            .into(),
    }
}

/// A Debian package name (policy §5.6.1), after dropping `=version`, `/release`, `:arch`.
fn package_name(arg: &str) -> Option<String> {
    let name = arg.split(['=', '/']).next().unwrap_or(arg);
    let name = name.split(':').next().unwrap_or(name);
    let ok = name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c));
    ok.then(|| name.to_string())
}

fn locate_error(arg: &str) -> PkgOutcome {
    PkgOutcome::Failed {
        exit_code: 100,
        message: format!("Reading package lists...\nBuilding dependency tree...\nReading state information...\nE: Unable to locate package {arg}"),
    }
}
