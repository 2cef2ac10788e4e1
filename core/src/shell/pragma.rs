//! `# layerlab:` pragmas: a comment on the line above a RUN stating what the command does when
//! the simulator cannot know (`python train.py`, a download):
//!
//! ```text
//! # layerlab: writes /app/model.bin 150MB
//! # layerlab: writes /opt/tool 12MiB mode=755; deletes /tmp/cache; mkdir /data
//! # layerlab: fails 1
//! ```
//! Effects (separated by `;`): `writes <path> <size> [mode=<octal>]`, `appends <path> <size>`,
//! `deletes <path>`, `mkdir <path>`, `fails [<exit code>]`, `noop`. Sizes: a number with `B`,
//! `K`/`KiB`, `M`/`MiB`, `G`/`GiB` (powers of 1024) or `KB`/`MB`/`GB` (powers of 1000, as Docker
//! prints sizes). Paths are absolute. The written content is opaque: same pragma, same content.

use super::users::Cred;
use crate::content::{Content, Hasher};
use crate::fs::{Fs, Meta};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PragmaEffect {
    Writes { path: String, size: u64, mode: u32 },
    Appends { path: String, size: u64 },
    Deletes { path: String },
    Mkdir { path: String },
    Fails { exit_code: i32 },
    Noop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PragmaError {
    pub message: String,
}

impl std::fmt::Display for PragmaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The prefix that marks a comment as a pragma (after `#` and spaces).
pub const PREFIX: &str = "layerlab:";

/// Parses one comment (`# layerlab: ...`, with or without `#`). A comment that is not a pragma
/// gives `Ok(vec![])`.
pub fn parse_pragma(comment_text: &str) -> Result<Vec<PragmaEffect>, PragmaError> {
    let text = comment_text.trim().trim_start_matches('#').trim();
    let Some(body) = text.strip_prefix(PREFIX) else {
        return Ok(Vec::new());
    };
    let err = |m: String| PragmaError { message: m };
    let mut out = Vec::new();
    for clause in body.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let words: Vec<&str> = clause.split_whitespace().collect();
        let path_at = |i: usize| -> Result<String, PragmaError> {
            let p = words
                .get(i)
                .ok_or_else(|| err(format!("`{clause}`: missing path")))?;
            if !p.starts_with('/') {
                return Err(err(format!("`{clause}`: the path must be absolute")));
            }
            Ok(crate::fs::path::join_abs("/", p))
        };
        let size_at = |i: usize| -> Result<u64, PragmaError> {
            let s = words
                .get(i)
                .ok_or_else(|| err(format!("`{clause}`: missing size (e.g. 150MB)")))?;
            parse_size(s).ok_or_else(|| {
                err(format!(
                    "`{clause}`: bad size `{s}` (use e.g. 512B, 20KiB, 150MB, 1.5GB)"
                ))
            })
        };
        let effect = match words.first().copied() {
            Some("writes") => {
                let mut mode = 0o644;
                for w in words.iter().skip(3) {
                    match w
                        .strip_prefix("mode=")
                        .and_then(|m| u32::from_str_radix(m, 8).ok())
                    {
                        Some(m) => mode = m & 0o7777,
                        None => return Err(err(format!("`{clause}`: unknown option `{w}`"))),
                    }
                }
                PragmaEffect::Writes {
                    path: path_at(1)?,
                    size: size_at(2)?,
                    mode,
                }
            }
            Some("appends") => PragmaEffect::Appends {
                path: path_at(1)?,
                size: size_at(2)?,
            },
            Some("deletes") => PragmaEffect::Deletes { path: path_at(1)? },
            Some("mkdir") => PragmaEffect::Mkdir { path: path_at(1)? },
            Some("fails") => PragmaEffect::Fails {
                exit_code: words
                    .get(1)
                    .map(|c| {
                        c.parse()
                            .map_err(|_| err(format!("`{clause}`: bad exit code")))
                    })
                    .transpose()?
                    .unwrap_or(1),
            },
            Some("noop") => PragmaEffect::Noop,
            Some(other) => {
                return Err(err(format!(
                "unknown effect `{other}` (expected writes, appends, deletes, mkdir, fails, noop)"
            )))
            }
            None => continue,
        };
        out.push(effect);
    }
    Ok(out)
}

/// Parses every pragma among the comment lines above a RUN (others are ignored).
pub fn parse_comments<'a>(
    lines: impl IntoIterator<Item = &'a str>,
) -> (Vec<PragmaEffect>, Vec<PragmaError>) {
    let mut effects = Vec::new();
    let mut errors = Vec::new();
    for l in lines {
        match parse_pragma(l) {
            Ok(e) => effects.extend(e),
            Err(e) => errors.push(e),
        }
    }
    (effects, errors)
}

/// The pragmas written in the comment lines directly above the instruction that starts at byte
/// `instr_start` of the Dockerfile `text` (blank lines end the block; a non-comment line too).
/// This is what the build driver calls for each RUN.
pub fn pragmas_above(text: &str, instr_start: usize) -> (Vec<PragmaEffect>, Vec<PragmaError>) {
    let head = text.get(..instr_start.min(text.len())).unwrap_or("");
    // The instruction's own line may start before `instr_start` (indentation): drop it.
    let head = match head.rfind('\n') {
        Some(i) => &head[..i],
        None => return (Vec::new(), Vec::new()),
    };
    let mut block: Vec<&str> = Vec::new();
    for line in head.split('\n').rev() {
        let t = line.trim();
        if !t.starts_with('#') {
            break;
        }
        block.push(t);
    }
    block.reverse();
    parse_comments(block)
}

fn parse_size(s: &str) -> Option<u64> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let n: f64 = s.get(..end)?.parse().ok()?;
    let mult: f64 = match s.get(end..)?.trim() {
        "" | "B" | "b" => 1.0,
        "K" | "k" | "KiB" => 1024.0,
        "M" | "MiB" => 1024.0 * 1024.0,
        "G" | "GiB" => 1024.0 * 1024.0 * 1024.0,
        "KB" | "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => return None,
    };
    let v = n * mult;
    (v.is_finite() && (0.0..1e15).contains(&v)).then(|| v.round() as u64)
}

/// The exit code a pragma forces, if any.
pub fn forced_exit(effects: &[PragmaEffect]) -> Option<i32> {
    effects.iter().find_map(|e| match e {
        PragmaEffect::Fails { exit_code } => Some(*exit_code),
        _ => None,
    })
}

/// Applies the effects to `fs` as `cred`; returns notes for the learner.
pub fn apply(effects: &[PragmaEffect], fs: &mut Fs, cred: &Cred) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    for e in effects {
        match e {
            PragmaEffect::Writes { path, size, mode } => {
                let mut h = Hasher::new();
                h.write_str(path);
                h.write(&size.to_le_bytes());
                let content = Content::opaque(*size, h.finish() as u64);
                let parent =
                    crate::fs::path::parent_key(&crate::fs::path::key_of(path)).to_string();
                fs.mkdir_all(&format!("/{parent}"), Meta::new(0o755, cred.uid, cred.gid))
                    .map_err(|e| format!("{path}: {e}"))?;
                fs.put_file(path, content, Meta::new(*mode, cred.uid, cred.gid))
                    .map_err(|e| format!("{path}: {e}"))?;
                notes.push(format!("pragma: {path} written ({size} B, as stated)"));
            }
            PragmaEffect::Appends { path, size } => {
                let mut h = Hasher::new();
                h.write_str(path);
                h.write(&size.to_le_bytes());
                fs.append(
                    path,
                    Content::opaque(*size, h.finish() as u64),
                    Meta::new(0o644, cred.uid, cred.gid),
                )
                .map_err(|e| format!("{path}: {e}"))?;
            }
            PragmaEffect::Deletes { path } => {
                let _ = fs.remove(path, true);
            }
            PragmaEffect::Mkdir { path } => {
                fs.mkdir_all(path, Meta::new(0o755, cred.uid, cred.gid))
                    .map_err(|e| format!("{path}: {e}"))?;
            }
            PragmaEffect::Fails { .. } | PragmaEffect::Noop => {}
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_table() {
        assert_eq!(
            parse_pragma("# layerlab: writes /app/model.bin 150MB"),
            Ok(vec![PragmaEffect::Writes {
                path: "/app/model.bin".into(),
                size: 150_000_000,
                mode: 0o644
            }])
        );
        assert_eq!(
            parse_pragma("layerlab: writes /opt/t 2MiB mode=755; deletes /tmp/x; fails 3"),
            Ok(vec![
                PragmaEffect::Writes {
                    path: "/opt/t".into(),
                    size: 2 << 20,
                    mode: 0o755
                },
                PragmaEffect::Deletes {
                    path: "/tmp/x".into()
                },
                PragmaEffect::Fails { exit_code: 3 }
            ])
        );
        assert_eq!(parse_pragma("# just a comment"), Ok(vec![]));
        assert!(parse_pragma("# layerlab: writes app 1MB").is_err());
        assert!(parse_pragma("# layerlab: writes /app 1XB").is_err());
        assert!(parse_pragma("# layerlab: explode /x").is_err());
    }

    #[test]
    fn pragmas_are_read_from_the_comment_block_above() {
        let df = "FROM x\n# layerlab: writes /a 1KB\n# other comment\n  # layerlab: deletes /b\nRUN python gen.py\n";
        let start = df.find("RUN").unwrap();
        let (effects, errors) = pragmas_above(df, start);
        assert!(errors.is_empty());
        assert_eq!(
            effects,
            vec![
                PragmaEffect::Writes {
                    path: "/a".into(),
                    size: 1000,
                    mode: 0o644
                },
                PragmaEffect::Deletes { path: "/b".into() }
            ]
        );
        let df = "# layerlab: writes /a 1KB\n\nRUN x\n";
        assert!(pragmas_above(df, df.find("RUN").unwrap()).0.is_empty());
        assert!(pragmas_above("RUN x", 0).0.is_empty());
        assert!(pragmas_above("RUN x", 999).0.is_empty());
    }
}
