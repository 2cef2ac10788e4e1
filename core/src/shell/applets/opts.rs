//! Option parsing shared by the applets: clustered short flags (`-rf`), flags with values
//! (`-c N`, `-cN`), `--` and long options left to each applet.

/// Parsed command line: flags seen (with values for those in `with_value`) and operands.
#[derive(Debug, Default)]
pub struct Opts {
    pub flags: Vec<(char, Option<String>)>,
    pub long: Vec<String>,
    pub args: Vec<String>,
}

impl Opts {
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == c)
    }

    pub fn has_long(&self, name: &str) -> bool {
        self.long
            .iter()
            .any(|l| l == name || l.starts_with(&format!("{name}=")))
    }

    pub fn value(&self, c: char) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(f, _)| *f == c)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Parses `argv[1..]`. `with_value` lists flags that take a value. Options stop at `--`; with
/// `stop_at_operand`, also at the first operand (POSIX style), else they may come anywhere.
pub fn parse(argv: &[String], with_value: &str, stop_at_operand: bool) -> Opts {
    let mut o = Opts::default();
    let mut it = argv.iter().skip(1);
    let mut only_args = false;
    while let Some(a) = it.next() {
        if only_args || a == "-" || !a.starts_with('-') {
            o.args.push(a.clone());
            if stop_at_operand {
                only_args = true;
            }
            continue;
        }
        if a == "--" {
            only_args = true;
            continue;
        }
        if let Some(l) = a.strip_prefix("--") {
            o.long.push(l.to_string());
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if with_value.contains(c) {
                let rest: String = chars[i + 1..].iter().collect();
                let v = if rest.is_empty() {
                    it.next().cloned()
                } else {
                    Some(rest)
                };
                o.flags.push((c, v));
                break;
            }
            o.flags.push((c, None));
            i += 1;
        }
    }
    o
}

/// A size with an optional suffix: `k`/`K` 1024, `M` 1024², `G`; `KB`/`MB`/`GB` powers of 1000
/// (as dd/head/truncate/fallocate read them); `b` = 512 (dd).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s.get(..digits_end)?.parse().ok()?;
    let mult: u64 = match s.get(digits_end..)? {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "m" | "MiB" => 1 << 20,
        "G" | "g" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(mult)
}
