//! How an applet reports a failure: busybox prints `applet: message` on stderr and the applet
//! exits with status 1 (`bb_error_msg` then `return EXIT_FAILURE`).

use crate::shell::exec::Io;

/// Prints `msg` and a newline on stderr; returns the exit status 1.
pub(super) fn fail(io: &mut Io, msg: String) -> i32 {
    io.eprint(&msg);
    io.eprint("\n");
    1
}
