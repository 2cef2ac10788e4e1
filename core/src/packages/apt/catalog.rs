//! What we know of Debian packages besides the measured table (`data::apt()`): the command
//! files a package puts on PATH (so a later RUN finds `curl`), and the closures a base image's
//! `apt-get install` layer holds.

use super::super::data::{self, AptData};
use std::collections::BTreeSet;

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

pub(super) fn pkg_name(apt: &AptData, i: usize) -> &'static str {
    apt.packages.get(i).map_or("", |p| p.name)
}
