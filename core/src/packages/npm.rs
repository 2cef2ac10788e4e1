//! `npm install` / `npm i` / `npm ci` / `npm install -g`: node_modules and npm's cache.
//!
//! Sizes come from `npm.tsv` (measured installs of single packages, shared/package-sizes). The
//! dependencies of a project are read from `package.json` in the working directory through the
//! [`FsView`](super::FsView); devDependencies are skipped with `--omit=dev`/`--production` or
//! `NODE_ENV=production`. Several dependencies are summed (their shared transitive packages
//! are not known, so the sum is an upper bound and flagged as an estimate). The cache
//! (`~/.npm/_cacache`, which also holds registry metadata) and a debug log in `~/.npm/_logs` are
//! written unless `--cache` points elsewhere.

use super::data::{self, NpmPackage};
use super::util::{self, human, opaque};
use super::{Effect, PkgEnv, PkgOutcome};
use crate::content::Content;
use serde_json::Value;

/// A dependency with no measurement: guessed sizes.
const UNKNOWN_NODE_MODULES: u64 = 1_000_000;
const UNKNOWN_CACHE: u64 = 800_000;
const UNKNOWN_PACKAGES: u64 = 8;
/// npm writes a debug log of a few kB per run (npm ≥ 8 keeps the last 10 in ~/.npm/_logs).
const DEBUG_LOG_BYTES: u64 = 3_000;
/// `package-lock.json` bytes per installed package when not measured (npm.tsv: ~340 B each).
const LOCK_BYTES_PER_PACKAGE: u64 = 340;
const MAX_DEPENDENCIES: usize = 2_000;

struct Dep {
    name: String,
    measured: Option<&'static NpmPackage>,
}

impl Dep {
    fn node_modules(&self) -> u64 {
        self.measured
            .map_or(UNKNOWN_NODE_MODULES, |m| m.node_modules_bytes)
    }
    fn cache(&self) -> u64 {
        self.measured.map_or(UNKNOWN_CACHE, |m| m.cache_bytes)
    }
    fn packages(&self) -> u64 {
        self.measured
            .map_or(UNKNOWN_PACKAGES, |m| m.packages_installed)
    }
    fn lock(&self) -> u64 {
        self.measured
            .map_or(UNKNOWN_PACKAGES * LOCK_BYTES_PER_PACKAGE, |m| m.lock_bytes)
    }
}

fn dep(spec: &str) -> Dep {
    // `@scope/name@1.2`, `name@^1`: the name is up to the version's `@` (after the scope's).
    let name = match spec.strip_prefix('@') {
        Some(rest) => format!("@{}", rest.split('@').next().unwrap_or(rest)),
        None => spec.split('@').next().unwrap_or(spec).to_string(),
    };
    let measured = data::npm().iter().find(|p| p.name == name);
    Dep { name, measured }
}

#[derive(Default)]
struct NpmArgs {
    command: Option<String>,
    packages: Vec<String>,
    global: bool,
    omit_dev: bool,
    cache: Option<String>,
}

fn parse_args(args: &[&str]) -> NpmArgs {
    let mut a = NpmArgs::default();
    let mut i = 0;
    while let Some(&arg) = args.get(i) {
        match arg {
            "-g" | "--global" => a.global = true,
            "--production" | "--omit=dev" | "--only=prod" | "--only=production" => {
                a.omit_dev = true
            }
            "--omit" => {
                if args.get(i + 1) == Some(&"dev") {
                    a.omit_dev = true;
                }
                i += 1;
            }
            "--cache" => {
                a.cache = args.get(i + 1).map(|s| s.to_string());
                i += 1;
            }
            s if s.starts_with("--cache=") => a.cache = Some(s[8..].to_string()),
            s if s.starts_with('-') => {}
            s if a.command.is_none() => a.command = Some(s.to_string()),
            s => a.packages.push(s.to_string()),
        }
        i += 1;
    }
    a
}

pub fn run(args: &[&str], env: &PkgEnv) -> PkgOutcome {
    let a = parse_args(args);
    match a.command.as_deref() {
        Some("install") | Some("i") | Some("add") | Some("ci") | Some("install-clean") => {
            install(a, env)
        }
        Some("cache") if a.packages.first().map(String::as_str) == Some("clean") => {
            let home = util::home(env);
            PkgOutcome::Done(Effect {
                removes: vec![format!("{home}/.npm/_cacache")],
                note: "npm cache clean: cache removed (its bytes stay in earlier layers)".into(),
                ..Effect::default()
            })
        }
        Some("run") | Some("run-script") | Some("test") | Some("start") | Some("exec") => {
            PkgOutcome::Unknown {
                reason: format!(
                    "`npm {}` runs the project's own scripts: their output is not modelled",
                    args.join(" ")
                ),
            }
        }
        Some("config") | Some("set") | Some("--version") | Some("-v") | Some("ls")
        | Some("list") | Some("view") => PkgOutcome::Done(Effect::default()),
        Some(other) => PkgOutcome::Unknown {
            reason: format!("`npm {other}` is not modelled"),
        },
        None => PkgOutcome::Done(Effect {
            stdout: "npm <command>\n".into(),
            ..Effect::default()
        }),
    }
}

/// Dependencies named in package.json (devDependencies unless omitted).
fn manifest_deps(text: &str, omit_dev: bool) -> Result<Vec<String>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!("npm error code EJSONPARSE\nnpm error JSON.parse Invalid package.json: {e}")
    })?;
    let mut out = Vec::new();
    let mut sections = vec!["dependencies"];
    if !omit_dev {
        sections.push("devDependencies");
    }
    for s in sections {
        if let Some(m) = v.get(s).and_then(Value::as_object) {
            out.extend(m.keys().take(MAX_DEPENDENCIES).cloned());
        }
    }
    Ok(out)
}

fn install(a: NpmArgs, env: &PkgEnv) -> PkgOutcome {
    let ci = matches!(a.command.as_deref(), Some("ci") | Some("install-clean"));
    let home = util::home(env);
    let omit_dev = a.omit_dev || (env.env)("NODE_ENV").as_deref() == Some("production");
    let cwd = env.cwd.trim_end_matches('/');
    let manifest = format!("{cwd}/package.json");
    let lock = format!("{cwd}/package-lock.json");
    let has_lock = env.fs.exists(&lock) || env.fs.exists(&format!("{cwd}/npm-shrinkwrap.json"));
    if ci && !has_lock {
        return PkgOutcome::Failed {
            exit_code: 1,
            message: "npm error code EUSAGE\nnpm error\nnpm error The `npm ci` command can only install with an existing package-lock.json or\nnpm error npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or\nnpm error later to generate a package-lock.json file, then try again.".into(),
        };
    }
    let (names, root) = if a.global {
        if a.packages.is_empty() {
            return PkgOutcome::Done(Effect::default());
        }
        (a.packages.clone(), "/usr/local/lib".to_string())
    } else {
        let mut names = a.packages.clone();
        if names.is_empty() || ci {
            let Some(text) = util::read_text(env.fs, &manifest) else {
                return PkgOutcome::Failed {
                    exit_code: 254,
                    message: format!("npm error code ENOENT\nnpm error syscall open\nnpm error path {manifest}\nnpm error errno -2\nnpm error enoent Could not read package.json"),
                };
            };
            match manifest_deps(&text, omit_dev) {
                Ok(d) => names = d,
                Err(message) => {
                    return PkgOutcome::Failed {
                        exit_code: 1,
                        message,
                    }
                }
            }
        }
        (names, cwd.to_string())
    };
    let deps: Vec<Dep> = names.iter().map(|n| dep(n)).collect();
    let node_modules = format!("{}/node_modules", if root.is_empty() { "" } else { &root });
    let mut e = Effect::default();
    if ci {
        // `npm ci` deletes node_modules first.
        e.removes.push(node_modules.clone());
    }
    let cache_dir = a
        .cache
        .as_deref()
        .map(|c| util::absolute(env.cwd, c))
        .unwrap_or_else(|| format!("{home}/.npm"));
    let mut packages = 0u64;
    let mut lock_bytes = 0u64;
    let mut up_to_date = 0usize;
    for d in &deps {
        lock_bytes += d.lock();
        let version = d.measured.map_or("latest", |m| m.version);
        let dir = format!("{node_modules}/{}", d.name);
        if !ci && env.fs.exists(&format!("{dir}/package.json")) {
            // Already installed (an earlier layer): npm leaves it alone.
            up_to_date += 1;
            continue;
        }
        packages += d.packages();
        e.write(
            format!("{dir}/package.json"),
            Content::from_text(&format!(
                "{{\"name\":\"{}\",\"version\":\"{version}\"}}\n",
                d.name
            )),
            0o644,
        );
        let pj = format!("{{\"name\":\"{}\",\"version\":\"{version}\"}}\n", d.name).len() as u64;
        e.write(
            format!("{dir}/.layerlab-payload"),
            opaque(
                &["npm", &d.name, version],
                d.node_modules().saturating_sub(pj),
            ),
            0o644,
        );
        e.write(
            format!(
                "{cache_dir}/_cacache/content-v2/layerlab/{}",
                d.name.replace('/', "+")
            ),
            opaque(&["npm-cache", &d.name, version], d.cache()),
            0o644,
        );
        if a.global {
            let bins: Vec<&str> = match d.name.as_str() {
                "typescript" => vec!["tsc", "tsserver"],
                n => vec![n.rsplit('/').next().unwrap_or(n)],
            };
            for bin in bins {
                e.write(
                    format!("/usr/local/bin/{bin}"),
                    Content::from_text(&format!("#!/usr/bin/env node\nrequire('{}')\n", d.name)),
                    0o755,
                );
            }
        }
    }
    if !a.global && !deps.is_empty() {
        // The hidden lockfile in node_modules, and package-lock.json (npm install writes it).
        e.write(
            format!("{node_modules}/.package-lock.json"),
            opaque(&["npm-hidden-lock", &names.join(",")], lock_bytes),
            0o644,
        );
        if !ci {
            e.write(
                lock.clone(),
                opaque(&["npm-lock", &names.join(",")], lock_bytes),
                0o644,
            );
        }
    }
    e.write(
        format!("{cache_dir}/_logs/layerlab-debug-0.log"),
        opaque(&["npm-log", &names.join(",")], DEBUG_LOG_BYTES),
        0o644,
    );
    let measured_all = deps.iter().all(|d| d.measured.is_some());
    e.estimated = !measured_all || deps.len() > 1;
    let nm: u64 = e
        .writes
        .iter()
        .filter(|w| w.path.starts_with(&format!("{node_modules}/")))
        .map(|w| w.content.len())
        .sum();
    let cache: u64 = e
        .writes
        .iter()
        .filter(|w| w.path.starts_with(&format!("{cache_dir}/_cacache/")))
        .map(|w| w.content.len())
        .sum();
    e.stdout = if packages == 0 && up_to_date > 0 {
        "\nup to date in 1s\n".to_string()
    } else {
        format!("\nadded {packages} packages in 3s\n")
    };
    let unknown: Vec<&str> = deps
        .iter()
        .filter(|d| d.measured.is_none())
        .map(|d| d.name.as_str())
        .collect();
    e.note = format!(
        "npm {} {}: {} packages, {} node_modules + {} npm cache ({}){}",
        if ci { "ci" } else { "install" },
        names.join(" "),
        packages,
        human(nm),
        human(cache),
        if e.estimated { "estimate" } else { "measured" },
        if unknown.is_empty() {
            String::new()
        } else {
            format!("; not measured: {}", unknown.join(", "))
        }
    );
    PkgOutcome::Done(e)
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{env_of, no_vars, MemFs};
    use super::super::{run as pkg_run, Effect, PkgOutcome};

    fn node_fs() -> MemFs {
        MemFs::default().with("/usr/local/bin/npm", "").dir("/app")
    }

    fn run_cmd(fs: &MemFs, cmd: &str, vars: &dyn Fn(&str) -> Option<String>) -> PkgOutcome {
        let env = env_of(fs, "/app", vars, 0);
        let argv: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
        pkg_run(&argv, &env)
    }

    fn done(o: PkgOutcome) -> Effect {
        match o {
            PkgOutcome::Done(e) => e,
            other => panic!("{other:?}"),
        }
    }

    fn under(e: &Effect, prefix: &str) -> u64 {
        e.writes
            .iter()
            .filter(|w| w.path.starts_with(prefix))
            .map(|w| w.content.len())
            .sum()
    }

    #[test]
    fn install_from_package_json_uses_measured_sizes() {
        let fs = node_fs().with("/app/package.json", r#"{"name":"app","dependencies":{"express":"^5.0.0"},"devDependencies":{"jest":"^30"}}"#);
        let e = done(run_cmd(&fs, "npm install --omit=dev", &no_vars));
        assert_eq!(under(&e, "/app/node_modules/express/"), 2_345_368);
        assert_eq!(under(&e, "/root/.npm/_cacache/"), 3_257_405);
        assert!(!e.estimated, "{}", e.note);
        assert!(e
            .writes
            .iter()
            .any(|w| w.path == "/app/package-lock.json" && w.content.len() == 25_543));
        let prod = |k: &str| (k == "NODE_ENV").then(|| "production".to_string());
        assert!(!done(run_cmd(&fs, "npm install", &prod))
            .note
            .contains("jest"));
        let all = done(run_cmd(&fs, "npm install", &no_vars));
        assert_eq!(under(&all, "/app/node_modules/jest/"), 36_546_774);
        assert!(all.estimated);
    }

    #[test]
    fn ci_needs_a_lockfile_and_cleans_node_modules() {
        let fs = node_fs().with("/app/package.json", r#"{"dependencies":{"react":"19"}}"#);
        match run_cmd(&fs, "npm ci", &no_vars) {
            PkgOutcome::Failed {
                exit_code: 1,
                message,
            } => assert!(message.contains("package-lock.json")),
            other => panic!("{other:?}"),
        }
        let fs = fs.with("/app/package-lock.json", "{}");
        let e = done(run_cmd(&fs, "npm ci", &no_vars));
        assert_eq!(e.removes, vec!["/app/node_modules".to_string()]);
        assert_eq!(under(&e, "/app/node_modules/react/"), 179_006);
        assert!(!e.writes.iter().any(|w| w.path == "/app/package-lock.json"));
    }

    #[test]
    fn a_second_install_only_touches_the_lockfiles() {
        let mut fs = node_fs().with("/app/package.json", r#"{"dependencies":{"express":"5"}}"#);
        let first = done(run_cmd(&fs, "npm install", &no_vars));
        fs.apply(&first);
        let again = done(run_cmd(&fs, "npm install", &no_vars));
        assert!(again.stdout.contains("up to date"));
        assert_eq!(under(&again, "/app/node_modules/express/"), 0);
    }

    #[test]
    fn missing_manifest_fails_and_unknown_deps_are_estimates() {
        assert!(matches!(
            run_cmd(&node_fs(), "npm install", &no_vars),
            PkgOutcome::Failed { exit_code: 254, .. }
        ));
        let e = done(run_cmd(&node_fs(), "npm install left-pad", &no_vars));
        assert!(e.estimated && e.note.contains("not measured: left-pad"));
        let g = done(run_cmd(&node_fs(), "npm install -g typescript", &no_vars));
        assert_eq!(
            under(&g, "/usr/local/lib/node_modules/typescript/"),
            30_445_426
        );
        assert!(g.writes.iter().any(|w| w.path == "/usr/local/bin/tsc"));
    }
}
