//! A node's flags and argument words, as BuildKit's parser hands them to `instructions`.
//!
//! The syntax layer already splits flags, JSON form and per-keyword argument lists (see
//! ../shared/conformance/README.md). While the project's first parser gave one string per
//! instruction, this module re-derived that shape from the string; it still does so when it
//! sees such a node (no flags, one word starting with `--`, `[`, or needing a split), so
//! lowering works with either parser.

use crate::syntax::{Flag, Node};

/// Flags and argument words of one node.
#[derive(Debug, Clone, Default)]
pub struct Args {
    pub flags: Vec<Flag>,
    pub words: Vec<String>,
    pub json: bool,
}

impl Args {
    pub fn of(node: &Node) -> Args {
        let words: Vec<String> = node.values().map(str::to_string).collect();
        let args = Args {
            flags: node.flags.clone(),
            words,
            json: node.json,
        };
        if args.json || !args.flags.is_empty() || args.words.len() != 1 {
            return args;
        }
        let text = args.words.first().cloned().unwrap_or_default();
        let needs_split = matches!(
            node.cmd.as_str(),
            "from" | "copy" | "add" | "expose" | "volume" | "arg" | "env" | "label" | "healthcheck"
        );
        if !(text.starts_with("--")
            || text.starts_with('[')
            || (needs_split && text.contains(char::is_whitespace))
            || (matches!(node.cmd.as_str(), "env" | "label") && text.contains('=')))
        {
            return args;
        }
        resplit(node, &text, args)
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// Re-derives flags and words from a one-string node (see the module comment).
fn resplit(node: &Node, text: &str, mut args: Args) -> Args {
    let mut rest = text.trim_start();
    if matches!(
        node.cmd.as_str(),
        "from" | "run" | "copy" | "add" | "healthcheck"
    ) {
        while rest.starts_with("--") {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let tok = rest.get(2..end).unwrap_or("");
            let (name, value) = match tok.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (tok.to_string(), None),
            };
            args.flags.push(Flag {
                name,
                value,
                range: node.range,
            });
            rest = rest.get(end..).unwrap_or("").trim_start();
        }
    }
    let json_capable = matches!(
        node.cmd.as_str(),
        "run" | "cmd" | "entrypoint" | "shell" | "copy" | "add" | "volume"
    );
    if json_capable && rest.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(rest.trim_end()) {
            args.words = v;
            args.json = true;
            return args;
        }
    }
    args.words = match node.cmd.as_str() {
        "from" | "copy" | "add" | "expose" | "volume" | "arg" => split_words(rest),
        "env" | "label" => key_value_words(rest),
        "healthcheck" => healthcheck_words(rest, &mut args.json),
        _ => vec![rest.to_string()],
    };
    args
}

/// BuildKit's `parseWords`: whitespace separates words except inside quotes; quotes are kept.
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                }
                cur.push(c);
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == '\\' {
                    escaped = true;
                }
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// BuildKit's `parseNameVal`: `k=v k2="v 2"` → `[k, v, k2, "v 2"]`; the legacy `k v w` → `[k, "v w"]`.
fn key_value_words(text: &str) -> Vec<String> {
    let words = split_words(text);
    let legacy = words.first().is_some_and(|w| !w.contains('='));
    if legacy {
        let mut it = text.trim().splitn(2, char::is_whitespace);
        let key = it.next().unwrap_or("").to_string();
        let value = it.next().unwrap_or("").trim_start().to_string();
        return vec![key, value];
    }
    let mut res = Vec::new();
    for w in words {
        let (k, v) = w.split_once('=').unwrap_or((w.as_str(), ""));
        res.push(k.to_string());
        res.push(v.to_string());
    }
    res
}

fn healthcheck_words(text: &str, json: &mut bool) -> Vec<String> {
    let trimmed = text.trim();
    let (typ, rest) = trimmed
        .split_once(char::is_whitespace)
        .unwrap_or((trimmed, ""));
    let mut res = vec![typ.to_ascii_uppercase()];
    let rest = rest.trim();
    if rest.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(rest) {
            *json = true;
            res.extend(v);
            return res;
        }
    }
    if !rest.is_empty() {
        res.push(rest.to_string());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quotes_and_split_on_blanks() {
        assert_eq!(
            split_words(r#"a "b c"  d='e f'"#),
            vec!["a", "\"b c\"", "d='e f'"]
        );
        assert_eq!(
            key_value_words(r#"A=1 B="two words""#),
            vec!["A", "1", "B", "\"two words\""]
        );
        assert_eq!(key_value_words("C $A-x y"), vec!["C", "$A-x y"]);
    }
}
