//! COPY and ADD: select sources (context, another stage, an image, heredocs), place them at the
//! destination with --chown/--chmod/--parents/--exclude, key the step by the CONTENT of exactly
//! what was selected (mode and bytes, not mtime; BuildKit's content checksum of the copy
//! source), and commit the layer.

use super::context::Sent;
use super::driver::{print_text, Driver, StepOutput, StepPlan};
use super::glob::clean;
use super::op_key;
use super::owner::{created_dir_meta, file_meta, resolve_owner};
use super::report::BuildError;
use super::sources::{glob, has_wildcard, is_dir_at, visit, KindRef, Source, MAX_ITEMS};
use super::state::StageState;
use super::words::Mode;
use crate::cache::{FileInput, KeyBuilder, StepInputs};
use crate::content::{Content, Digest, Hasher};
use crate::fs::{path::join_abs, Fs, Layer, Meta};
use crate::instructions::{heredoc_name, CopyInstr, Instruction, Kind};
use crate::stages::StageGraph;
use std::sync::Arc;

/// What an entry placed at the destination is.
#[derive(Debug, Clone)]
enum ItemKind {
    File(Content),
    Dir,
    Symlink(String),
}

/// One entry placed at the destination.
#[derive(Debug, Clone)]
struct Placement {
    target: String,
    kind: ItemKind,
    meta: Meta,
}

/// One matched source path and how it is placed.
struct Selected {
    /// Index of the source word (keys of two words never mix).
    word: usize,
    /// The matched path, relative to the source root.
    path: String,
    is_dir: bool,
    /// With --parents: the part of `path` kept under the destination.
    kept: String,
}

/// ADD --checksum is valid for HTTP(S) and Git sources only; BuildKit fails before any step
/// runs (buildkit-truth bk_add_checksum_local b0).
pub fn precheck(graph: &StageGraph) -> Result<(), BuildError> {
    for &si in &graph.built {
        let Some(stage) = graph.stages.get(si) else {
            continue;
        };
        for instr in &stage.instructions {
            if let Kind::Copy(c) = &instr.kind {
                if c.is_add && c.checksum.is_some() && c.sources.iter().any(|s| !is_remote(s)) {
                    return Err(BuildError {
                        message: "checksum requires HTTP(S) or Git sources".into(),
                        range: instr.range,
                    });
                }
            }
        }
    }
    Ok(())
}

/// A literal context source that was not sent fails the build before any step runs: BuildKit
/// computes the content checksums of local sources first ("failed to compute cache key"), so
/// the other steps are canceled and cache nothing (buildkit-truth di_copy_ignored_file_fails).
pub fn precheck_sources(
    graph: &StageGraph,
    sent: &Sent,
    ctx: &crate::context::BuildContext,
) -> Result<(), BuildError> {
    for &si in &graph.built {
        let Some(stage) = graph.stages.get(si) else {
            continue;
        };
        for instr in &stage.instructions {
            let Kind::Copy(c) = &instr.kind else { continue };
            if c.from.is_some() {
                continue;
            }
            for src in &c.sources {
                // Words the lexer still has to process (variables, quotes, escapes) are checked
                // when the step dispatches.
                if src.starts_with("<<")
                    || src.contains(['$', '"', '\'', '\\'])
                    || has_wildcard(src)
                    || (c.is_add && is_remote(src))
                {
                    continue;
                }
                let (_, cleaned) = split_pivot(src);
                if !cleaned.is_empty() && !sent.entries.contains_key(cleaned.as_str()) {
                    return Err(BuildError {
                        message: not_found(&cleaned, ctx),
                        range: instr.range,
                    });
                }
            }
        }
    }
    Ok(())
}

fn not_found(path: &str, ctx: &crate::context::BuildContext) -> String {
    let mut msg = format!(
        "failed to compute cache key: failed to calculate checksum of ref: \"/{path}\": not found"
    );
    if ctx.contains(path) {
        msg.push_str(&format!(
            " (.dockerignore excludes {path}, so it is not part of the build context)"
        ));
    }
    msg
}

fn is_remote(s: &str) -> bool {
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("git@")
        || s.ends_with(".git")
}

pub fn dispatch(
    d: &mut Driver,
    state: &mut StageState,
    instr: &Instruction,
    c: &CopyInstr,
    pos: usize,
    of: usize,
) -> Result<(), BuildError> {
    let err = |message: String| BuildError {
        message,
        range: instr.range,
    };
    let keyword = instr.keyword();
    let text = print_text(d, state, instr);
    let dest_raw = d.expand(state, &c.dest, Mode::Word);
    let dest_abs = join_abs(&state.workdir(), &dest_raw);
    let sources: Vec<String> = c
        .sources
        .iter()
        .map(|s| {
            if s.starts_with("<<") {
                s.clone()
            } else {
                d.expand(state, s, Mode::Word)
            }
        })
        .collect();
    let chown = c.chown.as_ref().map(|v| d.expand(state, v, Mode::Word));
    let chmod = c.chmod.as_ref().map(|v| d.expand(state, v, Mode::Word));
    let dest_fs = Fs::from_layers(state.layers.clone());
    let owner = match &chown {
        Some(spec) => Some(resolve_owner(&dest_fs, spec).ok_or_else(|| {
            err(format!(
                "unable to find user {spec}: no matching entries in passwd file"
            ))
        })?),
        None => None,
    };
    // Only a trailing `/` (or `.`) or an existing directory makes the destination a directory:
    // BuildKit copies each source (each wildcard match) to the destination path in turn
    // (solver/llbsolver/file/backend.go `docopy`; fsutil copy.go `prepareTargetDir`), so
    // `COPY a.txt b.txt /dest` leaves a file /dest holding the last one.
    let dest_is_dir = dest_raw.ends_with('/')
        || dest_fs.is_dir(&dest_abs)
        || dest_raw == "."
        || dest_raw.ends_with("/.");
    let source = match &c.from {
        Some(from) => {
            let from = d.expand(state, from, Mode::Word);
            Source::Fs(super::run::source_fs(d, &from).map_err(err)?)
        }
        None => Source::Context(d.sent.entries.clone()),
    };
    let excludes =
        (!c.exclude.is_empty()).then(|| crate::ignore::IgnoreMatcher::from_patterns(&c.exclude).0);
    let keep_owner = c.from.is_some();
    // Heredoc bodies (expanded unless the delimiter was quoted).
    let mut heredocs: Vec<(usize, String, Content)> = Vec::new();
    let mut selected: Vec<Selected> = Vec::new();
    for (word, src) in sources.iter().enumerate() {
        if src.starts_with("<<") {
            let name = heredoc_name(src).unwrap_or_default();
            let Some(h) = instr.heredocs.iter().find(|h| h.name == name) else {
                continue;
            };
            let raw = super::run::heredoc_body(h);
            let body = if h.expand {
                d.expand(state, &raw, Mode::Heredoc)
            } else {
                raw
            };
            heredocs.push((word, name, Content::from_text(&body)));
            continue;
        }
        if c.is_add && is_remote(src) {
            continue;
        }
        let (pivot_prefix, cleaned) = split_pivot(src);
        let matches = if has_wildcard(&cleaned) {
            glob(&source, &cleaned)
        } else if is_dir_at(&source, &cleaned).is_some() {
            vec![cleaned.clone()]
        } else {
            return Err(err(format!("failed to compute cache key: failed to calculate checksum of ref: \"/{cleaned}\": not found")));
        };
        for m in matches {
            let Some(is_dir) = is_dir_at(&source, &m) else {
                continue;
            };
            let kept = if c.parents {
                strip_prefix(&m, &pivot_prefix)
            } else {
                String::new()
            };
            selected.push(Selected {
                word,
                path: m,
                is_dir,
                kept,
            });
        }
    }
    // The key: the op (sources, destination, flags) + the content of exactly what was selected
    // (path, kind, source mode, bytes; never mtime), streamed without copying anything.
    let mut h = Hasher::new();
    for (word, name, content) in &heredocs {
        h.write(&(*word as u64).to_le_bytes());
        h.write_str(name);
        h.write(&content.digest().0.to_le_bytes());
    }
    let mut n_items = 0usize;
    for sel in &selected {
        visit(&source, &sel.path, &mut |it| {
            if excluded(&excludes, it.rel) {
                return;
            }
            n_items += 1;
            // A fixed-size header (word, kind, mode, owner) in one write, then the name and
            // what the kind carries: this runs for every file of every COPY of every build.
            let tag: u8 = match it.kind {
                KindRef::File(..) => b'f',
                KindRef::Dir => b'd',
                KindRef::Symlink(_) => b'l',
            };
            let owner = if keep_owner {
                u64::from(it.uid) | u64::from(it.gid) << 32
            } else {
                0
            };
            let mut header = [0u8; 24];
            // Whether owners are kept (a stage source) stays part of the key, as before.
            let kind = (sel.word as u64) << 16 | u64::from(keep_owner) << 8 | u64::from(tag);
            header[..8].copy_from_slice(&kind.to_le_bytes());
            header[8..16].copy_from_slice(&u64::from(it.mode).to_le_bytes());
            header[16..].copy_from_slice(&owner.to_le_bytes());
            h.write(&header);
            h.write_str(it.rel);
            match it.kind {
                KindRef::File(_, dg) => h.write(&dg.0.to_le_bytes()),
                KindRef::Dir => {}
                KindRef::Symlink(t) => h.write_str(t),
            }
        });
    }
    if n_items > MAX_ITEMS {
        return Err(err(format!(
            "{keyword} selects {n_items} entries; the simulator copies at most {MAX_ITEMS}"
        )));
    }
    // The op's fields as BuildKit spells them (see `op_key`): equivalent spellings of a source,
    // the destination, --chmod or --chown are one cache entry. `--link` with `--chmod` builds
    // no merge op (convert_copy.go `dispatchCopy`), so it is then a plain COPY.
    let source_fields: Vec<String> = sources
        .iter()
        .map(|s| {
            if s.starts_with("<<") || (c.is_add && is_remote(s)) {
                s.clone()
            } else {
                op_key::source_path(s, c.parents)
            }
        })
        .collect();
    let key = KeyBuilder::new(if c.is_add { "add" } else { "copy" })
        .key(state.key)
        .strs(source_fields.iter().map(String::as_str))
        .str(&op_key::dest_path(&state.workdir(), &dest_raw))
        .flag(dest_is_dir)
        .opt(chown.as_deref().map(op_key::chown_field).as_deref())
        .opt(chmod.as_deref().map(op_key::chmod_field).as_deref())
        .flag(c.link && chmod.is_none())
        .flag(c.parents)
        .strs(c.exclude.iter().map(String::as_str))
        .digest(Digest(h.finish()))
        .finish();
    let created_by = history_text(
        keyword,
        c,
        &sources,
        &dest_raw,
        chown.as_deref(),
        chmod.as_deref(),
    );
    let layers = state.layers.clone();
    let dir_meta = created_dir_meta(owner, chmod.as_deref());
    let definition = format!("{keyword} {} {}", sources.join(" "), dest_abs);
    let base = state.base_ref.clone();
    let plan = StepPlan {
        instr,
        key,
        inputs: StepInputs {
            definition: definition.clone(),
            base: base.clone(),
            ..Default::default()
        },
        text,
        pos,
        of,
        created_by: Some(created_by),
    };
    let opts = PlaceOpts {
        dest_abs: &dest_abs,
        dest_is_dir,
        owner,
        chmod: chmod.as_deref(),
        keep_owner,
        parents: c.parents,
        unpack: c.is_add && c.unpack != Some(false) && c.from.is_none(),
    };
    d.step(state, plan, &mut |_d| {
        let mut inputs = StepInputs {
            definition: definition.clone(),
            base: base.clone(),
            ..Default::default()
        };
        let mut placements = Vec::new();
        for (_, name, content) in &heredocs {
            let target = if dest_is_dir {
                join_abs(&dest_abs, name)
            } else {
                dest_abs.clone()
            };
            let digest = content.digest();
            inputs
                .files
                .insert(format!("<<{name}"), FileInput::new(digest, 0));
            placements.push(Placement {
                target,
                kind: ItemKind::File(content.clone()),
                meta: file_meta(0o644, 0, 0, owner, chmod.as_deref()),
            });
        }
        for src in sources.iter().filter(|s| c.is_add && is_remote(s)) {
            let name = src.rsplit('/').next().unwrap_or("download").to_string();
            let target = if dest_is_dir {
                join_abs(&dest_abs, &name)
            } else {
                dest_abs.clone()
            };
            let digest = Content::from_text(src).digest();
            inputs.files.insert(src.clone(), FileInput::new(digest, 0));
            placements.push(Placement {
                target,
                kind: ItemKind::File(Content::empty()),
                meta: file_meta(0o600, 0, 0, owner, chmod.as_deref()),
            });
        }
        for sel in &selected {
            place_selection(&source, sel, &opts, &excludes, &mut placements, &mut inputs);
        }
        let layer = apply(&layers, &placements, dir_meta).map_err(|m| BuildError {
            message: m,
            range: instr.range,
        })?;
        Ok(StepOutput {
            layer,
            output: String::new(),
            inputs: Some(inputs),
        })
    })
}

/// How a selection lands at the destination.
struct PlaceOpts<'a> {
    dest_abs: &'a str,
    dest_is_dir: bool,
    owner: Option<(u32, u32)>,
    chmod: Option<&'a str>,
    keep_owner: bool,
    parents: bool,
    /// ADD of a local tar archive extracts it.
    unpack: bool,
}

/// Reason details keep at most this many per-file digests per step.
const MAX_REASON_FILES: usize = 2_000;

fn place_selection(
    source: &Source,
    sel: &Selected,
    o: &PlaceOpts,
    excludes: &Option<crate::ignore::IgnoreMatcher>,
    out: &mut Vec<Placement>,
    inputs: &mut StepInputs,
) {
    let root = if o.parents {
        join_abs(o.dest_abs, &sel.kept)
    } else {
        o.dest_abs.to_string()
    };
    visit(source, &sel.path, &mut |it| {
        if excluded(excludes, it.rel) {
            return;
        }
        let (uid, gid) = if o.keep_owner {
            (it.uid, it.gid)
        } else {
            (0, 0)
        };
        if let KindRef::File(_, dg) = it.kind {
            if inputs.files.len() < MAX_REASON_FILES {
                let name = match source {
                    Source::Fs(_) => format!("/{}", it.rel),
                    Source::Context(_) if it.rel.is_empty() => ".".to_string(),
                    Source::Context(_) => it.rel.to_string(),
                };
                inputs.files.insert(name, FileInput::new(dg, it.mode));
            }
        }
        let target = if sel.is_dir {
            let suffix = it
                .rel
                .strip_prefix(sel.path.as_str())
                .unwrap_or(it.rel)
                .trim_start_matches('/');
            if suffix.is_empty() {
                root.clone()
            } else {
                join_abs(&root, suffix)
            }
        } else if o.parents {
            root.clone()
        } else if o.dest_is_dir {
            join_abs(o.dest_abs, it.rel.rsplit('/').next().unwrap_or(it.rel))
        } else {
            o.dest_abs.to_string()
        };
        if o.unpack && !sel.is_dir {
            if let KindRef::File(content, _) = it.kind {
                // BuildKit extracts plain and gzip-compressed tars alike.
                let entries = content.as_bytes().and_then(|b| {
                    super::tar::read(b)
                        .or_else(|| super::inflate::gunzip(b).and_then(|t| super::tar::read(&t)))
                });
                if let Some(entries) = entries {
                    for e in entries {
                        let (kind, mode) = match e.kind {
                            super::tar::TarKind::File(ct) => (ItemKind::File(ct), e.mode),
                            super::tar::TarKind::Dir => (ItemKind::Dir, e.mode),
                            super::tar::TarKind::Symlink(t) => (ItemKind::Symlink(t), 0o777),
                        };
                        out.push(Placement {
                            target: join_abs(o.dest_abs, &e.path),
                            kind,
                            meta: file_meta(mode, e.uid, e.gid, o.owner, o.chmod),
                        });
                    }
                    return;
                }
            }
        }
        let (kind, meta) = match it.kind {
            KindRef::File(c, _) => (
                ItemKind::File(c.clone()),
                file_meta(it.mode, uid, gid, o.owner, o.chmod),
            ),
            KindRef::Dir => (
                ItemKind::Dir,
                file_meta(it.mode, uid, gid, o.owner, o.chmod),
            ),
            KindRef::Symlink(t) => (
                ItemKind::Symlink(t.to_string()),
                Meta::new(
                    0o777,
                    o.owner.map_or(uid, |w| w.0),
                    o.owner.map_or(gid, |w| w.1),
                ),
            ),
        };
        out.push(Placement { target, kind, meta });
    });
}

/// `COPY [--parents] [--chown=..] [--chmod=..] <srcs> <dst> # buildkit` (never --from, --link,
/// --exclude; buildkit-truth README "What changed").
fn history_text(
    keyword: &str,
    c: &CopyInstr,
    sources: &[String],
    dest: &str,
    chown: Option<&str>,
    chmod: Option<&str>,
) -> String {
    let mut parts = vec![keyword.to_string()];
    if c.parents {
        parts.push("--parents".into());
    }
    if let Some(o) = chown {
        parts.push(format!("--chown={o}"));
    }
    if let Some(m) = chmod {
        parts.push(format!("--chmod={m}"));
    }
    for s in sources {
        parts.push(if s.starts_with("<<") {
            format!("<<{}", heredoc_name(s).unwrap_or_default())
        } else {
            s.clone()
        });
    }
    parts.push(dest.to_string());
    format!("{} # buildkit", parts.join(" "))
}

/// Writes the placements onto the stage filesystem and commits the layer.
fn apply(
    layers: &[Arc<Layer>],
    placements: &[Placement],
    dir_meta: Meta,
) -> Result<Arc<Layer>, String> {
    let mut fs = Fs::from_layers(layers.to_vec());
    // Parents already known to be directories (a COPY of a tree places many files per dir).
    let mut known_dirs: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for p in placements {
        let parent = p.target.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
        if !parent.is_empty() && !known_dirs.contains(parent) {
            if !fs.is_dir(parent) {
                fs.mkdir_all(parent, dir_meta)
                    .map_err(|e| format!("mkdir {parent}: {}", e.message()))?;
            }
            known_dirs.insert(parent);
        }
        if matches!(p.kind, ItemKind::Dir) {
            known_dirs.insert(p.target.as_str());
        }
        let res = match &p.kind {
            ItemKind::File(content) => fs.put_file(&p.target, content.clone(), p.meta),
            ItemKind::Dir => {
                if p.target == "/" {
                    Ok(())
                } else {
                    fs.put_dir(&p.target, p.meta)
                }
            }
            ItemKind::Symlink(t) => {
                if fs.lstat(&p.target).is_ok() {
                    let _ = fs.remove(&p.target, true);
                }
                fs.symlink(t, &p.target, p.meta)
            }
        };
        res.map_err(|e| format!("copy to {}: {}", p.target, e.message()))?;
    }
    Ok(fs.commit())
}

/// `./base/./keep/x.txt` → (`base`, `base/keep/x.txt`): with --parents only what follows the
/// `/./` pivot is kept.
fn split_pivot(src: &str) -> (String, String) {
    let norm = src.trim_start_matches('/');
    match norm.find("/./") {
        Some(i) => (clean(&norm[..i]), clean(norm)),
        None => (String::new(), clean(norm)),
    }
}

fn strip_prefix(path: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    path.strip_prefix(prefix)
        .unwrap_or(path)
        .trim_start_matches('/')
        .to_string()
}

/// `--exclude` patterns match like .dockerignore lines (a match on a parent excludes below it).
fn excluded(excludes: &Option<crate::ignore::IgnoreMatcher>, rel: &str) -> bool {
    match excludes {
        Some(m) if !rel.is_empty() => m.matches_or_parent_matches(rel).unwrap_or(false),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pivot() {
        assert_eq!(
            split_pivot("./base/./keep/x.txt"),
            ("base".to_string(), "base/keep/x.txt".to_string())
        );
        assert_eq!(strip_prefix("base/keep/x.txt", "base"), "keep/x.txt");
    }
}
