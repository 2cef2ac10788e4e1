//! `apt-get` / `apt`: update, install, clean, dist-clean, remove/purge, autoremove, upgrade.
//!
//! Sizes come from real installs on a reconstructed debian:bookworm-slim (`apt.tsv`, from
//! shared/package-sizes): a single `apt-get install -y PKG` adds exactly the measured layer; for
//! several packages the closures are united (a package two closures share is counted once) and
//! the packages outside the largest measured closure add their slim payload plus the per-package
//! dpkg-database and log growth fitted on the measurements (estimate). The files are real paths,
//! so `rm -rf /var/lib/apt/lists/*` or `apt-get clean` work through the normal fs.

use super::data::{self, AptData};
use super::util::{self, human, opaque};
use super::{Effect, PkgEnv, PkgOutcome};
use crate::content::Content;
use std::collections::BTreeSet;

/// dpkg database growth of an install: fixed part (status + status-old rewritten) and per new
/// package (info/*.list, md5sums…): fitted on apt.tsv's `dpkg_db_bytes` (1 package: 155,871 B;
/// 387 packages: 5,051,168 B).
const DPKG_DB_FIXED: u64 = 143_000;
const DPKG_DB_PER_PACKAGE: u64 = 13_000;
/// /var/log growth (dpkg.log, apt/history.log, term.log): 5,984 B for one package, 326,239 B for 387.
const LOG_FIXED: u64 = 5_200;
const LOG_PER_PACKAGE: u64 = 840;
/// `.pyc` bytes per `.py` byte for Debian's Python 3.11 packages (package-sizes README).
const PYC_PER_PY_PERMILLE: u64 = 1_150;
/// A package not in the measured table: its payload is a guess (estimate, flagged).
const UNKNOWN_PACKAGE_PAYLOAD: u64 = 2_000_000;
/// .deb size ≈ 0.35 × slim payload (median gzip ratio of install layers in the README).
const DEB_PER_PAYLOAD_PERMILLE: u64 = 350;

/// Command files a package puts on PATH (so a later RUN finds `curl`), by package name.
const COMMANDS: &[(&str, &[&str])] = &[
    ("curl", &["/usr/bin/curl"]),
    ("wget", &["/usr/bin/wget"]),
    ("git", &["/usr/bin/git"]),
    (
        "openssh-client",
        &["/usr/bin/ssh", "/usr/bin/scp", "/usr/bin/ssh-keygen"],
    ),
    ("gpg", &["/usr/bin/gpg"]),
    ("unzip", &["/usr/bin/unzip"]),
    ("zip", &["/usr/bin/zip"]),
    ("xz-utils", &["/usr/bin/xz"]),
    ("jq", &["/usr/bin/jq"]),
    ("vim", &["/usr/bin/vim.basic"]),
    ("nano", &["/usr/bin/nano"]),
    ("less", &["/usr/bin/less"]),
    (
        "procps",
        &[
            "/usr/bin/ps",
            "/usr/bin/top",
            "/usr/bin/free",
            "/usr/bin/pgrep",
        ],
    ),
    ("iproute2", &["/usr/bin/ip"]),
    ("iputils-ping", &["/usr/bin/ping"]),
    ("netcat-openbsd", &["/usr/bin/nc.openbsd"]),
    ("bind9-dnsutils", &["/usr/bin/dig", "/usr/bin/nslookup"]),
    ("sudo", &["/usr/bin/sudo"]),
    ("gcc-12", &["/usr/bin/gcc-12"]),
    ("gcc", &["/usr/bin/gcc", "/usr/bin/cc"]),
    ("g++", &["/usr/bin/g++", "/usr/bin/c++"]),
    ("make", &["/usr/bin/make"]),
    ("cmake", &["/usr/bin/cmake"]),
    ("pkg-config", &["/usr/bin/pkg-config"]),
    ("autoconf", &["/usr/bin/autoconf"]),
    ("automake", &["/usr/bin/automake"]),
    ("libtool", &["/usr/bin/libtoolize"]),
    ("python3.11-minimal", &["/usr/bin/python3.11"]),
    ("python3-minimal", &["/usr/bin/python3"]),
    ("python3-pip", &["/usr/bin/pip3", "/usr/bin/pip"]),
    ("nginx", &["/usr/sbin/nginx"]),
    ("apache2-bin", &["/usr/sbin/apache2"]),
    ("postgresql-client-15", &["/usr/bin/psql"]),
    ("mariadb-client", &["/usr/bin/mysql", "/usr/bin/mariadb"]),
    ("redis-tools", &["/usr/bin/redis-cli"]),
    ("sqlite3", &["/usr/bin/sqlite3"]),
    ("openjdk-17-jre-headless", &["/usr/bin/java"]),
    (
        "openjdk-17-jdk-headless",
        &["/usr/bin/javac", "/usr/bin/jar"],
    ),
    ("maven", &["/usr/bin/mvn"]),
    ("nodejs", &["/usr/bin/node", "/usr/bin/nodejs"]),
    ("npm", &["/usr/bin/npm", "/usr/bin/npx"]),
    ("golang-1.19-go", &["/usr/bin/go", "/usr/bin/gofmt"]),
    ("rustc", &["/usr/bin/rustc"]),
    ("cargo", &["/usr/bin/cargo"]),
    ("ruby", &["/usr/bin/ruby", "/usr/bin/gem"]),
    ("php8.2-cli", &["/usr/bin/php"]),
    ("imagemagick-6.q16", &["/usr/bin/convert"]),
    ("ffmpeg", &["/usr/bin/ffmpeg", "/usr/bin/ffprobe"]),
    ("supervisor", &["/usr/bin/supervisord"]),
    ("cron", &["/usr/sbin/cron"]),
    ("tini", &["/usr/bin/tini"]),
    ("dumb-init", &["/usr/bin/dumb-init"]),
    ("gosu", &["/usr/sbin/gosu"]),
    ("locales", &["/usr/sbin/locale-gen"]),
    ("ca-certificates", &["/etc/ssl/certs/ca-certificates.crt"]),
];

/// The command files a Debian package puts on PATH (empty when we know none).
pub fn commands_of(pkg: &str) -> &'static [&'static str] {
    COMMANDS
        .iter()
        .find(|(p, _)| *p == pkg)
        .map_or(&[], |(_, c)| c)
}

/// `pkgs` and every package their measured `--no-install-recommends` closures add, deduplicated
/// (what a base image's `apt-get install` layer has installed).
pub fn with_closures(pkgs: &[&str]) -> Vec<&'static str> {
    let apt = data::apt();
    let mut out: BTreeSet<&'static str> = BTreeSet::new();
    for p in pkgs {
        if let Some(m) = apt.install(p, false) {
            out.extend(
                m.closure
                    .iter()
                    .map(|&i| pkg_name(apt, i))
                    .filter(|n| !n.is_empty()),
            );
        }
        if let Some(i) = apt.package_index(p) {
            out.insert(pkg_name(apt, i));
        } else if let Some((name, _)) = COMMANDS.iter().find(|(n, _)| n == p) {
            out.insert(name);
        }
    }
    out.into_iter().collect()
}

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
        Some("update") => update(env, tool),
        Some("install") => install(&a, env, tool),
        Some("clean") | Some("autoclean") => clean(env, tool, false),
        Some("dist-clean") | Some("distclean") => clean(env, tool, true),
        Some("remove") | Some("purge") => remove(&a, env, tool),
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

/// The suite names of the running image, for list file names (bookworm when unknown).
fn suite(env: &PkgEnv) -> (String, bool) {
    let os = util::os_release(env.fs);
    let codename = if os.codename.is_empty() {
        "bookworm".to_string()
    } else {
        os.codename
    };
    let ubuntu = os.id == "ubuntu";
    (codename, ubuntu)
}

fn update(env: &PkgEnv, tool: &str) -> PkgOutcome {
    if env.uid != 0 {
        return PkgOutcome::Failed {
            exit_code: 100,
            message: "E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n\
E: Unable to lock directory /var/lib/apt/lists/"
                .into(),
        };
    }
    let (codename, ubuntu) = suite(env);
    let measured = codename == "bookworm" && !ubuntu;
    let mut e = Effect::default();
    for (path, size) in &data::apt().lists {
        let mut p = path.replace("bookworm", &codename);
        if ubuntu {
            p = p
                .replace(
                    "deb.debian.org_debian-security",
                    "security.ubuntu.com_ubuntu",
                )
                .replace("deb.debian.org_debian", "archive.ubuntu.com_ubuntu");
        }
        let content = opaque(&["apt-lists", &p], *size);
        if env.fs.read(&p).is_some_and(|old| old == content) {
            // "Hit:": an index that did not change is not rewritten (no copy-up).
            continue;
        }
        e.write(p.clone(), content, 0o644);
    }
    e.write("/var/lib/apt/lists/lock", Content::empty(), 0o640);
    e.mkdirs.push("/var/lib/apt/lists/partial".into());
    let total = e.written_bytes();
    e.estimated = !measured;
    e.stdout = format!(
        "Get:1 http://deb.debian.org/debian {codename} InRelease\nFetched {} in 1s\nReading package lists...\n",
        human(9_417_000)
    );
    e.note = format!(
        "{tool} update: {} index files, {} in /var/lib/apt/lists ({})",
        e.writes.iter().filter(|w| !w.content.is_empty()).count(),
        human(total),
        if measured {
            "measured, bookworm".to_string()
        } else {
            format!("estimate for {codename} from bookworm")
        }
    );
    PkgOutcome::Done(e)
}

/// True when `apt-get update` has run (the lists directory holds index files).
fn lists_present(env: &PkgEnv) -> bool {
    env.fs
        .list_dir("/var/lib/apt/lists")
        .iter()
        .any(|n| n != "lock" && n != "partial" && n != "auxfiles")
}

/// Whether the image's apt config turns recommends off (`APT::Install-Recommends "false";`).
fn recommends_from_config(env: &PkgEnv) -> bool {
    for name in env.fs.list_dir("/etc/apt/apt.conf.d").iter().take(64) {
        if let Some(text) = util::read_text(env.fs, &format!("/etc/apt/apt.conf.d/{name}")) {
            let t = text.to_ascii_lowercase().replace(' ', "");
            if t.contains("apt::install-recommends\"false\"")
                || t.contains("apt::install-recommends\"0\"")
            {
                return false;
            }
        }
    }
    true
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

fn installed(env: &PkgEnv, pkg: &str) -> bool {
    env.fs.exists(&format!("/var/lib/dpkg/info/{pkg}.list"))
}

/// One package the install adds.
struct NewPackage {
    name: String,
    payload: u64,
    /// Bytes of docs, man pages and translations the slim images' dpkg excludes drop.
    docs: u64,
    py: u64,
}

fn install(a: &AptArgs, env: &PkgEnv, tool: &str) -> PkgOutcome {
    if env.uid != 0 {
        return not_root_dpkg();
    }
    let head =
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";
    if a.packages.is_empty() {
        return PkgOutcome::Done(Effect {
            stdout: format!(
                "{head}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
            ),
            note: format!("{tool} install: nothing to install"),
            ..Effect::default()
        });
    }
    let mut names = Vec::new();
    for p in &a.packages {
        match package_name(p) {
            Some(n) => names.push(n),
            None => return locate_error(p),
        }
    }
    if !lists_present(env) {
        // With no lists apt knows no package at all (the image ships none: `apt-get update` first).
        return PkgOutcome::Failed {
            exit_code: 100,
            message: format!(
                "{head}E: Unable to locate package {}",
                names.first().map_or("", String::as_str)
            ),
        };
    }
    let recommends = a.recommends.unwrap_or_else(|| recommends_from_config(env));
    let apt = data::apt();
    let (codename, ubuntu) = suite(env);
    let mut estimated = codename != "bookworm" || ubuntu;
    let mut reasons: Vec<String> = Vec::new();

    // The union of closures; the measured install with the largest layer anchors the sizes.
    let mut union: BTreeSet<usize> = BTreeSet::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut anchor: Option<&data::AptInstall> = None;
    for n in &names {
        if installed(env, n) {
            // apt leaves an installed package (and its recommends) alone: "already the newest".
            continue;
        }
        if let Some(m) = apt.install(n, recommends) {
            union.extend(m.closure.iter().copied());
            if anchor.is_none_or(|x| m.layer_bytes > x.layer_bytes) {
                anchor = Some(m);
            }
        } else if let Some(i) = apt.package_index(n) {
            union.insert(i);
            estimated = true;
            reasons.push(format!("{n}: dependencies not measured"));
        } else {
            unknown.push(n.clone());
            estimated = true;
            reasons.push(format!(
                "{n}: not in the measured table, {} guessed",
                human(UNKNOWN_PACKAGE_PAYLOAD)
            ));
        }
    }
    let already: Vec<usize> = union
        .iter()
        .copied()
        .filter(|&i| installed(env, pkg_name(apt, i)))
        .collect();
    let anchor = anchor.filter(|m| !m.closure.iter().any(|i| already.contains(i)));
    let new: Vec<NewPackage> = union
        .iter()
        .filter(|i| !already.contains(i))
        .filter_map(|&i| apt.packages.get(i))
        .map(|p| NewPackage {
            name: p.name.to_string(),
            payload: p.slim_payload,
            docs: p.full_payload.saturating_sub(p.slim_payload),
            py: p.py_bytes,
        })
        .chain(
            unknown
                .iter()
                .filter(|n| !installed(env, n))
                .map(|n| NewPackage {
                    name: n.clone(),
                    payload: UNKNOWN_PACKAGE_PAYLOAD,
                    docs: 0,
                    py: 0,
                }),
        )
        .collect();
    if new.is_empty() {
        return PkgOutcome::Done(Effect {
            stdout: format!("{head}{} is already the newest version.\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n", names.join(" ")),
            note: format!("{tool} install {}: already installed, nothing added", names.join(" ")),
            ..Effect::default()
        });
    }
    let slim = env.fs.exists("/etc/dpkg/dpkg.cfg.d/docker");
    if slim
        && new
            .iter()
            .any(|p| p.name.starts_with("openjdk-") && p.name.ends_with("-jre-headless"))
        && !env.fs.is_dir("/usr/share/man/man1")
    {
        // Measured (package-sizes README): on slim images the JRE's postinst fails because
        // slimming removed /usr/share/man/man1 (docker-debian-artifacts #24); the usual
        // workaround is `mkdir -p /usr/share/man/man1` first.
        let jre = new
            .iter()
            .find(|p| p.name.ends_with("-jre-headless"))
            .map_or("openjdk-17-jre-headless", |p| p.name.as_str());
        return PkgOutcome::Failed {
            exit_code: 100,
            message: format!(
                "update-alternatives: error: error creating symbolic link '/usr/share/man/man1/java.1.gz.dpkg-tmp': No such file or directory\n\
dpkg: error processing package {jre}:amd64 (--configure):\n installed {jre}:amd64 package post-installation script subprocess returned error exit status 2\n\
Errors were encountered while processing:\n {jre}:amd64\nE: Sub-process /usr/bin/dpkg returned an error code (1)"
            ),
        };
    }
    if !a.yes && new.len() > names.len() {
        // apt asks before installing more than was named; a build has no terminal to answer.
        return PkgOutcome::Failed {
            exit_code: 1,
            message: format!(
                "{head}The following NEW packages will be installed:\n  {}\nDo you want to continue? [Y/n] Abort.",
                new.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(" ")
            ),
        };
    }

    // Parts of the layer: measured for the anchor's closure, fitted for the rest.
    let anchor_set: BTreeSet<&str> = anchor
        .map(|m| m.closure.iter().map(|&i| pkg_name(apt, i)).collect())
        .unwrap_or_default();
    let extra: Vec<&NewPackage> = new
        .iter()
        .filter(|p| !anchor_set.contains(p.name.as_str()))
        .collect();
    let n_extra = extra.len() as u64;
    let extra_pyc: u64 = extra
        .iter()
        .map(|p| p.py * PYC_PER_PY_PERMILLE / 1000)
        .sum();
    let (dpkg_db, debconf, logs, pyc, anchor_payload) = match anchor {
        Some(m) => {
            let fixed = m.dpkg_db_bytes + m.debconf_bytes + m.log_bytes + m.pyc_bytes;
            (
                m.dpkg_db_bytes + DPKG_DB_PER_PACKAGE * n_extra,
                m.debconf_bytes,
                m.log_bytes + LOG_PER_PACKAGE * n_extra,
                m.pyc_bytes + extra_pyc,
                m.layer_bytes.saturating_sub(fixed),
            )
        }
        None => {
            let n = new.len() as u64;
            (
                DPKG_DB_FIXED + DPKG_DB_PER_PACKAGE * n,
                0,
                LOG_FIXED + LOG_PER_PACKAGE * n,
                extra_pyc,
                0,
            )
        }
    };
    if !extra.is_empty() && anchor.is_some() {
        estimated = true;
    }
    // The measurements are on a slim image, whose dpkg config drops docs and man pages. Without
    // that config (debian:bookworm, buildpack-deps-based images) dpkg installs them too.
    let keeps_docs = !env.fs.exists("/etc/dpkg/dpkg.cfg.d/docker")
        && !env.fs.exists("/etc/dpkg/dpkg.cfg.d/excludes");
    if keeps_docs {
        estimated = true;
        reasons.push("docs and man pages kept (no slim dpkg excludes)".into());
    }
    let docs_of = |p: &NewPackage| if keeps_docs { p.docs } else { 0 };
    let anchor_payload = anchor_payload
        + new
            .iter()
            .filter(|p| anchor_set.contains(p.name.as_str()))
            .map(&docs_of)
            .sum::<u64>();

    let mut e = Effect::default();
    let seed = names.join(" ");
    // Payload: the anchor's measured payload split over its packages by their slim payload.
    let anchor_new: Vec<&NewPackage> = new
        .iter()
        .filter(|p| anchor_set.contains(p.name.as_str()))
        .collect();
    let anchor_nominal: u64 = anchor_new.iter().map(|p| p.payload).sum::<u64>().max(1);
    let mut assigned = 0u64;
    for (k, p) in anchor_new.iter().enumerate() {
        let share = if k + 1 == anchor_new.len() {
            anchor_payload.saturating_sub(assigned)
        } else {
            (p.payload as u128 * anchor_payload as u128 / anchor_nominal as u128) as u64
        };
        assigned += share;
        package_files(&mut e, &p.name, share);
    }
    for p in &extra {
        package_files(&mut e, &p.name, p.payload + docs_of(p));
    }
    // dpkg database: per-package info files, then status and status-old share the rest.
    let per_pkg_info = DPKG_DB_PER_PACKAGE.min(dpkg_db / (new.len() as u64 + 2));
    for p in &new {
        e.write(
            format!("/var/lib/dpkg/info/{}.list", p.name),
            opaque(&["dpkg-list", &p.name], per_pkg_info),
            0o644,
        );
    }
    let status_total = dpkg_db.saturating_sub(per_pkg_info * new.len() as u64);
    e.write(
        "/var/lib/dpkg/status",
        opaque(&["dpkg-status", &seed], status_total / 2),
        0o644,
    );
    e.write(
        "/var/lib/dpkg/status-old",
        opaque(&["dpkg-status-old", &seed], status_total - status_total / 2),
        0o644,
    );
    if debconf > 0 {
        e.write(
            "/var/cache/debconf/templates.dat",
            opaque(&["debconf", &seed], debconf / 2),
            0o644,
        );
        e.write(
            "/var/cache/debconf/templates.dat-old",
            opaque(&["debconf-old", &seed], debconf - debconf / 2),
            0o644,
        );
    }
    if pyc > 0 {
        e.write(
            format!(
                "/usr/lib/python3/dist-packages/__pycache__/.layerlab-pyc-{}",
                names.join("-")
            ),
            opaque(&["pyc", &seed], pyc),
            0o644,
        );
    }
    append_log(&mut e, env, "/var/log/dpkg.log", logs * 6 / 10, &seed);
    append_log(&mut e, env, "/var/log/apt/history.log", logs / 10, &seed);
    append_log(
        &mut e,
        env,
        "/var/log/apt/term.log",
        logs - logs * 6 / 10 - logs / 10,
        &seed,
    );
    // Without the Debian image's docker-clean config, apt keeps the downloaded .debs.
    let keeps_debs = !env.fs.exists("/etc/apt/apt.conf.d/docker-clean");
    if keeps_debs {
        estimated = true;
        for p in &new {
            let size = p.payload * DEB_PER_PAYLOAD_PERMILLE / 1000;
            e.write(
                format!("/var/cache/apt/archives/{}_amd64.deb", p.name),
                opaque(&["deb", &p.name], size),
                0o644,
            );
        }
        reasons.push("downloaded .debs stay in /var/cache/apt/archives (no docker-clean)".into());
    }
    let total = e.written_bytes();
    e.estimated = estimated;
    let setting_up: String = names
        .iter()
        .filter_map(|n| {
            apt.install(n, recommends)
                .map(|m| format!("Setting up {n} ({}) ...\n", m.version))
        })
        .collect();
    e.stdout = format!(
        "{head}The following NEW packages will be installed:\n  {}\n0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n{setting_up}",
        new.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(" "),
        new.len()
    );
    let how = if estimated { "estimate" } else { "measured" };
    let basis = if codename == "bookworm" && !ubuntu {
        "bookworm".to_string()
    } else {
        format!("bookworm data for {codename}")
    };
    let rec = if recommends {
        ""
    } else {
        " --no-install-recommends"
    };
    e.note = format!(
        "{tool} install{rec} {}: {} packages, {} ({how}, {basis}){}",
        names.join(" "),
        new.len(),
        human(total),
        if reasons.is_empty() {
            String::new()
        } else {
            format!("; {}", reasons.join("; "))
        }
    );
    PkgOutcome::Done(e)
}

fn pkg_name(apt: &AptData, i: usize) -> &'static str {
    apt.packages.get(i).map_or("", |p| p.name)
}

fn locate_error(arg: &str) -> PkgOutcome {
    PkgOutcome::Failed {
        exit_code: 100,
        message: format!("Reading package lists...\nBuilding dependency tree...\nReading state information...\nE: Unable to locate package {arg}"),
    }
}

/// A package's files: its commands (a nominal share of the payload) and the rest of its payload.
fn package_files(e: &mut Effect, pkg: &str, payload: u64) {
    let cmds: &[&str] = COMMANDS
        .iter()
        .find(|(p, _)| *p == pkg)
        .map_or(&[], |(_, c)| c);
    let mut left = payload;
    for c in cmds {
        let size = (payload / 2 / cmds.len().max(1) as u64).min(400_000);
        left -= size.min(left);
        e.write(*c, opaque(&["deb-cmd", pkg, c], size), 0o755);
    }
    // The copyright file slim images keep, and Debian 12's PEP 668 marker, out of the payload
    // (only when it has room: the layer total stays the measured one).
    let doc = format!("Package: {pkg}\n");
    if left >= doc.len() as u64 {
        left -= doc.len() as u64;
        e.write(
            format!("/usr/share/doc/{pkg}/copyright"),
            Content::from_text(&doc),
            0o644,
        );
    }
    const MARKER: &str = "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package you are trying to\n install.\n";
    if pkg == "libpython3.11-stdlib" && left >= MARKER.len() as u64 {
        left -= MARKER.len() as u64;
        e.write(
            "/usr/lib/python3.11/EXTERNALLY-MANAGED",
            Content::from_text(MARKER),
            0o644,
        );
    }
    e.write(
        format!("/usr/lib/x86_64-linux-gnu/.layerlab-deb/{pkg}"),
        opaque(&["deb-payload", pkg], left),
        0o644,
    );
}

/// Appends `bytes` to a log file (the layer stores the whole grown file, as overlayfs does).
fn append_log(e: &mut Effect, env: &PkgEnv, path: &str, bytes: u64, seed: &str) {
    let old = env.fs.read(path).unwrap_or_else(Content::empty);
    e.write(
        path,
        old.append(&opaque(&["log", path, seed], bytes)),
        0o644,
    );
}

fn clean(env: &PkgEnv, tool: &str, lists_too: bool) -> PkgOutcome {
    if env.uid != 0 {
        return not_root_dpkg();
    }
    let mut e = Effect::default();
    for name in env.fs.list_dir("/var/cache/apt/archives") {
        if name.ends_with(".deb") {
            e.removes.push(format!("/var/cache/apt/archives/{name}"));
        }
    }
    for name in env.fs.list_dir("/var/cache/apt") {
        if name.ends_with(".bin") {
            e.removes.push(format!("/var/cache/apt/{name}"));
        }
    }
    if lists_too {
        for name in env.fs.list_dir("/var/lib/apt/lists") {
            if name != "partial" && name != "lock" {
                e.removes.push(format!("/var/lib/apt/lists/{name}"));
            }
        }
    }
    e.note = format!(
        "{tool} {}: {} cached file(s) removed (a later layer cannot shrink the earlier ones)",
        if lists_too { "dist-clean" } else { "clean" },
        e.removes.len()
    );
    PkgOutcome::Done(e)
}

fn remove(a: &AptArgs, env: &PkgEnv, tool: &str) -> PkgOutcome {
    if env.uid != 0 {
        return not_root_dpkg();
    }
    let mut e = Effect::default();
    for p in &a.packages {
        let Some(name) = package_name(p) else {
            return locate_error(p);
        };
        if !installed(env, &name) {
            continue;
        }
        for c in COMMANDS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |(_, c)| c)
        {
            e.removes.push(c.to_string());
        }
        e.removes
            .push(format!("/usr/lib/x86_64-linux-gnu/.layerlab-deb/{name}"));
        e.removes.push(format!("/usr/share/doc/{name}"));
        e.removes.push(format!("/var/lib/dpkg/info/{name}.list"));
    }
    e.note =
        format!("{tool} remove: files removed (whiteouts; the bytes stay in the earlier layer)");
    PkgOutcome::Done(e)
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{debian, env_of, no_vars, MemFs};
    use super::super::{run as pkg_run, PkgOutcome};
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn run_on(fs: &MemFs, cmd: &str, uid: u32) -> PkgOutcome {
        let env = env_of(fs, "/", &no_vars, uid);
        pkg_run(&argv(cmd), &env)
    }

    fn done(o: PkgOutcome) -> Effect {
        match o {
            PkgOutcome::Done(e) => e,
            other => panic!("{other:?}"),
        }
    }

    fn updated() -> MemFs {
        let mut fs = debian();
        let e = done(run_on(&fs, "apt-get update", 0));
        fs.apply(&e);
        fs
    }

    #[test]
    fn update_writes_the_measured_lists() {
        let fs = debian();
        let e = done(run_on(&fs, "apt-get update", 0));
        assert_eq!(e.written_bytes(), 19_856_468);
        assert!(e.writes.iter().any(|w| w.path
            == "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"
            && w.content.len() == 18_840_233));
        assert!(!e.estimated);
        assert!(e.note.contains("19.9 MB"), "{}", e.note);
    }

    #[test]
    fn a_second_update_rewrites_nothing() {
        let fs = updated();
        let e = done(run_on(&fs, "apt-get update", 0));
        assert_eq!(e.written_bytes(), 0);
    }

    #[test]
    fn install_without_lists_fails_like_apt() {
        match run_on(&debian(), "apt-get install -y curl", 0) {
            PkgOutcome::Failed { exit_code, message } => {
                assert_eq!(exit_code, 100);
                assert!(
                    message.ends_with("E: Unable to locate package curl"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn install_as_non_root_fails() {
        match run_on(&updated(), "apt-get install -y curl", 1000) {
            PkgOutcome::Failed {
                exit_code: 100,
                message,
            } => assert!(message.contains("are you root?")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run_on(&debian(), "apt-get update", 1000),
            PkgOutcome::Failed { exit_code: 100, .. }
        ));
    }

    #[test]
    fn single_installs_are_exactly_the_measured_layers() {
        let fs = updated();
        let e = done(run_on(
            &fs,
            "apt-get install -y --no-install-recommends curl",
            0,
        ));
        assert_eq!(e.written_bytes(), 11_269_671);
        assert!(!e.estimated);
        assert!(
            e.note.contains("16 packages, 11.3 MB (measured, bookworm)"),
            "{}",
            e.note
        );
        assert!(e.writes.iter().any(|w| w.path == "/usr/bin/curl"));
        let e = done(run_on(&fs, "apt-get install -y curl", 0));
        assert_eq!(e.written_bytes(), 15_159_700);
        assert!(e.note.contains("22 packages"));
        // Recommends off through the image's apt config.
        let fs2 = updated().with(
            "/etc/apt/apt.conf.d/99norec",
            "APT::Install-Recommends \"false\";\n",
        );
        assert_eq!(
            done(run_on(&fs2, "apt-get install -y curl", 0)).written_bytes(),
            11_269_671
        );
    }

    #[test]
    fn several_packages_unite_their_closures() {
        let fs = updated();
        let apt = data::apt();
        let curl = apt.install("curl", false).unwrap();
        let git = apt.install("git", false).unwrap();
        let e = done(run_on(
            &fs,
            "apt-get install -y --no-install-recommends curl git",
            0,
        ));
        let union: BTreeSet<usize> = curl
            .closure
            .iter()
            .chain(git.closure.iter())
            .copied()
            .collect();
        assert!(e
            .stdout
            .contains(&format!("{} newly installed", union.len())));
        // git's measured layer anchors; curl's packages outside git's closure add their payload.
        let extra: Vec<usize> = curl
            .closure
            .iter()
            .copied()
            .filter(|i| !git.closure.contains(i))
            .collect();
        let payload: u64 = extra.iter().map(|&i| apt.packages[i].slim_payload).sum();
        let expected = git.layer_bytes
            + payload
            + (DPKG_DB_PER_PACKAGE + LOG_PER_PACKAGE) * extra.len() as u64;
        assert_eq!(e.written_bytes(), expected);
        // Concretely: git (91,162,468 B measured) + curl and libcurl4 (1,052,104 B of payload).
        assert_eq!(extra.len(), 2);
        assert_eq!(e.written_bytes(), 92_242_252);
        assert!(
            e.written_bytes() < git.layer_bytes + curl.layer_bytes,
            "union, not sum"
        );
        assert!(e.estimated);
    }

    #[test]
    fn yes_is_needed_when_more_packages_come_along() {
        assert!(matches!(
            run_on(&updated(), "apt-get install curl", 0),
            PkgOutcome::Failed { exit_code: 1, .. }
        ));
        assert!(matches!(
            run_on(&updated(), "apt-get -qq install curl", 0),
            PkgOutcome::Done(_)
        ));
        assert!(matches!(
            run_on(&updated(), "apt-get install unzip", 0),
            PkgOutcome::Done(_)
        ));
    }

    #[test]
    fn unknown_and_invalid_packages() {
        let e = done(run_on(
            &updated(),
            "apt-get install -y --no-install-recommends frobnicator",
            0,
        ));
        assert!(e.estimated);
        assert!(e.note.contains("not in the measured table"));
        match run_on(&updated(), "apt-get install -y Curl", 0) {
            PkgOutcome::Failed {
                exit_code: 100,
                message,
            } => assert!(message.contains("Unable to locate package Curl")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_jre_needs_man1_on_slim_images() {
        let fs = updated();
        match run_on(
            &fs,
            "apt-get install -y --no-install-recommends openjdk-17-jre-headless",
            0,
        ) {
            PkgOutcome::Failed {
                exit_code: 100,
                message,
            } => assert!(message.contains("java.1.gz.dpkg-tmp")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run_on(&fs, "apt-get install -y maven", 0),
            PkgOutcome::Failed { exit_code: 100, .. }
        ));
        let fixed = updated().dir("/usr/share/man/man1");
        let e = done(run_on(
            &fixed,
            "apt-get install -y --no-install-recommends openjdk-17-jre-headless",
            0,
        ));
        assert_eq!(
            e.written_bytes(),
            data::apt()
                .install("openjdk-17-jre-headless", false)
                .unwrap()
                .layer_bytes
        );
    }

    #[test]
    fn full_images_keep_docs() {
        let mut fs = updated();
        fs.files.remove("/etc/dpkg/dpkg.cfg.d/docker");
        let e = done(run_on(
            &fs,
            "apt-get install -y --no-install-recommends curl",
            0,
        ));
        let apt = data::apt();
        let docs: u64 = apt
            .install("curl", false)
            .unwrap()
            .closure
            .iter()
            .map(|&i| apt.packages[i].full_payload - apt.packages[i].slim_payload)
            .sum();
        assert_eq!(e.written_bytes(), 11_269_671 + docs);
        assert!(e.estimated && e.note.contains("docs and man pages kept"));
    }

    #[test]
    fn second_install_adds_nothing_and_clean_removes_lists() {
        let mut fs = updated();
        let e = done(run_on(
            &fs,
            "apt-get install -y --no-install-recommends unzip",
            0,
        ));
        assert_eq!(e.written_bytes(), 457_573);
        fs.apply(&e);
        let again = done(run_on(&fs, "apt-get install -y unzip", 0));
        assert!(again.writes.is_empty());
        let dc = done(run_on(&fs, "apt-get dist-clean", 0));
        assert_eq!(dc.removes.len(), 6);
    }

    #[test]
    fn packages_of_the_base_image_are_already_installed() {
        let mut fs = super::super::util::testing::from_image("node:22");
        fs.apply(&done(run_on(&fs, "apt-get update", 0)));
        let e = done(run_on(&fs, "apt-get install -y curl git", 0));
        assert!(e.writes.is_empty(), "{}", e.note);
        assert!(e.stdout.contains("already the newest version"));
        // On the slim variant they are new.
        let mut slim = super::super::util::testing::from_image("node:22-slim");
        slim.apply(&done(run_on(&slim, "apt-get update", 0)));
        let e = done(run_on(
            &slim,
            "apt-get install -y --no-install-recommends git",
            0,
        ));
        assert!(e.written_bytes() > 80_000_000, "{}", e.note);
    }

    #[test]
    fn debian_python_from_apt_is_externally_managed() {
        let mut fs = updated();
        let e = done(run_on(
            &fs,
            "apt-get install -y --no-install-recommends python3 python3-pip",
            0,
        ));
        assert!(e
            .writes
            .iter()
            .any(|w| w.path == "/usr/lib/python3.11/EXTERNALLY-MANAGED"));
        fs.apply(&e);
        match run_on(&fs, "pip3 install flask", 0) {
            PkgOutcome::Failed {
                exit_code: 1,
                message,
            } => assert!(message.contains("externally-managed")),
            other => panic!("{other:?}"),
        }
        // The way out: a virtualenv, whose pip installs into it.
        let venv = done(run_on(&fs, "python3 -m venv /venv", 0));
        assert!(
            venv.mkdirs
                .contains(&"/venv/lib/python3.11/site-packages".to_string()),
            "{:?}",
            venv.mkdirs
        );
        fs.apply(&venv);
        let e = done(run_on(&fs, "/venv/bin/pip install --no-cache-dir flask", 0));
        assert!(e.writes.iter().any(|w| w
            .path
            .starts_with("/venv/lib/python3.11/site-packages/flask/")));
    }

    #[test]
    fn not_mine_when_apt_is_absent() {
        let fs = MemFs::default();
        assert_eq!(run_on(&fs, "apt-get update", 0), PkgOutcome::NotMine);
    }
}
