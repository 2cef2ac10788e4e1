//! BuildKit's `Node.Dump()` text for our tree.
//!
//! The dump (frontend/dockerfile/parser/parser.go `Dump`) is what BuildKit's `testfiles/*/result`
//! hold: one `(cmd ["--flag" ...] "arg" ...)` line per instruction, ENV/LABEL pairs followed by
//! their separator (`"="`, or `""` for the legacy form), ONBUILD's inner instruction in
//! parentheses, heredocs left out.

use super::node::{Node, Parse};

/// Re-exported so `syntax::go_quote` and `dump::go_quote` keep naming the one copy.
pub use crate::text::go_quote;

/// The dump of a whole parse: BuildKit's root `Node.Dump()`, one line per instruction.
pub fn dump(parse: &Parse) -> String {
    let mut res = String::new();
    for node in &parse.nodes {
        if !res.is_empty() {
            res.push('\n');
        }
        res.push('(');
        dump_node_into(node, &mut res);
        res.push(')');
    }
    res
}

/// The dump of one instruction, without the outer parentheses.
pub fn dump_node(node: &Node) -> String {
    let mut res = String::new();
    dump_node_into(node, &mut res);
    res
}

fn dump_node_into(node: &Node, out: &mut String) {
    out.push_str(&node.cmd);
    if !node.flags.is_empty() {
        out.push_str(" [");
        for (i, f) in node.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&go_quote(&f.original()));
        }
        out.push(']');
    }
    if let Some(sub) = &node.sub {
        out.push_str(" (");
        dump_node_into(sub, out);
        out.push(')');
    }
    let pairs = matches!(node.cmd.as_str(), "env" | "label");
    let sep = if node.legacy_key_value {
        "\"\""
    } else {
        "\"=\""
    };
    for (i, w) in node.value.iter().enumerate() {
        out.push(' ');
        out.push_str(&go_quote(&w.text));
        if pairs && i % 2 == 1 {
            out.push(' ');
            out.push_str(sep);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_matches_buildkit_format() {
        let p = crate::syntax::parse(
            "FROM a\nENV x y\nENV a=b\nCOPY --link s d\nONBUILD RUN [\"x\"]\nHEALTHCHECK NONE\n",
        );
        assert_eq!(
            dump(&p),
            "(from \"a\")\n(env \"x\" \"y\" \"\")\n(env \"a\" \"b\" \"=\")\n(copy [\"--link\"] \"s\" \"d\")\n(onbuild (run \"x\"))\n(healthcheck \"NONE\")"
        );
    }
}
