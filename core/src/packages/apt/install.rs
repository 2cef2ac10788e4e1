//! `apt-get install`: which packages an install adds (named packages and their measured
//! closures, minus what is installed), the checks apt makes first (lists present, root, `-y`,
//! the slim images' JRE man1 quirk), and the size model of the layer: measured for the largest
//! measured closure, fitted per package for the rest, plus docs and .debs when the image keeps
//! them.

use super::super::data;
use super::super::util::{self, human, opaque};
use super::super::{Effect, PkgEnv, PkgOutcome};
use super::{catalog, dpkg, lists, locate_error, not_root_dpkg, package_name, AptArgs};
use std::collections::BTreeSet;

/// `.pyc` bytes per `.py` byte for Debian's Python 3.11 packages (package-sizes README).
const PYC_PER_PY_PERMILLE: u64 = 1_150;
/// A package not in the measured table: its payload is a guess (estimate, flagged).
const UNKNOWN_PACKAGE_PAYLOAD: u64 = 2_000_000;
/// .deb size ≈ 0.35 × slim payload (median gzip ratio of install layers in the README).
const DEB_PER_PAYLOAD_PERMILLE: u64 = 350;

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

/// One package the install adds.
struct NewPackage {
    name: String,
    payload: u64,
    /// Bytes of docs, man pages and translations the slim images' dpkg excludes drop.
    docs: u64,
    py: u64,
}

/// What an install adds, decided from the named packages before anything is written.
struct Resolution {
    /// Packages not installed yet: the union of the named ones' closures, then unknown names.
    new: Vec<NewPackage>,
    /// The measured install with the largest layer whose closure is all new: it anchors the
    /// sizes (its layer is taken as measured, the other new packages are fitted).
    anchor: Option<&'static data::AptInstall>,
}

/// Whether the layer size is measured or an estimate, and why (for the note).
#[derive(Default)]
struct Basis {
    estimated: bool,
    reasons: Vec<String>,
}

impl Basis {
    fn because(&mut self, reason: String) {
        self.estimated = true;
        self.reasons.push(reason);
    }
}

pub(super) fn install(a: &AptArgs, env: &PkgEnv, tool: &str) -> PkgOutcome {
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
    if !lists::lists_present(env) {
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
    let (codename, ubuntu) = lists::suite(env);
    let mut basis = Basis {
        estimated: codename != "bookworm" || ubuntu,
        reasons: Vec::new(),
    };
    let res = resolve(&names, env, recommends, &mut basis);
    let new = &res.new;
    if new.is_empty() {
        return PkgOutcome::Done(Effect {
            stdout: format!("{head}{} is already the newest version.\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n", names.join(" ")),
            note: format!("{tool} install {}: already installed, nothing added", names.join(" ")),
            ..Effect::default()
        });
    }
    if let Some(failed) = jre_without_man1(env, new) {
        return failed;
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

    let mut e = write_layer(env, &names, &res, &mut basis);
    let total = e.written_bytes();
    let estimated = basis.estimated;
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
    let data_for = if codename == "bookworm" && !ubuntu {
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
        "{tool} install{rec} {}: {} packages, {} ({how}, {data_for}){}",
        names.join(" "),
        new.len(),
        human(total),
        if basis.reasons.is_empty() {
            String::new()
        } else {
            format!("; {}", basis.reasons.join("; "))
        }
    );
    PkgOutcome::Done(e)
}

/// The union of the named packages' closures minus what is installed; the measured install
/// with the largest layer anchors the sizes.
fn resolve(names: &[String], env: &PkgEnv, recommends: bool, basis: &mut Basis) -> Resolution {
    let apt = data::apt();
    let mut union: BTreeSet<usize> = BTreeSet::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut anchor: Option<&data::AptInstall> = None;
    for n in names {
        if dpkg::installed(env, n) {
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
            basis.because(format!("{n}: dependencies not measured"));
        } else {
            unknown.push(n.clone());
            basis.because(format!(
                "{n}: not in the measured table, {} guessed",
                human(UNKNOWN_PACKAGE_PAYLOAD)
            ));
        }
    }
    let already: Vec<usize> = union
        .iter()
        .copied()
        .filter(|&i| dpkg::installed(env, catalog::pkg_name(apt, i)))
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
                .filter(|n| !dpkg::installed(env, n))
                .map(|n| NewPackage {
                    name: n.clone(),
                    payload: UNKNOWN_PACKAGE_PAYLOAD,
                    docs: 0,
                    py: 0,
                }),
        )
        .collect();
    Resolution { new, anchor }
}

/// On slim images the JRE's postinst fails: slimming removed /usr/share/man/man1.
fn jre_without_man1(env: &PkgEnv, new: &[NewPackage]) -> Option<PkgOutcome> {
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
        return Some(PkgOutcome::Failed {
            exit_code: 100,
            message: format!(
                "update-alternatives: error: error creating symbolic link '/usr/share/man/man1/java.1.gz.dpkg-tmp': No such file or directory\n\
dpkg: error processing package {jre}:amd64 (--configure):\n installed {jre}:amd64 package post-installation script subprocess returned error exit status 2\n\
Errors were encountered while processing:\n {jre}:amd64\nE: Sub-process /usr/bin/dpkg returned an error code (1)"
            ),
        });
    }
    None
}

/// The layer of an install: the packages' files, dpkg's database, debconf, `.pyc`s, logs and,
/// when the image keeps them, docs and .debs. Sizes are measured for the anchor's closure and
/// fitted per package for the rest.
fn write_layer(env: &PkgEnv, names: &[String], res: &Resolution, basis: &mut Basis) -> Effect {
    let apt = data::apt();
    let new = &res.new;
    let anchor = res.anchor;
    // Parts of the layer: measured for the anchor's closure, fitted for the rest.
    let anchor_set: BTreeSet<&str> = anchor
        .map(|m| {
            m.closure
                .iter()
                .map(|&i| catalog::pkg_name(apt, i))
                .collect()
        })
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
                m.dpkg_db_bytes + dpkg::DPKG_DB_PER_PACKAGE * n_extra,
                m.debconf_bytes,
                m.log_bytes + dpkg::LOG_PER_PACKAGE * n_extra,
                m.pyc_bytes + extra_pyc,
                m.layer_bytes.saturating_sub(fixed),
            )
        }
        None => {
            let n = new.len() as u64;
            (
                dpkg::DPKG_DB_FIXED + dpkg::DPKG_DB_PER_PACKAGE * n,
                0,
                dpkg::LOG_FIXED + dpkg::LOG_PER_PACKAGE * n,
                extra_pyc,
                0,
            )
        }
    };
    if !extra.is_empty() && anchor.is_some() {
        basis.estimated = true;
    }
    // The measurements are on a slim image, whose dpkg config drops docs and man pages. Without
    // that config (debian:bookworm, buildpack-deps-based images) dpkg installs them too.
    let keeps_docs = !env.fs.exists("/etc/dpkg/dpkg.cfg.d/docker")
        && !env.fs.exists("/etc/dpkg/dpkg.cfg.d/excludes");
    if keeps_docs {
        basis.because("docs and man pages kept (no slim dpkg excludes)".into());
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
        dpkg::package_files(&mut e, &p.name, share);
    }
    for p in &extra {
        dpkg::package_files(&mut e, &p.name, p.payload + docs_of(p));
    }
    let new_names: Vec<&str> = new.iter().map(|p| p.name.as_str()).collect();
    dpkg::write_database(&mut e, &new_names, dpkg_db, &seed);
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
    dpkg::write_logs(&mut e, env, logs, &seed);
    // Without the Debian image's docker-clean config, apt keeps the downloaded .debs.
    let keeps_debs = !env.fs.exists("/etc/apt/apt.conf.d/docker-clean");
    if keeps_debs {
        for p in new {
            let size = p.payload * DEB_PER_PAYLOAD_PERMILLE / 1000;
            e.write(
                format!("/var/cache/apt/archives/{}_amd64.deb", p.name),
                opaque(&["deb", &p.name], size),
                0o644,
            );
        }
        basis.because("downloaded .debs stay in /var/cache/apt/archives (no docker-clean)".into());
    }
    e
}
