//! `pip install` (also `pip3`, `pip3.12`, `python -m pip`): site-packages and pip's cache.
//!
//! Sizes come from `pip.tsv` (cp312 manylinux_2_36 wheels, measured; shared/package-sizes):
//! a package's installed size includes its dependencies' wheels and the `.pyc` pip compiles. For
//! several packages the wheel sets are united: each measured package's own wheel gets its total
//! minus its dependencies, whose sizes are known when they are themselves measured
//! single-wheel packages and guessed otherwise; a shared wheel is counted once. The cache
//! (`~/.cache/pip`, about the wheels' size) is written unless `--no-cache-dir` or
//! `PIP_NO_CACHE_DIR` is set.

use super::data::{self, PipPackage};
use super::util::{self, human, opaque};
use super::{Effect, PkgEnv, PkgOutcome};
use crate::content::Content;
use std::collections::BTreeMap;

/// Guessed sizes of a wheel we have no measurement for (installed with .pyc / wheel file).
const UNKNOWN_INSTALLED: u64 = 1_500_000;
const UNKNOWN_WHEEL: u64 = 500_000;
/// A dependency wheel inside a measured set whose own size is not measured.
const DEP_INSTALLED: u64 = 300_000;
const DEP_WHEEL: u64 = 100_000;
/// pip / setuptools / wheel themselves (upgrades): estimates.
const TOOLING: [(&str, u64, u64); 3] = [
    ("pip", 9_000_000, 1_800_000),
    ("setuptools", 4_500_000, 1_200_000),
    ("wheel", 250_000, 75_000),
];
/// Nesting limit for `-r` files that include other `-r` files.
const MAX_REQUIREMENT_DEPTH: usize = 5;
const MAX_REQUIREMENTS: usize = 2_000;

/// Console scripts some measured packages install in `bin/`.
const SCRIPTS: &[(&str, &[&str])] = &[
    ("flask", &["flask"]),
    ("gunicorn", &["gunicorn"]),
    ("django", &["django-admin"]),
    ("uvicorn", &["uvicorn"]),
    ("fastapi", &["fastapi"]),
    ("celery", &["celery"]),
    ("pytest", &["pytest", "py.test"]),
    ("black", &["black", "blackd"]),
    ("flake8", &["flake8"]),
    ("requests", &[]),
];

/// One wheel to install.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wheel {
    name: String,
    version: String,
    installed: u64,
    wheel: u64,
    measured: bool,
}

/// Normalised project name (PEP 503): lower case, runs of `-_.` → `-`.
fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if "-_.".contains(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn measured(name: &str) -> Option<&'static PipPackage> {
    let n = normalize(name);
    data::pip().iter().find(|p| normalize(p.name) == n)
}

/// The wheels one requested project brings, each with its share of the measured totals.
fn wheels_of(name: &str) -> Vec<Wheel> {
    if let Some(p) = measured(name) {
        let own = normalize(p.name);
        let mut deps = Vec::new();
        let mut own_version = p.version.to_string();
        for w in &p.wheel_set {
            let (n, v) = w.split_once("==").unwrap_or((w, ""));
            if normalize(n) == own {
                own_version = v.to_string();
                continue;
            }
            // A dependency measured on its own as a single wheel has an exact size.
            let exact = measured(n).filter(|d| d.wheel_set.len() == 1);
            deps.push(Wheel {
                name: normalize(n),
                version: v.to_string(),
                installed: exact.map_or(DEP_INSTALLED, |d| d.installed_bytes),
                wheel: exact.map_or(DEP_WHEEL, |d| d.wheel_bytes),
                measured: exact.is_some(),
            });
        }
        // Keep the own wheel at least a tenth of the total: dependency guesses must not exceed it.
        let dep_inst: u64 = deps.iter().map(|d| d.installed).sum();
        let dep_wheel: u64 = deps.iter().map(|d| d.wheel).sum();
        if dep_inst > p.installed_bytes * 9 / 10 || dep_wheel > p.wheel_bytes * 9 / 10 {
            let (ti, tw) = (p.installed_bytes * 9 / 10, p.wheel_bytes * 9 / 10);
            for d in &mut deps {
                d.installed = (d.installed as u128 * ti as u128 / dep_inst.max(1) as u128) as u64;
                d.wheel = (d.wheel as u128 * tw as u128 / dep_wheel.max(1) as u128) as u64;
            }
        }
        let own_inst = p.installed_bytes - deps.iter().map(|d| d.installed).sum::<u64>();
        let own_wheel = p.wheel_bytes - deps.iter().map(|d| d.wheel).sum::<u64>();
        let mut v = vec![Wheel {
            name: own,
            version: own_version,
            installed: own_inst,
            wheel: own_wheel,
            measured: true,
        }];
        v.extend(deps);
        return v;
    }
    let n = normalize(name);
    if let Some((_, inst, wheel)) = TOOLING.iter().find(|(t, _, _)| *t == n) {
        return vec![Wheel {
            name: n,
            version: "latest".into(),
            installed: *inst,
            wheel: *wheel,
            measured: false,
        }];
    }
    vec![Wheel {
        name: n,
        version: "latest".into(),
        installed: UNKNOWN_INSTALLED,
        wheel: UNKNOWN_WHEEL,
        measured: false,
    }]
}

/// Where the packages go.
enum Target {
    SitePackages(String),
    User,
}

#[derive(Default)]
struct PipArgs {
    command: Option<String>,
    requirements: Vec<String>,
    req_files: Vec<String>,
    no_cache: bool,
    user: bool,
    target: Option<String>,
    prefix: Option<String>,
    break_system: bool,
    local: Vec<String>,
    yes: bool,
}

fn parse_args(args: &[&str]) -> PipArgs {
    let mut a = PipArgs::default();
    let mut i = 0;
    while let Some(&arg) = args.get(i) {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = || -> Option<String> {
            if inline.is_some() {
                return inline.clone();
            }
            i += 1;
            args.get(i).map(|s| s.to_string())
        };
        match flag {
            "--no-cache-dir" | "--no-cache" => a.no_cache = true,
            "--user" => a.user = true,
            "--break-system-packages" => a.break_system = true,
            "-y" | "--yes" => a.yes = true,
            "-r" | "--requirement" => a.req_files.extend(value()),
            "-t" | "--target" => a.target = value(),
            "--prefix" => a.prefix = value(),
            "-c" | "--constraint" | "-i" | "--index-url" | "--extra-index-url" | "-f"
            | "--find-links" | "--root" | "--trusted-host" | "--platform" | "--python-version"
            | "--only-binary" | "--no-binary" | "--progress-bar" | "--cache-dir" | "--timeout"
            | "--retries" | "--src" | "--log" => {
                let _ = value();
            }
            "-e" | "--editable" => a.local.extend(value()),
            s if s.starts_with("-r") && s.len() > 2 => a.req_files.push(s[2..].to_string()),
            s if s.starts_with('-') => {}
            s if a.command.is_none() => a.command = Some(s.to_string()),
            s => a.requirements.push(s.to_string()),
        }
        i += 1;
    }
    a
}

/// `name[extra]>=1.0; python_version < "3.13"` → `name` (None for paths, URLs, options).
fn requirement_name(line: &str) -> Option<String> {
    let line = line.split(" #").next().unwrap_or(line).trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(line.len());
    let name = &line[..end];
    let rest = &line[end..];
    if name.is_empty() || rest.starts_with('/') || rest.starts_with(':') || name.starts_with('.') {
        return None;
    }
    Some(name.to_string())
}

fn is_local(req: &str) -> bool {
    req.starts_with('.')
        || req.starts_with('/')
        || req.contains("://")
        || req.ends_with(".whl")
        || req.ends_with(".tar.gz")
        || req.starts_with("git+")
}

/// Reads a requirements file (and the `-r` files it includes) into names and local refs.
fn read_requirements(
    env: &PkgEnv,
    path: &str,
    depth: usize,
    names: &mut Vec<String>,
    local: &mut Vec<String>,
) -> Result<(), String> {
    let abs = util::absolute(env.cwd, path);
    let Some(text) = util::read_text(env.fs, &abs) else {
        return Err(format!(
            "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{path}'"
        ));
    };
    for raw in text.lines() {
        if names.len() + local.len() > MAX_REQUIREMENTS {
            break;
        }
        let line = raw.trim();
        if let Some(inner) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
        {
            if depth < MAX_REQUIREMENT_DEPTH {
                let dir = util::absolute(&abs, "..");
                let nested = util::absolute(&dir, inner.trim());
                read_requirements(env, &nested, depth + 1, names, local)?;
            }
        } else if let Some(e) = line.strip_prefix("-e ") {
            local.push(e.trim().to_string());
        } else if is_local(line) {
            local.push(line.to_string());
        } else if let Some(n) = requirement_name(line) {
            names.push(n);
        }
    }
    Ok(())
}

/// The site-packages directory of the image's Python (`/usr/local/lib/python3.X` for the
/// official images, the virtualenv's when `VIRTUAL_ENV` is set, Debian's dist-packages else).
fn site_packages(env: &PkgEnv, prefix: &str) -> (String, String) {
    let lib = format!("{}/lib", prefix.trim_end_matches('/'));
    let version = env
        .fs
        .list_dir(&lib)
        .into_iter()
        .filter(|n| n.starts_with("python3.") && n[8..].chars().all(|c| c.is_ascii_digit()))
        .max_by_key(|n| n[8..].parse::<u32>().unwrap_or(0));
    match version {
        Some(v) => (format!("{lib}/{v}/site-packages"), v),
        None => (
            format!("{lib}/python3.12/site-packages"),
            "python3.12".into(),
        ),
    }
}

fn externally_managed(env: &PkgEnv) -> bool {
    env.fs.list_dir("/usr/lib").iter().any(|n| {
        n.starts_with("python3.") && env.fs.exists(&format!("/usr/lib/{n}/EXTERNALLY-MANAGED"))
    })
}

/// The virtualenv a resolved `pip`/`python` belongs to (`/opt/venv/bin/pip` → `/opt/venv` when
/// `/opt/venv/pyvenv.cfg` exists).
fn venv_of(env: &PkgEnv, resolved: &str) -> Option<String> {
    let root = util::absolute(resolved, "../..");
    env.fs
        .exists(&format!("{}/pyvenv.cfg", root.trim_end_matches('/')))
        .then_some(root)
}

pub fn run(args: &[&str], env: &PkgEnv, resolved: &str) -> PkgOutcome {
    let a = parse_args(args);
    match a.command.as_deref() {
        Some("install") => install(a, env, venv_of(env, resolved)),
        Some("uninstall") => uninstall(&a, env),
        Some("cache") if a.requirements.first().map(String::as_str) == Some("purge") => {
            let home = util::home(env);
            PkgOutcome::Done(Effect {
                removes: vec![format!("{home}/.cache/pip")],
                note: "pip cache purge: cache removed (its bytes stay in earlier layers)".into(),
                ..Effect::default()
            })
        }
        Some("freeze") | Some("list") | Some("show") | Some("check") | Some("--version")
        | Some("config") => PkgOutcome::Done(Effect::default()),
        None if args.iter().any(|a| *a == "--version" || *a == "-V") => PkgOutcome::Done(Effect {
            stdout: "pip 24.0\n".into(),
            ..Effect::default()
        }),
        Some(other) => PkgOutcome::Unknown {
            reason: format!("`pip {other}` is not modelled"),
        },
        None => PkgOutcome::Failed {
            exit_code: 1,
            message: "ERROR: You must give at least one requirement to install".into(),
        },
    }
}

fn install(a: PipArgs, env: &PkgEnv, venv_root: Option<String>) -> PkgOutcome {
    let mut names = a
        .requirements
        .iter()
        .filter(|r| !is_local(r))
        .filter_map(|r| requirement_name(r))
        .collect::<Vec<_>>();
    let mut local: Vec<String> = a
        .requirements
        .iter()
        .filter(|r| is_local(r))
        .cloned()
        .collect();
    local.extend(a.local.iter().cloned());
    for f in &a.req_files {
        if let Err(message) = read_requirements(env, f, 0, &mut names, &mut local) {
            return PkgOutcome::Failed {
                exit_code: 1,
                message,
            };
        }
    }
    if !local.is_empty() {
        return PkgOutcome::Unknown {
            reason: format!(
                "pip install of a local project or URL ({}) is not modelled: size unknown",
                local.join(", ")
            ),
        };
    }
    if names.is_empty() {
        return PkgOutcome::Failed { exit_code: 1, message: "ERROR: You must give at least one requirement to install (see \"pip help install\")".into() };
    }
    let venv = venv_root.or_else(|| (env.env)("VIRTUAL_ENV").filter(|v| v.starts_with('/')));
    let home = util::home(env);
    let no_cache = a.no_cache
        || (env.env)("PIP_NO_CACHE_DIR").is_some_and(|v| {
            !matches!(
                v.to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "no" | "off"
            )
        });
    let mut notes = Vec::new();
    let system_python = !env.fs.exists("/usr/local/bin/python3") && venv.is_none();
    if system_python
        && externally_managed(env)
        && !a.break_system
        && (env.env)("PIP_BREAK_SYSTEM_PACKAGES").is_none()
        && a.target.is_none()
    {
        // PEP 668: Debian's python refuses pip outside a virtualenv.
        return PkgOutcome::Failed {
            exit_code: 1,
            message: "error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.".into(),
        };
    }
    let target = if let Some(t) = &a.target {
        Target::SitePackages(util::absolute(env.cwd, t))
    } else if let Some(v) = &venv {
        Target::SitePackages(site_packages(env, v).0)
    } else if let Some(p) = &a.prefix {
        Target::SitePackages(site_packages(env, &util::absolute(env.cwd, p)).0)
    } else if a.user || env.uid != 0 {
        if !a.user {
            notes.push(
                "Defaulting to user installation because normal site-packages is not writeable"
                    .to_string(),
            );
        }
        Target::User
    } else if system_python {
        Target::SitePackages("/usr/local/lib/python3.11/dist-packages".into())
    } else {
        Target::SitePackages(site_packages(env, "/usr/local").0)
    };
    let dir = match target {
        Target::SitePackages(d) => d,
        Target::User => {
            let (_, v) = site_packages(env, "/usr/local");
            format!("{home}/.local/lib/{v}/site-packages")
        }
    };

    // The union of wheel sets: a wheel is installed once, and skipped when already there.
    let mut wheels: BTreeMap<String, Wheel> = BTreeMap::new();
    let mut estimated = false;
    let mut requested_measured = 0;
    for n in &names {
        let set = wheels_of(n);
        if set.first().is_some_and(|w| w.measured) {
            requested_measured += 1;
        } else {
            estimated = true;
            notes.push(format!(
                "{n}: not in the measured table, {} guessed",
                human(UNKNOWN_INSTALLED)
            ));
        }
        for w in set {
            if let Some(existing) = wheels.get(&w.name) {
                if existing != &w {
                    estimated = true;
                }
                continue;
            }
            wheels.insert(w.name.clone(), w);
        }
    }
    if requested_measured > 1 || wheels.values().any(|w| !w.measured) && names.len() > 1 {
        estimated = true;
    }
    let mut e = Effect::default();
    let mut installed_names = Vec::new();
    for w in wheels.values() {
        let dist_info = format!("{dir}/{}-{}.dist-info", w.name.replace('-', "_"), w.version);
        if env.fs.exists(&dist_info) {
            continue;
        }
        installed_names.push(format!("{}-{}", w.name, w.version));
        let pkg_dir = format!("{dir}/{}", w.name.replace('-', "_"));
        e.write(
            format!("{pkg_dir}/.layerlab-payload"),
            opaque(&["pip", &w.name, &w.version], w.installed),
            0o644,
        );
        e.mkdirs.push(dist_info);
        if !no_cache {
            e.write(
                format!("{home}/.cache/pip/http-v2/{}-{}.body", w.name, w.version),
                opaque(&["pip-cache", &w.name, &w.version], w.wheel),
                0o644,
            );
        }
        if let Some((_, scripts)) = SCRIPTS.iter().find(|(p, _)| *p == w.name) {
            let bin = match (&a.target, &venv) {
                (Some(_), _) => None,
                (None, Some(v)) => Some(format!("{v}/bin")),
                (None, None) if dir.contains("/.local/") => Some(format!("{home}/.local/bin")),
                (None, None) => Some("/usr/local/bin".to_string()),
            };
            if let Some(bin) = bin {
                for s in scripts.iter() {
                    let text = format!("#!/usr/local/bin/python3\nimport sys\nfrom {} import main\nsys.exit(main())\n", w.name.replace('-', "_"));
                    e.write(format!("{bin}/{s}"), Content::from_text(&text), 0o755);
                }
            }
        }
    }
    let site_bytes: u64 = e
        .writes
        .iter()
        .filter(|w| w.path.starts_with(&dir))
        .map(|w| w.content.len())
        .sum();
    let cache_bytes: u64 = e
        .writes
        .iter()
        .filter(|w| w.path.contains("/.cache/pip/"))
        .map(|w| w.content.len())
        .sum();
    e.estimated = estimated;
    e.stdout = if installed_names.is_empty() {
        format!("Requirement already satisfied: {}\n", names.join(", "))
    } else {
        format!("Successfully installed {}\n", installed_names.join(" "))
    };
    let cache = if no_cache {
        "no cache".to_string()
    } else {
        format!("+ {} pip cache in {home}/.cache/pip", human(cache_bytes))
    };
    e.note = format!(
        "pip install {}: {} wheels, {} in {dir} {cache} ({}, cp312 manylinux){}",
        names.join(" "),
        installed_names.len(),
        human(site_bytes),
        if estimated { "estimate" } else { "measured" },
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    );
    PkgOutcome::Done(e)
}

/// pip as `ensurepip` puts it in a new virtualenv (with its .pyc): an estimate.
const VENV_PIP: u64 = 13_000_000;
/// setuptools, which venvs of Python ≤ 3.11 also get: an estimate.
const VENV_SETUPTOOLS: u64 = 4_500_000;

/// `python -m venv [--without-pip] DIR`: the interpreter links, activate scripts, pip.
pub fn venv(args: &[&str], env: &PkgEnv, python: &str) -> PkgOutcome {
    let without_pip = args.contains(&"--without-pip");
    let Some(dir) = args.iter().rev().find(|a| !a.starts_with('-')) else {
        return PkgOutcome::Failed { exit_code: 2, message: "usage: venv [-h] ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR".into() };
    };
    let root = util::absolute(env.cwd, dir);
    // The Python version from the base image's lib dir (python3.12 …).
    // The prefix of the interpreter that runs (`/usr/local/bin/python` → `/usr/local`,
    // Debian's `/usr/bin/python3` → `/usr`) tells which python3.X it is.
    let prefix = util::absolute(python, "../..");
    let (_, pyver) = site_packages(env, &prefix);
    let minor: u32 = pyver.trim_start_matches("python3.").parse().unwrap_or(12);
    let mut e = Effect::default();
    let cfg = format!(
        "home = {}\ninclude-system-site-packages = false\nversion = 3.{minor}\nexecutable = {python}\ncommand = {python} -m venv {root}\n",
        util::absolute(python, "..")
    );
    e.write(
        format!("{root}/pyvenv.cfg"),
        Content::from_text(&cfg),
        0o644,
    );
    for l in ["python", "python3", &pyver] {
        e.symlinks.push(super::LinkWrite {
            path: format!("{root}/bin/{l}"),
            target: python.to_string(),
        });
    }
    let activate = format!("# This file must be used with \"source bin/activate\"\ndeactivate () {{ :; }}\nVIRTUAL_ENV=\"{root}\"\nexport VIRTUAL_ENV\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n");
    e.write(
        format!("{root}/bin/activate"),
        Content::from_text(&activate),
        0o644,
    );
    e.mkdirs.push(format!("{root}/include"));
    let site = format!("{root}/lib/{pyver}/site-packages");
    e.mkdirs.push(site.clone());
    if !without_pip {
        let script = format!("#!{root}/bin/python\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == \"__main__\":\n    sys.exit(main())\n");
        for name in ["pip", "pip3", &format!("pip3.{minor}")] {
            e.write(
                format!("{root}/bin/{name}"),
                Content::from_text(&script),
                0o755,
            );
        }
        e.write(
            format!("{site}/pip/.layerlab-payload"),
            opaque(&["venv-pip", &root], VENV_PIP),
            0o644,
        );
        if minor <= 11 {
            e.write(
                format!("{site}/setuptools/.layerlab-payload"),
                opaque(&["venv-setuptools", &root], VENV_SETUPTOOLS),
                0o644,
            );
        }
    }
    e.estimated = true;
    e.note = format!(
        "python -m venv {root}: {} (estimate: pip{} as ensurepip installs it)",
        human(e.written_bytes()),
        if minor <= 11 { " + setuptools" } else { "" }
    );
    PkgOutcome::Done(e)
}

fn uninstall(a: &PipArgs, env: &PkgEnv) -> PkgOutcome {
    let (dir, _) = site_packages(env, "/usr/local");
    let mut e = Effect::default();
    for r in &a.requirements {
        if let Some(n) = requirement_name(r) {
            let n = normalize(&n).replace('-', "_");
            e.removes.push(format!("{dir}/{n}"));
        }
    }
    e.note = "pip uninstall: files removed (whiteouts; the bytes stay in the earlier layer)".into();
    let _ = a.yes;
    PkgOutcome::Done(e)
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{env_of, no_vars, MemFs};
    use super::super::{run as pkg_run, Effect, PkgOutcome};
    use super::*;

    fn python_fs() -> MemFs {
        MemFs::default()
            .with("/usr/local/bin/pip", "")
            .with("/usr/local/bin/python3", "")
            .with("/usr/local/bin/python", "")
            .dir("/usr/local/lib/python3.12/site-packages")
    }

    fn run_cmd(
        fs: &MemFs,
        cmd: &str,
        vars: &dyn Fn(&str) -> Option<String>,
        uid: u32,
    ) -> PkgOutcome {
        let env = env_of(fs, "/app", vars, uid);
        let argv: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
        pkg_run(&argv, &env)
    }

    fn done(o: PkgOutcome) -> Effect {
        match o {
            PkgOutcome::Done(e) => e,
            other => panic!("{other:?}"),
        }
    }

    fn site(e: &Effect) -> u64 {
        e.writes
            .iter()
            .filter(|w| {
                w.path
                    .starts_with("/usr/local/lib/python3.12/site-packages/")
            })
            .map(|w| w.content.len())
            .sum()
    }

    fn cache(e: &Effect) -> u64 {
        e.writes
            .iter()
            .filter(|w| w.path.starts_with("/root/.cache/pip/"))
            .map(|w| w.content.len())
            .sum()
    }

    #[test]
    fn measured_package_with_and_without_cache() {
        let fs = python_fs();
        let e = done(run_cmd(&fs, "pip install flask", &no_vars, 0));
        assert_eq!(site(&e), 4_771_275);
        assert_eq!(cache(&e), 640_863);
        assert!(!e.estimated, "{}", e.note);
        assert!(e.writes.iter().any(|w| w.path == "/usr/local/bin/flask"));
        let e = done(run_cmd(
            &fs,
            "pip install --no-cache-dir flask",
            &no_vars,
            0,
        ));
        assert_eq!(site(&e), 4_771_275);
        assert_eq!(cache(&e), 0);
        let env_nc = |k: &str| (k == "PIP_NO_CACHE_DIR").then(|| "1".to_string());
        assert_eq!(
            cache(&done(run_cmd(&fs, "pip install numpy", &env_nc, 0))),
            0
        );
        let e = done(run_cmd(&fs, "python -m pip install numpy", &no_vars, 0));
        assert_eq!(site(&e), 64_783_811);
    }

    #[test]
    fn shared_wheels_count_once() {
        let fs = python_fs();
        let fastapi = done(run_cmd(
            &fs,
            "pip install --no-cache-dir fastapi",
            &no_vars,
            0,
        ));
        let pydantic = done(run_cmd(
            &fs,
            "pip install --no-cache-dir pydantic",
            &no_vars,
            0,
        ));
        let both = done(run_cmd(
            &fs,
            "pip install --no-cache-dir fastapi pydantic",
            &no_vars,
            0,
        ));
        assert!(site(&both) < site(&fastapi) + site(&pydantic));
        assert_eq!(
            site(&both),
            site(&fastapi),
            "pydantic's wheels are all in fastapi's set"
        );
        assert!(both.estimated);
    }

    #[test]
    fn requirements_file_is_read_through_the_fs() {
        let fs = python_fs()
            .with(
                "/app/requirements.txt",
                "# deps\nflask==3.1.3\ngunicorn>=20 ; python_version > \"3.8\"\n\n-r extra.txt\n",
            )
            .with("/app/extra.txt", "redis[hiredis]\n");
        let e = done(run_cmd(
            &fs,
            "pip install --no-cache-dir -r requirements.txt",
            &no_vars,
            0,
        ));
        assert!(e.note.contains("flask gunicorn redis"), "{}", e.note);
        assert_eq!(site(&e), 4_771_275 + 2_076_990 + 5_521_206);
        match run_cmd(&fs, "pip install -r missing.txt", &no_vars, 0) {
            PkgOutcome::Failed {
                exit_code: 1,
                message,
            } => assert!(message.contains("missing.txt")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_packages_are_estimates_and_local_projects_unknown() {
        let fs = python_fs();
        let e = done(run_cmd(&fs, "pip install frobnicate", &no_vars, 0));
        assert!(e.estimated);
        assert_eq!(site(&e), UNKNOWN_INSTALLED);
        assert!(matches!(
            run_cmd(&fs, "pip install .", &no_vars, 0),
            PkgOutcome::Unknown { .. }
        ));
        assert!(matches!(
            run_cmd(&fs, "pip install -e .", &no_vars, 0),
            PkgOutcome::Unknown { .. }
        ));
    }

    #[test]
    fn non_root_installs_to_the_user_site() {
        let fs = python_fs();
        let home = |k: &str| (k == "HOME").then(|| "/home/app".to_string());
        let e = done(run_cmd(&fs, "pip install flask", &home, 1000));
        assert!(e.writes.iter().any(|w| w
            .path
            .starts_with("/home/app/.local/lib/python3.12/site-packages/flask/")));
        assert!(e
            .writes
            .iter()
            .any(|w| w.path.starts_with("/home/app/.cache/pip/")));
    }

    #[test]
    fn venv_then_pip_installs_into_the_venv() {
        let mut fs = python_fs();
        let e = done(run_cmd(&fs, "python -m venv /opt/venv", &no_vars, 0));
        assert!(e
            .symlinks
            .iter()
            .any(|l| l.path == "/opt/venv/bin/python" && l.target == "/usr/local/bin/python"));
        assert!(e.writes.iter().any(|w| w.path == "/opt/venv/bin/pip"));
        assert!(e.estimated);
        fs.apply(&e);
        let e = done(run_cmd(
            &fs,
            "/opt/venv/bin/pip install --no-cache-dir flask",
            &no_vars,
            0,
        ));
        let venv_site: u64 = e
            .writes
            .iter()
            .filter(|w| {
                w.path
                    .starts_with("/opt/venv/lib/python3.12/site-packages/")
            })
            .map(|w| w.content.len())
            .sum();
        assert_eq!(venv_site, 4_771_275);
        assert!(e.writes.iter().any(|w| w.path == "/opt/venv/bin/flask"));
    }

    #[test]
    fn debian_python_is_externally_managed() {
        let fs = MemFs::default().with("/usr/bin/pip", "").with(
            "/usr/lib/python3.11/EXTERNALLY-MANAGED",
            "[externally-managed]\n",
        );
        match run_cmd(&fs, "pip install flask", &no_vars, 0) {
            PkgOutcome::Failed {
                exit_code: 1,
                message,
            } => assert!(message.contains("externally-managed-environment")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run_cmd(
                &fs,
                "pip install --break-system-packages flask",
                &no_vars,
                0
            ),
            PkgOutcome::Done(_)
        ));
    }
}
