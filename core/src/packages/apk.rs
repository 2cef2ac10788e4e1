//! `apk add / del / update / cache clean` on Alpine.
//!
//! shared/package-sizes has no Alpine measurements, so every size here is an ESTIMATE (installed
//! size of the package with its usual dependencies on a bare alpine image, from the Alpine package
//! index as we remember it) and every effect says so. The rule that matters for learners is
//! exact, though: without `--no-cache`, apk keeps the repository indexes it fetched in
//! `/var/cache/apk` (hadolint DL3019), with `--no-cache` it keeps nothing; `apk del` of a
//! `--virtual` group removes what it added, but the bytes stay in the earlier layer.

use super::util::{self, human, opaque};
use super::{Effect, PkgEnv, PkgOutcome};
use crate::content::Content;

/// Estimated installed bytes (package + usual dependencies on bare alpine) and commands.
const PACKAGES: &[(&str, u64, &[&str])] = &[
    ("curl", 4_400_000, &["/usr/bin/curl"]),
    ("wget", 1_600_000, &["/usr/bin/wget"]),
    ("bash", 1_600_000, &["/bin/bash"]),
    ("git", 17_000_000, &["/usr/bin/git"]),
    (
        "openssh-client",
        3_600_000,
        &["/usr/bin/ssh", "/usr/bin/scp"],
    ),
    ("openssh", 5_000_000, &["/usr/bin/ssh", "/usr/sbin/sshd"]),
    (
        "ca-certificates",
        700_000,
        &["/etc/ssl/certs/ca-certificates.crt"],
    ),
    ("tzdata", 600_000, &[]),
    (
        "build-base",
        230_000_000,
        &[
            "/usr/bin/gcc",
            "/usr/bin/g++",
            "/usr/bin/make",
            "/usr/bin/cc",
        ],
    ),
    ("gcc", 150_000_000, &["/usr/bin/gcc", "/usr/bin/cc"]),
    ("g++", 185_000_000, &["/usr/bin/g++"]),
    ("make", 300_000, &["/usr/bin/make"]),
    ("musl-dev", 3_000_000, &[]),
    ("libc-dev", 3_000_000, &[]),
    ("linux-headers", 7_000_000, &[]),
    ("python3", 45_000_000, &["/usr/bin/python3"]),
    ("py3-pip", 15_000_000, &["/usr/bin/pip3", "/usr/bin/pip"]),
    ("nodejs", 60_000_000, &["/usr/bin/node"]),
    ("npm", 10_000_000, &["/usr/bin/npm", "/usr/bin/npx"]),
    ("openjdk17-jre-headless", 190_000_000, &["/usr/bin/java"]),
    (
        "openjdk17-jdk",
        260_000_000,
        &["/usr/bin/java", "/usr/bin/javac"],
    ),
    ("go", 250_000_000, &["/usr/bin/go"]),
    ("rust", 300_000_000, &["/usr/bin/rustc"]),
    ("cargo", 340_000_000, &["/usr/bin/cargo", "/usr/bin/rustc"]),
    ("postgresql-client", 8_000_000, &["/usr/bin/psql"]),
    ("postgresql-dev", 12_000_000, &[]),
    ("libpq", 1_000_000, &[]),
    ("jq", 1_000_000, &["/usr/bin/jq"]),
    ("vim", 30_000_000, &["/usr/bin/vim"]),
    ("nano", 1_500_000, &["/bin/nano"]),
    ("less", 300_000, &["/usr/bin/less"]),
    (
        "shadow",
        2_000_000,
        &[
            "/usr/sbin/useradd",
            "/usr/sbin/groupadd",
            "/usr/sbin/usermod",
        ],
    ),
    ("sudo", 3_000_000, &["/usr/bin/sudo"]),
    ("su-exec", 30_000, &["/sbin/su-exec"]),
    ("tini", 30_000, &["/sbin/tini"]),
    ("dumb-init", 50_000, &["/usr/bin/dumb-init"]),
    ("coreutils", 7_000_000, &[]),
    ("findutils", 600_000, &[]),
    ("grep", 600_000, &[]),
    ("tar", 500_000, &[]),
    ("unzip", 300_000, &["/usr/bin/unzip"]),
    ("zip", 500_000, &["/usr/bin/zip"]),
    ("openssl", 1_500_000, &["/usr/bin/openssl"]),
    ("openssl-dev", 3_000_000, &[]),
    ("libffi-dev", 150_000, &[]),
    ("zlib-dev", 200_000, &[]),
    ("gnupg", 6_000_000, &["/usr/bin/gpg"]),
    ("ffmpeg", 80_000_000, &["/usr/bin/ffmpeg"]),
    (
        "imagemagick",
        40_000_000,
        &["/usr/bin/magick", "/usr/bin/convert"],
    ),
    ("nginx", 1_500_000, &["/usr/sbin/nginx"]),
    ("redis", 6_000_000, &["/usr/bin/redis-server"]),
    ("sqlite", 1_500_000, &["/usr/bin/sqlite3"]),
    ("icu-libs", 37_000_000, &[]),
    ("libstdc++", 2_600_000, &[]),
];
/// The command files an Alpine package installs (empty when we know none).
pub fn commands_of(pkg: &str) -> &'static [&'static str] {
    PACKAGES
        .iter()
        .find(|(p, _, _)| *p == pkg)
        .map_or(&[], |(_, _, c)| c)
}

/// A package not in the table (estimate).
const UNKNOWN_PACKAGE: u64 = 2_000_000;
/// `/var/cache/apk/APKINDEX.*.tar.gz` for main and community (estimates, Alpine 3.2x).
const INDEXES: [(&str, u64); 2] = [
    ("APKINDEX.main.tar.gz", 560_000),
    ("APKINDEX.community.tar.gz", 1_500_000),
];
/// /lib/apk/db/installed grows by about this per package (file list + checksums).
const DB_PER_PACKAGE: u64 = 2_500;

#[derive(Default)]
struct ApkArgs {
    command: Option<String>,
    packages: Vec<String>,
    no_cache: bool,
    update: bool,
    virtual_name: Option<String>,
}

fn parse_args(args: &[&str]) -> ApkArgs {
    let mut a = ApkArgs::default();
    let mut i = 0;
    while let Some(&arg) = args.get(i) {
        match arg {
            "--no-cache" => a.no_cache = true,
            "-U" | "--update" | "--update-cache" => a.update = true,
            "-t" | "--virtual" => {
                a.virtual_name = args.get(i + 1).map(|s| s.to_string());
                i += 1;
            }
            "-X" | "--repository" | "-p" | "--root" | "--arch" | "--keys-dir" | "--cache-dir" => {
                i += 1
            }
            s if s.starts_with("--virtual=") => a.virtual_name = Some(s[10..].to_string()),
            s if s.starts_with('-') => {}
            s if a.command.is_none() => a.command = Some(s.to_string()),
            s => a.packages.push(s.to_string()),
        }
        i += 1;
    }
    a
}

fn not_root() -> PkgOutcome {
    PkgOutcome::Failed {
        exit_code: 99,
        message: "ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied".into(),
    }
}

pub fn run(args: &[&str], env: &PkgEnv) -> PkgOutcome {
    let a = parse_args(args);
    match a.command.as_deref() {
        Some("add") => add(&a, env),
        Some("del") => del(&a, env),
        Some("update") => {
            if env.uid != 0 {
                return not_root();
            }
            let mut e = Effect::default();
            write_indexes(&mut e);
            e.estimated = true;
            e.note = format!(
                "apk update: repository indexes, {} in /var/cache/apk (estimate)",
                human(e.written_bytes())
            );
            PkgOutcome::Done(e)
        }
        Some("cache")
            if a.packages.first().map(String::as_str) == Some("clean")
                || a.packages.first().map(String::as_str) == Some("purge") =>
        {
            let removes = env
                .fs
                .list_dir("/var/cache/apk")
                .into_iter()
                .map(|n| format!("/var/cache/apk/{n}"))
                .collect();
            PkgOutcome::Done(Effect {
                removes,
                note: "apk cache clean".into(),
                ..Effect::default()
            })
        }
        Some("upgrade") | Some("info") | Some("version") | Some("search") | Some("policy")
        | Some("stats") => PkgOutcome::Done(Effect::default()),
        Some(other) => PkgOutcome::Unknown {
            reason: format!("`apk {other}` is not modelled"),
        },
        None => PkgOutcome::Done(Effect::default()),
    }
}

fn write_indexes(e: &mut Effect) {
    for (name, size) in INDEXES {
        e.write(
            format!("/var/cache/apk/{name}"),
            opaque(&["apkindex", name], size),
            0o644,
        );
    }
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-._".contains(c))
}

fn installed(env: &PkgEnv, pkg: &str) -> bool {
    env.fs.exists(&format!("/lib/apk/db/.layerlab/{pkg}"))
}

fn add(a: &ApkArgs, env: &PkgEnv) -> PkgOutcome {
    if env.uid != 0 {
        return not_root();
    }
    let mut e = Effect::default();
    let mut names = Vec::new();
    for p in &a.packages {
        let name = p.split(['=', '<', '>', '~']).next().unwrap_or(p);
        if !valid_name(name) {
            return PkgOutcome::Failed {
                exit_code: 1,
                message: format!("ERROR: '{p}' is not a valid world dependency"),
            };
        }
        names.push(name.to_string());
    }
    let mut guessed = Vec::new();
    let mut added = Vec::new();
    for n in &names {
        if installed(env, n) {
            continue;
        }
        let (size, cmds) = PACKAGES.iter().find(|(p, _, _)| p == n).map_or_else(
            || {
                guessed.push(n.clone());
                (UNKNOWN_PACKAGE, &[][..])
            },
            |(_, s, c)| (*s, *c),
        );
        let mut left = size;
        for c in cmds {
            let s = (size / 4 / cmds.len() as u64).min(1_500_000);
            left -= s.min(left);
            e.write(*c, opaque(&["apk-cmd", n, c], s), 0o755);
        }
        e.write(
            format!("/usr/lib/.layerlab-apk/{n}"),
            opaque(&["apk", n], left),
            0o644,
        );
        e.write(
            format!("/lib/apk/db/.layerlab/{n}"),
            Content::from_text(&format!(
                "{}\n",
                a.virtual_name.as_deref().unwrap_or("world")
            )),
            0o644,
        );
        added.push(n.clone());
    }
    if !added.is_empty() {
        let old = env
            .fs
            .read("/lib/apk/db/installed")
            .unwrap_or_else(Content::empty);
        e.write(
            "/lib/apk/db/installed",
            old.append(&opaque(
                &["apk-db", &added.join(" ")],
                DB_PER_PACKAGE * added.len() as u64,
            )),
            0o644,
        );
        let world = util::read_text(env.fs, "/etc/apk/world").unwrap_or_default();
        let mut lines: Vec<String> = world.lines().map(str::to_string).collect();
        match &a.virtual_name {
            Some(v) => lines.push(v.clone()),
            None => lines.extend(added.iter().cloned()),
        }
        crate::sorting::sort(&mut lines);
        lines.dedup();
        e.write(
            "/etc/apk/world",
            Content::from_text(&(lines.join("\n") + "\n")),
            0o644,
        );
    }
    if !a.no_cache {
        // apk keeps the indexes it fetched unless told not to (DL3019).
        write_indexes(&mut e);
    }
    e.estimated = true;
    let total = e.written_bytes();
    e.stdout = format!("OK: {} packages added\n", added.len());
    e.note = format!(
        "apk add{} {}: {} packages, {} (estimate: no Alpine measurements){}{}",
        if a.no_cache { " --no-cache" } else { "" },
        names.join(" "),
        added.len(),
        human(total),
        if a.no_cache {
            String::new()
        } else {
            "; indexes kept in /var/cache/apk (use --no-cache)".to_string()
        },
        if guessed.is_empty() {
            String::new()
        } else {
            format!("; not in the table: {}", guessed.join(", "))
        }
    );
    PkgOutcome::Done(e)
}

fn del(a: &ApkArgs, env: &PkgEnv) -> PkgOutcome {
    if env.uid != 0 {
        return not_root();
    }
    let mut e = Effect::default();
    let marks = env.fs.list_dir("/lib/apk/db/.layerlab");
    for target in &a.packages {
        for pkg in &marks {
            let mark = format!("/lib/apk/db/.layerlab/{pkg}");
            let group = util::read_text(env.fs, &mark).unwrap_or_default();
            if pkg == target || group.trim() == target {
                e.removes.push(format!("/usr/lib/.layerlab-apk/{pkg}"));
                e.removes.push(mark);
                if let Some((_, _, cmds)) = PACKAGES.iter().find(|(p, _, _)| p == pkg) {
                    e.removes.extend(cmds.iter().map(|c| c.to_string()));
                }
            }
        }
    }
    e.note =
        "apk del: files removed (whiteouts; in a later RUN the bytes stay in the earlier layer)"
            .into();
    PkgOutcome::Done(e)
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{env_of, no_vars, MemFs};
    use super::super::{run as pkg_run, Effect, PkgOutcome};

    fn alpine() -> MemFs {
        MemFs::default()
            .with("/sbin/apk", "")
            .with("/etc/apk/world", "alpine-baselayout\nbusybox\n")
            .dir("/var/cache/apk")
    }

    fn run_cmd(fs: &MemFs, cmd: &str, uid: u32) -> PkgOutcome {
        let env = env_of(fs, "/", &no_vars, uid);
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
    fn no_cache_keeps_no_index() {
        let with = done(run_cmd(&alpine(), "apk add curl", 0));
        let without = done(run_cmd(&alpine(), "apk add --no-cache curl", 0));
        assert_eq!(
            with.written_bytes() - without.written_bytes(),
            560_000 + 1_500_000
        );
        assert!(with
            .writes
            .iter()
            .any(|w| w.path == "/var/cache/apk/APKINDEX.main.tar.gz"));
        assert!(without.estimated && without.note.contains("estimate"));
        assert!(without.writes.iter().any(|w| w.path == "/usr/bin/curl"));
    }

    #[test]
    fn virtual_groups_are_deleted_together_and_non_root_fails() {
        let mut fs = alpine();
        let e = done(run_cmd(
            &fs,
            "apk add --no-cache --virtual .build-deps gcc musl-dev",
            0,
        ));
        fs.apply(&e);
        let d = done(run_cmd(&fs, "apk del .build-deps", 0));
        assert!(d
            .removes
            .contains(&"/usr/lib/.layerlab-apk/gcc".to_string()));
        assert!(d
            .removes
            .contains(&"/usr/lib/.layerlab-apk/musl-dev".to_string()));
        assert!(matches!(
            run_cmd(&fs, "apk add curl", 1000),
            PkgOutcome::Failed { exit_code: 99, .. }
        ));
    }
}
