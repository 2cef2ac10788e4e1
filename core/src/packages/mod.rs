//! Package managers and builds (apt, apk, pip, npm, go, cargo, mvn): what they add to a layer,
//! from measured sizes (../shared/package-sizes) kept as our own table with its sources.
//!
//! The RUN interpreter (`crate::shell`) calls [`run`] for every simple command before trying its
//! own applets; this module answers with the files the command would write, or says the command
//! is not one it models. It sees the filesystem only through [`FsView`], so it knows nothing of
//! layers.
//!
//! - [`apt`]: `apt-get`/`apt` update, install (closure unions), clean, remove (data: `apt.tsv`);
//! - [`apk`]: `apk add/del/update` (estimates: no Alpine measurements);
//! - [`pip`]: `pip install` (wheel sets, pip cache; data: `pip.tsv`);
//! - [`npm`]: `npm install`/`ci` (node_modules, npm cache; data: `npm.tsv`);
//! - [`builds`]: `go build`, `cargo build`, `mvn package` (estimates);
//! - [`util`]: argv and fs helpers shared by all of them.
//!
//! A tool that is not in the image is `NotMine`, so the interpreter reports `not found` (127).

pub mod apk;
pub mod apt;
pub mod builds;
mod data;
pub mod npm;
pub mod pip;
pub mod util;

use crate::content::Content;

/// Read access to the filesystem a command runs on (implemented by the RUN interpreter).
pub trait FsView {
    /// Returns true if and only if something exists at the absolute `path` (after symlinks).
    fn exists(&self, path: &str) -> bool;
    fn is_dir(&self, path: &str) -> bool;
    /// The content of a regular file.
    fn read(&self, path: &str) -> Option<Content>;
    /// Names (not paths) of a directory's entries, sorted.
    fn list_dir(&self, path: &str) -> Vec<String>;
}

/// What a package command runs with.
pub struct PkgEnv<'a> {
    pub fs: &'a dyn FsView,
    /// The absolute working directory.
    pub cwd: &'a str,
    /// Environment variables of the command (ENV, ARG, shell assignments).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The effective user id: package installs as non-root fail like the real tools.
    pub uid: u32,
}

/// A file a command writes (absolute path; parents are created as needed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    pub path: String,
    pub content: Content,
    pub mode: u32,
}

/// A symbolic link a command creates (absolute `path`; `target` as stored in the link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkWrite {
    pub path: String,
    pub target: String,
}

/// The filesystem changes of one package command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    pub writes: Vec<FileWrite>,
    /// Absolute directories to create (like `mkdir -p`).
    pub mkdirs: Vec<String>,
    /// Absolute paths to remove recursively (like `rm -rf`).
    pub removes: Vec<String>,
    /// Symbolic links to create (after `writes`; parents created as needed), e.g. a
    /// virtualenv's `bin/python -> /usr/local/bin/python3`.
    pub symlinks: Vec<LinkWrite>,
    /// Text the command prints on stdout.
    pub stdout: String,
    /// True when a figure comes from an estimate rather than a measurement.
    pub estimated: bool,
    /// Human-readable summary for the layer view, e.g. "apt-get install curl: 22 packages, 9.1 MB".
    pub note: String,
}

/// How a command ended, as the interpreter needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PkgOutcome {
    /// Not a command this module models: the interpreter handles it (or reports it unknown).
    NotMine,
    /// The command succeeded with these changes.
    Done(Effect),
    /// The command fails, as the real tool would (e.g. `apt-get install` without lists,
    /// an unknown package, not root): the RUN fails with this exit code and message on stderr.
    Failed { exit_code: i32, message: String },
    /// A package or build command whose effect cannot be modelled: the layer is marked
    /// "size unknown" with this reason, and the command counts as successful.
    Unknown { reason: String },
}

/// Runs `argv` (`argv[0]` is the command name as typed, e.g. `apt-get` or `/usr/bin/pip3`).
pub fn run(argv: &[String], env: &PkgEnv) -> PkgOutcome {
    let Some(first) = argv.first() else {
        return PkgOutcome::NotMine;
    };
    let name = first.rsplit('/').next().unwrap_or(first);
    let tool = match Tool::of(name, argv) {
        Some(t) => t,
        None => return PkgOutcome::NotMine,
    };
    // The real tool must be in the image: otherwise the shell says `not found`.
    let Some(resolved) = util::find_command(env, first) else {
        return PkgOutcome::NotMine;
    };
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match tool {
        Tool::Apt { plain } => apt::run(&args, env, plain),
        Tool::Apk => apk::run(&args, env),
        Tool::Pip => pip::run(&args, env, &resolved),
        Tool::PythonModulePip => pip::run(args.get(2..).unwrap_or(&[]), env, &resolved),
        Tool::Venv => pip::venv(args.get(2..).unwrap_or(&[]), env, &resolved),
        Tool::Npm => npm::run(&args, env),
        Tool::Go => builds::go(&args, env),
        Tool::Cargo => builds::cargo(&args, env),
        Tool::Maven => builds::maven(&args, env),
        Tool::Other(what) => match args.first() {
            Some(sub) if is_install_like(sub) => PkgOutcome::Unknown {
                reason: format!(
                    "`{name} {sub}` is not modelled ({what}): its layer size is unknown"
                ),
            },
            _ => PkgOutcome::NotMine,
        },
    }
}

/// Which model handles a command.
enum Tool {
    Apt {
        plain: bool,
    },
    Apk,
    Pip,
    /// `python -m pip …`: the pip arguments start at argv[3].
    PythonModulePip,
    /// `python -m venv DIR`.
    Venv,
    Npm,
    Go,
    Cargo,
    Maven,
    /// A package manager or build tool we know by name but do not model.
    Other(&'static str),
}

impl Tool {
    fn of(name: &str, argv: &[String]) -> Option<Tool> {
        Some(match name {
            "apt-get" => Tool::Apt { plain: false },
            "apt" => Tool::Apt { plain: true },
            "apk" => Tool::Apk,
            "npm" => Tool::Npm,
            "go" => Tool::Go,
            "cargo" => Tool::Cargo,
            "mvn" | "mvnw" => Tool::Maven,
            "yarn" | "pnpm" => Tool::Other("yarn/pnpm: use npm for measured sizes"),
            "gradle" | "gradlew" => Tool::Other("gradle builds"),
            "dnf" | "yum" | "microdnf" | "zypper" => Tool::Other("RPM package managers"),
            "gem" | "bundle" | "composer" | "conda" | "poetry" | "uv" => {
                Tool::Other("no size data for this package manager")
            }
            n if n == "pip"
                || (n.starts_with("pip3")
                    && n[4..].chars().all(|c| c.is_ascii_digit() || c == '.')) =>
            {
                Tool::Pip
            }
            n if is_python(n) => {
                if argv.get(1).map(String::as_str) != Some("-m") {
                    return None;
                }
                match argv.get(2).map(String::as_str) {
                    Some("pip") | Some("pip3") => Tool::PythonModulePip,
                    Some("venv") => Tool::Venv,
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

fn is_python(name: &str) -> bool {
    name == "python"
        || (name.starts_with("python3")
            && name[7..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_install_like(sub: &str) -> bool {
    matches!(
        sub,
        "install" | "add" | "i" | "ci" | "build" | "update" | "upgrade" | "sync"
    )
}

#[cfg(test)]
mod robustness {
    //! Arbitrary argv and file contents must never panic a package model.
    use super::util::testing::{debian, env_of, no_vars};
    use super::*;

    #[test]
    fn arbitrary_argv_never_panics() {
        const WORDS: &[&str] = &[
            "apt-get",
            "apt",
            "pip",
            "pip3",
            "python3",
            "-m",
            "pip",
            "venv",
            "npm",
            "apk",
            "go",
            "cargo",
            "mvn",
            "install",
            "update",
            "add",
            "del",
            "ci",
            "build",
            "-y",
            "-o",
            "--no-cache",
            "-r",
            "req.txt",
            "--virtual",
            "-t",
            "x",
            "é",
            "curl",
            "=",
            "--target",
            "/",
            "..",
            "-",
            "--",
            "",
            "package",
            "--release",
            "-f",
            "clean",
            "dist-clean",
        ];
        let fs = debian()
            .with("/usr/bin/pip", "")
            .with("/usr/bin/python3", "")
            .with("/usr/bin/npm", "")
            .with("/sbin/apk", "")
            .with("/usr/bin/go", "")
            .with("/usr/bin/cargo", "")
            .with("/usr/bin/mvn", "")
            .with("/app/req.txt", "-r req.txt\nflask[x]==1 ; x\n\u{0}\n")
            .with("/app/package.json", "{\"dependencies\": 5}")
            .with("/app/go.mod", "require (\n")
            .with("/app/Cargo.toml", "[package\nname=")
            .with("/app/pom.xml", "<parent></parent><parent>");
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..4000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = 1 + (x % 7) as usize;
            let argv: Vec<String> = (0..n)
                .map(|i| {
                    WORDS[(x.rotate_left(i as u32 * 7) % WORDS.len() as u64) as usize].to_string()
                })
                .collect();
            for uid in [0, 1000] {
                let env = env_of(&fs, "/app", &no_vars, uid);
                let _ = run(&argv, &env);
            }
        }
    }
}
