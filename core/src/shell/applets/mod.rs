//! Applets: the commands the interpreter models, by name (busybox semantics and output formats;
//! the same code serves coreutils binaries of Debian images). Shell builtins are in `builtins`.

mod archive;
pub mod arith;
mod awk;
mod blocks;
pub mod builtins;
mod cformat;
mod checksum;
mod conditions;
mod errors;
mod files;
mod find;
mod info;
mod listing;
mod misc;
mod more;
mod opts;
mod perms;
mod print;
mod regex;
mod sed;
mod sort;
mod text;
mod useradd;

use super::exec::{Io, Shell, Status};

pub type AppletFn = fn(&mut Shell, &[String], &mut Io) -> Status;

const TABLE: &[(&str, AppletFn)] = &[
    ("cat", files::cat),
    ("cp", files::cp),
    ("mv", files::mv),
    ("rm", files::rm),
    ("rmdir", files::rmdir),
    ("mkdir", files::mkdir),
    ("touch", files::touch),
    ("ln", files::ln),
    ("chmod", perms::chmod),
    ("chown", perms::chown),
    ("chgrp", perms::chgrp),
    ("dd", blocks::dd),
    ("truncate", blocks::truncate),
    ("fallocate", blocks::fallocate),
    ("head", text::head),
    ("tail", text::tail),
    ("tee", files::tee),
    ("mktemp", files::mktemp),
    ("tar", archive::tar),
    ("echo", print::echo),
    ("printf", print::printf),
    ("test", conditions::test),
    ("[", conditions::test),
    ("[[", conditions::test),
    ("true", builtins::true_),
    ("false", builtins::false_),
    ("pwd", builtins::pwd),
    ("sh", builtins::sh),
    ("ash", builtins::sh),
    ("bash", builtins::sh),
    ("dash", builtins::sh),
    ("wc", text::wc),
    ("sort", sort::sort),
    ("uniq", sort::uniq),
    ("awk", awk::awk),
    ("sed", sed::sed),
    ("grep", text::grep),
    ("cut", text::cut),
    ("tr", text::tr),
    ("ls", listing::ls),
    ("find", find::find),
    ("stat", info::stat),
    ("id", info::id),
    ("whoami", info::whoami),
    ("env", info::env),
    ("printenv", info::printenv),
    ("which", info::which),
    ("basename", info::basename),
    ("dirname", info::dirname),
    ("seq", info::seq),
    ("sleep", info::sleep),
    ("uname", info::uname),
    ("nproc", info::nproc),
    ("hostname", info::hostname),
    ("readlink", info::readlink),
    ("realpath", info::realpath),
    ("du", info::du),
    ("sync", builtins::true_),
    ("xargs", misc::xargs),
    ("install", misc::install),
    ("date", misc::date),
    ("wget", misc::wget),
    ("curl", misc::curl),
    ("yes", misc::yes),
    ("md5sum", checksum::md5sum),
    ("sha1sum", checksum::sha1sum),
    ("sha256sum", checksum::sha256sum),
    ("sha512sum", checksum::sha512sum),
    ("adduser", useradd::adduser),
    ("addgroup", useradd::addgroup),
    ("useradd", useradd::useradd),
    ("expr", more::expr),
    ("base64", more::base64),
    ("tac", more::tac),
    ("rev", more::rev),
    ("nl", more::nl),
    ("cmp", more::cmp),
    ("groups", more::groups),
    ("tty", more::tty),
    ("groupadd", useradd::groupadd),
];

pub fn lookup(name: &str) -> Option<AppletFn> {
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Runs the applet `name` with `argv` (`argv[0]` as typed).
pub fn run_applet(sh: &mut Shell, name: &str, argv: &[String], io: &mut Io) -> Status {
    match lookup(name) {
        Some(f) => f(sh, argv, io),
        None => Ok(127),
    }
}
