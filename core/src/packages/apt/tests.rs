//! apt-get against the measured table: updates, single and united installs, `-y`, unknown
//! packages, slim-image quirks, base-image packages, clean and remove.

use super::super::data;
use super::super::util::testing::{debian, env_of, no_vars, MemFs};
use super::super::{run as pkg_run, PkgOutcome};
use super::dpkg::{DPKG_DB_PER_PACKAGE, LOG_PER_PACKAGE};
use super::*;
use std::collections::BTreeSet;

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
    let expected =
        git.layer_bytes + payload + (DPKG_DB_PER_PACKAGE + LOG_PER_PACKAGE) * extra.len() as u64;
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
