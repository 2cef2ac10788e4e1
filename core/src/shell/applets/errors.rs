//! How an applet reports a failure: busybox prints `applet: message` on stderr and the applet
//! exits with status 1 (`bb_error_msg` then `return EXIT_FAILURE`); shadow's `useradd` and
//! `groupadd` exit with their own documented codes (2 usage, 3 bad argument, 4 UID/GID taken,
//! 6 no such group, 9 name taken, 10 cannot update the group file), hence [`fail_with`].

use crate::shell::exec::Io;

/// Prints `msg` and a newline on stderr; returns the exit status 1.
pub(super) fn fail(io: &mut Io, msg: String) -> i32 {
    fail_with(io, 1, msg)
}

/// Prints `msg` and a newline on stderr; returns the exit status `code`.
pub(super) fn fail_with(io: &mut Io, code: i32, msg: String) -> i32 {
    io.eprint(&msg);
    io.eprint("\n");
    code
}
