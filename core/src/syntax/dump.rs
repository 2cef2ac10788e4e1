//! BuildKit's `Node.Dump()` text for our tree, and Go's `strconv.Quote`.
//!
//! The dump (frontend/dockerfile/parser/parser.go `Dump`) is what BuildKit's `testfiles/*/result`
//! hold: one `(cmd ["--flag" ...] "arg" ...)` line per instruction, ENV/LABEL pairs followed by
//! their separator (`"="`, or `""` for the legacy form), ONBUILD's inner instruction in
//! parentheses, heredocs left out.

use super::node::{Node, Parse};

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

/// Go's `strconv.Quote`: double quotes, `\"` and `\\`, C escapes for control characters,
/// `\xNN` below U+0020 and for U+007F, `\uNNNN` / `\UNNNNNNNN` for other non-printable
/// characters (approximated: controls, format characters, separators and private use).
pub fn go_quote(s: &str) -> String {
    let mut res = String::with_capacity(s.len() + 2);
    res.push('"');
    for c in s.chars() {
        match c {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\u{7}' => res.push_str("\\a"),
            '\u{8}' => res.push_str("\\b"),
            '\u{c}' => res.push_str("\\f"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            '\u{b}' => res.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                res.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_printable(c) => res.push(c),
            c if (c as u32) < 0x10000 => res.push_str(&format!("\\u{:04x}", c as u32)),
            c => res.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    res.push('"');
    res
}

/// An approximation of Go's `strconv.IsPrint` outside ASCII.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    !matches!(u,
        0x80..=0xa0 | 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x1680 | 0x180e | 0x2000..=0x200f
        | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f | 0x3000 | 0xd800..=0xf8ff | 0xfeff
        | 0xfff9..=0xfffb | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\0\u{8}\t♥"), r#""\x00\b\t♥""#);
        assert_eq!(go_quote("\u{a0}\u{feff}"), r#""\u00a0\ufeff""#);
    }

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
