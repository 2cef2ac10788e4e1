//! Compilers and build tools: `go build` / `go mod download`, `cargo build [--release]`,
//! `mvn package` (also `./mvnw`). None of these is measured in shared/package-sizes, so every
//! size is an ESTIMATE from a simple rule (a base plus a share per declared dependency) and
//! marked so; what is exact is WHERE the bytes land: the output binary or jar, the build caches
//! (`~/.cache/go-build`, `target/`) and the dependency caches (`/go/pkg/mod`, `~/.cargo/registry`,
//! `~/.m2/repository`) that a multi-stage build leaves behind in the builder stage.

use super::util::{self, human, opaque};
use super::{Effect, PkgEnv, PkgOutcome};

/// Go: binary = base + per required module; build cache and module cache per module.
const GO_BINARY_BASE: u64 = 2_000_000;
const GO_BINARY_PER_MODULE: u64 = 600_000;
const GO_BUILD_CACHE_BASE: u64 = 25_000_000;
const GO_BUILD_CACHE_PER_MODULE: u64 = 4_000_000;
const GO_MODULE_CACHE_PER_MODULE: u64 = 3_000_000;
/// `-ldflags "-s -w"` strips the symbol table and DWARF: roughly 30 % smaller.
const GO_STRIPPED_PERCENT: u64 = 70;

/// Cargo: release binary base + per dependency; debug ≈ 4 × release; artifacts in target/deps.
const CARGO_BINARY_BASE: u64 = 3_000_000;
const CARGO_BINARY_PER_DEP: u64 = 300_000;
const CARGO_DEPS_BASE: u64 = 20_000_000;
const CARGO_DEPS_PER_DEP: u64 = 6_000_000;
const CARGO_REGISTRY_BASE: u64 = 2_000_000;
const CARGO_REGISTRY_PER_DEP: u64 = 1_500_000;

/// Maven: plugins in ~/.m2 for a plain `package`, per dependency, and the jar.
const M2_PLUGINS: u64 = 40_000_000;
const M2_PER_DEP: u64 = 3_000_000;
const JAR_BASE: u64 = 20_000;
/// A Spring Boot fat jar bundles its dependencies (spring-boot-maven-plugin repackage).
const FAT_JAR_PER_DEP: u64 = 2_500_000;

const MAX_MANIFEST_LINES: usize = 20_000;

/// Finds `file` in `cwd` or a parent (go.mod, Cargo.toml): its absolute path.
fn find_up(env: &PkgEnv, file: &str) -> Option<String> {
    let mut dir = util::absolute(env.cwd, ".");
    for _ in 0..64 {
        let candidate = if dir == "/" {
            format!("/{file}")
        } else {
            format!("{dir}/{file}")
        };
        if env.fs.exists(&candidate) {
            return Some(candidate);
        }
        if dir == "/" {
            return None;
        }
        dir = util::absolute(&dir, "..");
    }
    None
}

fn dir_of(path: &str) -> String {
    util::absolute(path, "..")
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// `go build`, `go install`, `go mod download`.
pub fn go(args: &[&str], env: &PkgEnv) -> PkgOutcome {
    let sub = args.first().copied().unwrap_or("");
    if !matches!(sub, "build" | "install" | "mod") {
        return match sub {
            "version" | "env" | "vet" | "fmt" | "list" | "help" | "" => {
                PkgOutcome::Done(Effect::default())
            }
            "test" | "run" | "generate" => PkgOutcome::Unknown {
                reason: format!("`go {sub}` output is not modelled"),
            },
            other => PkgOutcome::Unknown {
                reason: format!("`go {other}` is not modelled"),
            },
        };
    }
    let Some(gomod) = find_up(env, "go.mod") else {
        return PkgOutcome::Failed {
            exit_code: 1,
            message: "go: go.mod file not found in current directory or any parent directory; see 'go help modules'".into(),
        };
    };
    let text = util::read_text(env.fs, &gomod).unwrap_or_default();
    let module = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))
        .map(|m| m.trim().trim_matches('"').to_string());
    let modules = count_go_requires(&text);
    let home = util::home(env);
    let gopath = (env.env)("GOPATH")
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| format!("{home}/go"));
    let gocache = (env.env)("GOCACHE")
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| format!("{home}/.cache/go-build"));
    let mut e = Effect::default();
    let module_cache = GO_MODULE_CACHE_PER_MODULE * modules;
    if module_cache > 0 {
        e.write(
            format!("{gopath}/pkg/mod/cache/download/.layerlab-modules"),
            opaque(&["go-mod", &text], module_cache),
            0o644,
        );
    }
    if sub == "mod" {
        e.estimated = true;
        e.note = format!(
            "go mod {}: {modules} modules, {} in {gopath}/pkg/mod (estimate)",
            args.get(1).unwrap_or(&""),
            human(module_cache)
        );
        return PkgOutcome::Done(e);
    }
    let mut output: Option<String> = None;
    let mut stripped = false;
    let mut i = 1;
    while let Some(&a) = args.get(i) {
        match a {
            "-o" => {
                output = args.get(i + 1).map(|s| s.to_string());
                i += 1;
            }
            s if s.starts_with("-o=") => output = Some(s[3..].to_string()),
            "-ldflags" => {
                stripped |= args
                    .get(i + 1)
                    .is_some_and(|f| f.contains("-s") || f.contains("-w"));
                i += 1;
            }
            s if s.starts_with("-ldflags=") => stripped |= s.contains("-s") || s.contains("-w"),
            _ => {}
        }
        i += 1;
    }
    let name = match module.as_deref() {
        Some(m) => base_name(m).to_string(),
        None => base_name(&dir_of(&gomod)).to_string(),
    };
    let out_path = match output {
        Some(o) if o.ends_with('/') || env.fs.is_dir(&util::absolute(env.cwd, &o)) => {
            format!("{}/{name}", util::absolute(env.cwd, &o))
        }
        Some(o) => util::absolute(env.cwd, &o),
        None if sub == "install" => format!("{gopath}/bin/{name}"),
        None => util::absolute(env.cwd, &name),
    };
    let mut binary = GO_BINARY_BASE + GO_BINARY_PER_MODULE * modules;
    if stripped {
        binary = binary * GO_STRIPPED_PERCENT / 100;
    }
    e.write(
        out_path.clone(),
        opaque(&["go-bin", &text, &out_path], binary),
        0o755,
    );
    let cache = GO_BUILD_CACHE_BASE + GO_BUILD_CACHE_PER_MODULE * modules;
    e.write(
        format!("{gocache}/.layerlab-build-cache"),
        opaque(&["go-cache", &text], cache),
        0o644,
    );
    e.estimated = true;
    e.note = format!(
        "go {sub}: {out_path} {} + build cache {} in {gocache}{} (estimate: {modules} required modules)",
        human(binary),
        human(cache),
        if module_cache > 0 { format!(" + modules {} in {gopath}/pkg/mod", human(module_cache)) } else { String::new() }
    );
    PkgOutcome::Done(e)
}

/// Number of `require` entries in go.mod (single lines and blocks).
fn count_go_requires(text: &str) -> u64 {
    let mut n = 0;
    let mut in_block = false;
    for line in text.lines().take(MAX_MANIFEST_LINES) {
        let l = line.trim();
        if in_block {
            if l.starts_with(')') {
                in_block = false;
            } else if !l.is_empty() && !l.starts_with("//") {
                n += 1;
            }
        } else if l.starts_with("require (") || l == "require(" {
            in_block = true;
        } else if l.starts_with("require ") {
            n += 1;
        }
    }
    n
}

/// `cargo build [--release]`, `cargo install`, `cargo fetch`.
pub fn cargo(args: &[&str], env: &PkgEnv) -> PkgOutcome {
    let sub = args.first().copied().unwrap_or("");
    if !matches!(sub, "build" | "b" | "fetch" | "install") {
        return match sub {
            "--version" | "version" | "" => PkgOutcome::Done(Effect::default()),
            other => PkgOutcome::Unknown {
                reason: format!("`cargo {other}` is not modelled"),
            },
        };
    }
    if sub == "install" {
        return PkgOutcome::Unknown {
            reason: "`cargo install` builds a crate from the registry: not modelled".into(),
        };
    }
    let Some(manifest) = find_up(env, "Cargo.toml") else {
        return PkgOutcome::Failed {
            exit_code: 101,
            message: format!(
                "error: could not find `Cargo.toml` in `{}` or any parent directory",
                env.cwd
            ),
        };
    };
    let text = util::read_text(env.fs, &manifest).unwrap_or_default();
    let (name, deps) = cargo_manifest(&text);
    let name = name.unwrap_or_else(|| base_name(&dir_of(&manifest)).to_string());
    let root = dir_of(&manifest);
    let release = args.iter().any(|a| *a == "--release" || *a == "-r")
        || args.iter().any(|a| a.starts_with("--profile=release"));
    let profile = if release { "release" } else { "debug" };
    let target = (env.env)("CARGO_TARGET_DIR")
        .map(|t| util::absolute(&root, &t))
        .unwrap_or_else(|| format!("{root}/target"));
    let home = util::home(env);
    let cargo_home = (env.env)("CARGO_HOME")
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| format!("{home}/.cargo"));
    let mut e = Effect::default();
    let registry = CARGO_REGISTRY_BASE + CARGO_REGISTRY_PER_DEP * deps;
    e.write(
        format!("{cargo_home}/registry/cache/.layerlab-crates"),
        opaque(&["cargo-registry", &text], registry),
        0o644,
    );
    if sub == "fetch" {
        e.estimated = true;
        e.note = format!(
            "cargo fetch: {deps} dependencies, {} in {cargo_home}/registry (estimate)",
            human(registry)
        );
        return PkgOutcome::Done(e);
    }
    let factor = if release { 1 } else { 4 };
    let binary = (CARGO_BINARY_BASE + CARGO_BINARY_PER_DEP * deps) * factor;
    let artifacts = (CARGO_DEPS_BASE + CARGO_DEPS_PER_DEP * deps) * if release { 1 } else { 2 };
    let bin_path = format!("{target}/{profile}/{name}");
    e.write(
        bin_path.clone(),
        opaque(&["cargo-bin", &text, profile], binary),
        0o755,
    );
    e.write(
        format!("{target}/{profile}/deps/.layerlab-artifacts"),
        opaque(&["cargo-deps", &text, profile], artifacts),
        0o644,
    );
    e.estimated = true;
    e.note = format!(
        "cargo build{}: {bin_path} {} + target/{profile} artifacts {} + registry {} (estimate: {deps} dependencies)",
        if release { " --release" } else { "" },
        human(binary),
        human(artifacts),
        human(registry)
    );
    PkgOutcome::Done(e)
}

/// `[package] name` and the number of `[dependencies]` entries of a Cargo.toml.
fn cargo_manifest(text: &str) -> (Option<String>, u64) {
    let mut section = String::new();
    let mut name = None;
    let mut deps = 0;
    for line in text.lines().take(MAX_MANIFEST_LINES) {
        let l = line.trim();
        if l.starts_with('[') {
            section = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            if section.starts_with("dependencies.") {
                deps += 1;
            }
            continue;
        }
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if section == "package" && name.is_none() {
            if let Some(v) = l
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
            {
                name = Some(v.trim().trim_matches('"').to_string());
            }
        } else if section == "dependencies" && l.contains('=') {
            deps += 1;
        }
    }
    (name, deps)
}

/// `mvn package` / `install` / `verify` / `dependency:go-offline` / `clean` (also `./mvnw`).
pub fn maven(args: &[&str], env: &PkgEnv) -> PkgOutcome {
    let mut pom_arg: Option<String> = None;
    let mut goals = Vec::new();
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        match a {
            "-f" | "--file" => {
                pom_arg = args.get(i + 1).map(|s| s.to_string());
                i += 1;
            }
            s if s.starts_with('-') => {}
            s => goals.push(s),
        }
        i += 1;
    }
    if goals.is_empty() || goals.iter().all(|g| matches!(*g, "--version" | "-v")) {
        return PkgOutcome::Done(Effect::default());
    }
    let pom = pom_arg
        .map(|p| util::absolute(env.cwd, &p))
        .map(|p| {
            if p.ends_with(".xml") {
                p
            } else {
                format!("{p}/pom.xml")
            }
        })
        .unwrap_or_else(|| util::absolute(env.cwd, "pom.xml"));
    let Some(text) = util::read_text(env.fs, &pom) else {
        return PkgOutcome::Failed {
            exit_code: 1,
            message: format!(
                "[ERROR] The goal you specified requires a project to execute but there is no POM in this directory ({}). Please verify you invoked Maven from the correct directory.",
                dir_of(&pom)
            ),
        };
    };
    let project = dir_of(&pom);
    let artifact = xml_value(&text, "artifactId").unwrap_or_else(|| "app".into());
    let version = xml_value(&text, "version").unwrap_or_else(|| "1.0".into());
    let packaging = xml_value(&text, "packaging").unwrap_or_else(|| "jar".into());
    let deps = text.matches("<dependency>").count() as u64;
    let spring_boot = text.contains("spring-boot-maven-plugin");
    let home = util::home(env);
    let m2 = format!("{home}/.m2/repository");
    let mut e = Effect::default();
    if goals.contains(&"clean") {
        e.removes.push(format!("{project}/target"));
    }
    let builds = goals
        .iter()
        .any(|g| matches!(*g, "package" | "install" | "verify" | "deploy"));
    let resolves = builds || goals.iter().any(|g| g.starts_with("dependency:"));
    let repo = M2_PLUGINS + M2_PER_DEP * deps;
    if resolves {
        e.write(
            format!("{m2}/.layerlab-artifacts"),
            opaque(&["m2", &text], repo),
            0o644,
        );
    }
    let mut jar_note = String::new();
    if builds {
        let jar = JAR_BASE
            + if spring_boot {
                FAT_JAR_PER_DEP * deps.max(1)
            } else {
                0
            };
        let path = format!("{project}/target/{artifact}-{version}.{packaging}");
        e.write(path.clone(), opaque(&["jar", &text], jar), 0o644);
        e.mkdirs.push(format!("{project}/target/classes"));
        jar_note = format!("{path} {} + ", human(jar));
    }
    e.estimated = true;
    e.note = format!(
        "mvn {}: {jar_note}{} in {m2} (estimate: {deps} dependencies{})",
        goals.join(" "),
        human(if resolves { repo } else { 0 }),
        if spring_boot {
            ", Spring Boot fat jar"
        } else {
            ""
        }
    );
    PkgOutcome::Done(e)
}

/// The first `<tag>value</tag>` outside `<parent>` and `<dependencies>` (good enough for a pom).
fn xml_value(text: &str, tag: &str) -> Option<String> {
    let mut t = text.to_string();
    for block in [
        "parent",
        "dependencies",
        "build",
        "dependencyManagement",
        "properties",
    ] {
        // Bounded: a pom has a handful of these blocks; a hostile one must not cost O(n²).
        for _ in 0..64 {
            let (Some(s), Some(end)) = (
                t.find(&format!("<{block}>")),
                t.find(&format!("</{block}>")),
            ) else {
                break;
            };
            if end < s {
                break;
            }
            t.replace_range(s..end + block.len() + 3, "");
        }
    }
    let open = format!("<{tag}>");
    let start = t.find(&open)? + open.len();
    let end = t[start..].find(&format!("</{tag}>"))? + start;
    Some(t[start..end].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{env_of, no_vars, MemFs};
    use super::super::{run as pkg_run, Effect, PkgOutcome};

    fn run_cmd(fs: &MemFs, cmd: &str) -> PkgOutcome {
        let env = env_of(fs, "/src", &no_vars, 0);
        let argv: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
        pkg_run(&argv, &env)
    }

    fn done(o: PkgOutcome) -> Effect {
        match o {
            PkgOutcome::Done(e) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn go_build_writes_the_output_and_caches() {
        let fs = MemFs::default()
            .with("/usr/local/go/bin/go", "")
            .with("/src/go.mod", "module example.com/hello\n\ngo 1.23\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v1.2.0\n)\n")
            .dir("/out");
        let vars = |k: &str| match k {
            "PATH" => Some("/usr/local/go/bin:/usr/bin".to_string()),
            "GOPATH" => Some("/go".to_string()),
            _ => None,
        };
        let env = env_of(&fs, "/src", &vars, 0);
        let argv: Vec<String> = "go build -o /out/app ."
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let e = done(pkg_run(&argv, &env));
        let bin = e.writes.iter().find(|w| w.path == "/out/app").unwrap();
        assert_eq!(
            bin.content.len(),
            super::GO_BINARY_BASE + 2 * super::GO_BINARY_PER_MODULE
        );
        assert!(e.writes.iter().any(|w| w.path.starts_with("/go/pkg/mod/")));
        assert!(e
            .writes
            .iter()
            .any(|w| w.path.starts_with("/root/.cache/go-build/")));
        assert!(e.estimated);
        let argv: Vec<String> = "go build ."
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert!(done(pkg_run(&argv, &env))
            .writes
            .iter()
            .any(|w| w.path == "/src/hello"));
        let nomod = MemFs::default().with("/usr/local/go/bin/go", "");
        let env = env_of(&nomod, "/src", &vars, 0);
        assert!(matches!(
            pkg_run(&argv, &env),
            PkgOutcome::Failed { exit_code: 1, .. }
        ));
    }

    #[test]
    fn cargo_release_and_debug_targets() {
        let fs = MemFs::default()
            .with("/usr/local/bin/cargo", "")
            .with("/src/Cargo.toml", "[package]\nname = \"hello\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\ntokio = { version = \"1\" }\n");
        let rel = done(run_cmd(&fs, "cargo build --release"));
        assert!(rel
            .writes
            .iter()
            .any(|w| w.path == "/src/target/release/hello"));
        let dbg = done(run_cmd(&fs, "cargo build"));
        let size = |e: &Effect, p: &str| {
            e.writes
                .iter()
                .find(|w| w.path == p)
                .map(|w| w.content.len())
                .unwrap()
        };
        assert_eq!(
            size(&dbg, "/src/target/debug/hello"),
            4 * size(&rel, "/src/target/release/hello")
        );
        assert!(rel
            .writes
            .iter()
            .any(|w| w.path.starts_with("/root/.cargo/registry/")));
        let none = MemFs::default().with("/usr/local/bin/cargo", "");
        assert!(matches!(
            run_cmd(&none, "cargo build"),
            PkgOutcome::Failed { exit_code: 101, .. }
        ));
    }

    #[test]
    fn maven_package_writes_jar_and_m2() {
        let pom = "<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>\
<artifactId>demo</artifactId><version>0.0.1-SNAPSHOT</version><dependencies><dependency><artifactId>x</artifactId></dependency></dependencies>\
<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>";
        let fs = MemFs::default()
            .with("/usr/bin/mvn", "")
            .with("/src/pom.xml", pom);
        let e = done(run_cmd(&fs, "mvn -B -DskipTests package"));
        assert!(
            e.writes
                .iter()
                .any(|w| w.path == "/src/target/demo-0.0.1-SNAPSHOT.jar"),
            "{:?}",
            e.writes
        );
        assert!(e
            .writes
            .iter()
            .any(|w| w.path == "/root/.m2/repository/.layerlab-artifacts"));
        let none = MemFs::default().with("/usr/bin/mvn", "");
        assert!(matches!(
            run_cmd(&none, "mvn package"),
            PkgOutcome::Failed { exit_code: 1, .. }
        ));
    }
}
