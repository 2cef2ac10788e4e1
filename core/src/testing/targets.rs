//! The fuzz targets: one function per entry point that takes user input.

/// Names accepted by [`run_target`].
pub const TARGETS: &[&str] = &["parse", "expand", "ignore"];

/// Feeds `input` to the named entry point. Returns false for an unknown name.
pub fn run_target(name: &str, input: &[u8]) -> bool {
    match name {
        "parse" => parse(input),
        "expand" => expand(input),
        "ignore" => ignore(input),
        _ => return false,
    }
    true
}

fn parse(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let _ = crate::syntax::parse(&text);
}

fn expand(_input: &[u8]) {
    // Filled in by the expansion module's owner.
}

fn ignore(_input: &[u8]) {
    // Filled in by the .dockerignore module's owner.
}
