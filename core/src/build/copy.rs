//! COPY and ADD: select sources (context, another stage, an image, heredocs), place them at the
//! destination with --chown/--chmod/--parents/--exclude, key the step by the CONTENT of exactly
//! what was selected (mode and bytes, not mtime; BuildKit's content checksum of the copy
//! source), and commit the layer.

use super::context::Sent;
use super::driver::{print_text, Driver, StepOutput, StepPlan};
use super::glob::{clean, match_glob};
use super::report::BuildError;
use super::state::StageState;
use super::words::Mode;
use crate::cache::{KeyBuilder, SentFile, SentKind, SentMap, StepInputs};
use crate::content::{Content, Digest, Hasher};
use crate::fs::{path::join_abs, FileType, Fs, Layer, Meta};
use crate::instructions::{heredoc_name, CopyInstr, Instruction, Kind};
use crate::stages::StageGraph;
use std::ops::Bound;
use std::sync::Arc;

/// Upper bound on entries one COPY may place (keeps a pathological context from hanging a tab).
const MAX_ITEMS: usize = 500_000;

/// One source entry, borrowed while a selection is visited (`rel` is relative to the source
/// root, `""` being the root).
struct ItemRef<'a> {
    rel: &'a str,
    kind: KindRef<'a>,
    mode: u32,
    uid: u32,
    gid: u32,
}

#[derive(Clone, Copy)]
enum KindRef<'a> {
    File(&'a Content, Digest),
    Dir,
    Symlink(&'a str),
}

/// What an entry placed at the destination is.
#[derive(Debug, Clone)]
enum ItemKind {
    File(Content),
    Dir,
    Symlink(String),
}

/// Where sources are read from.
enum Source {
    Context(Arc<SentMap>),
    Fs(Fs),
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
                if src.starts_with("<<")
                    || src.contains('$')
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
    let any_wild = sources.iter().any(|s| has_wildcard(s));
    let dest_is_dir = dest_raw.ends_with('/')
        || sources.len() > 1
        || any_wild
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
            h.write(&(sel.word as u64).to_le_bytes());
            h.write_str(it.rel);
            h.write(&it.mode.to_le_bytes());
            if keep_owner {
                h.write(&it.uid.to_le_bytes());
                h.write(&it.gid.to_le_bytes());
            }
            match it.kind {
                KindRef::File(_, dg) => {
                    h.write(b"f");
                    h.write(&dg.0.to_le_bytes());
                }
                KindRef::Dir => h.write(b"d"),
                KindRef::Symlink(t) => {
                    h.write(b"l");
                    h.write_str(t);
                }
            }
        });
    }
    if n_items > MAX_ITEMS {
        return Err(err(format!(
            "{keyword} selects {n_items} entries; the simulator copies at most {MAX_ITEMS}"
        )));
    }
    let key = KeyBuilder::new(if c.is_add { "add" } else { "copy" })
        .key(state.key)
        .strs(sources.iter().map(String::as_str))
        .str(&dest_abs)
        .flag(dest_is_dir)
        .opt(chown.as_deref())
        .opt(chmod.as_deref())
        .flag(c.link)
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
            inputs.files.insert(format!("<<{name}"), digest);
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
            inputs.files.insert(src.clone(), digest);
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
                inputs.files.insert(name, combine(dg, it.mode));
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
                if let Some(entries) = content.as_bytes().and_then(super::tar::read) {
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

fn combine(d: Digest, mode: u32) -> Digest {
    let mut h = Hasher::new();
    h.write(&d.0.to_le_bytes());
    h.write(&mode.to_le_bytes());
    Digest(h.finish())
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

fn file_meta(
    mode: u32,
    uid: u32,
    gid: u32,
    owner: Option<(u32, u32)>,
    chmod: Option<&str>,
) -> Meta {
    let mode = chmod.map_or(mode, |c| apply_chmod(mode, c));
    let (uid, gid) = owner.unwrap_or((uid, gid));
    Meta::new(mode, uid, gid)
}

/// Directories COPY creates: owned by --chown; with --chown and --chmod both, they also get the
/// --chmod mode (buildkit-truth bk_copy_chmod: `data/` is 0640 1000:1000).
fn created_dir_meta(owner: Option<(u32, u32)>, chmod: Option<&str>) -> Meta {
    let (uid, gid) = owner.unwrap_or((0, 0));
    let mode = match (owner, chmod) {
        (Some(_), Some(c)) => apply_chmod(0o755, c),
        _ => 0o755,
    };
    Meta::new(mode, uid, gid)
}

/// `--chmod=0755` or symbolic `u+x,go-w` applied to `mode`.
pub fn apply_chmod(mode: u32, spec: &str) -> u32 {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).unwrap_or(mode) & 0o7777;
    }
    let mut m = mode & 0o7777;
    for clause in spec.split(',') {
        let op_at = clause.find(['+', '-', '=']);
        let Some(op_at) = op_at else { continue };
        let (who, rest) = clause.split_at(op_at);
        let who = if who.is_empty() { "a" } else { who };
        let mut chars = rest.chars();
        let op = chars.next().unwrap_or('+');
        let perms: String = chars.collect();
        let mut bits = 0u32;
        for p in perms.chars() {
            bits |= match p {
                'r' => 0o4,
                'w' => 0o2,
                'x' => 0o1,
                'X' if m & 0o111 != 0 => 0o1,
                _ => 0,
            };
        }
        let mut mask = 0u32;
        for w in who.chars() {
            mask |= match w {
                'u' => bits << 6,
                'g' => bits << 3,
                'o' => bits,
                'a' => bits << 6 | bits << 3 | bits,
                _ => 0,
            };
        }
        let clear: u32 = who
            .chars()
            .map(|w| match w {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => 0,
            })
            .fold(0, |a, b| a | b);
        m = match op {
            '+' => m | mask,
            '-' => m & !mask,
            _ => (m & !clear) | mask,
        };
    }
    m
}

/// `uid[:gid]` or names from the destination's /etc/passwd and /etc/group. A user without a
/// group uses the same number as the uid (Docker's COPY --chown rule) or the user's group.
pub fn resolve_owner(fs: &Fs, spec: &str) -> Option<(u32, u32)> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary) = match user.parse::<u32>() {
        Ok(n) => (n, n),
        Err(_) => lookup_db(fs, "/etc/passwd", user).map(|f| (f.0, f.1))?,
    };
    let gid = match group {
        None => primary,
        Some(g) => match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => lookup_db(fs, "/etc/group", g).map(|f| f.0)?,
        },
    };
    Some((uid, gid))
}

/// Finds `name` in a passwd/group file: (field 2, field 3) as numbers.
fn lookup_db(fs: &Fs, path: &str, name: &str) -> Option<(u32, u32)> {
    let content = fs.read(path).ok()?;
    let text = String::from_utf8_lossy(content.as_bytes()?).into_owned();
    for line in text.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.first() == Some(&name) {
            let a = f.get(2)?.parse().ok()?;
            let b = f.get(3).and_then(|s| s.parse().ok()).unwrap_or(a);
            return Some((a, b));
        }
    }
    None
}

/// The owner a step running as `user` gives to what it creates (WORKDIR's mkdir).
pub fn owner_meta(layers: &[Arc<Layer>], user: &str, mode: u32) -> Meta {
    if user.is_empty() {
        return Meta::root(mode);
    }
    let fs = Fs::from_layers(layers.to_vec());
    let (uid, gid) = resolve_owner(&fs, user).unwrap_or((0, 0));
    Meta::new(mode, uid, gid)
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
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

/// Whether something exists at `rel` (Some(is_dir)).
fn is_dir_at(source: &Source, rel: &str) -> Option<bool> {
    if rel.is_empty() {
        return Some(true);
    }
    match source {
        Source::Context(map) => map.get(rel).map(|e| matches!(e.kind, SentKind::Dir)),
        Source::Fs(fs) => fs.stat(&format!("/{rel}")).ok().map(|s| s.is_dir()),
    }
}

fn children(source: &Source, rel: &str) -> Vec<String> {
    match source {
        Source::Context(map) => {
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            let mut out = Vec::new();
            for (k, _) in map.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            {
                let Some(rest) = k.strip_prefix(prefix.as_str()) else {
                    break;
                };
                if !rest.is_empty() && !rest.contains('/') {
                    out.push(rest.to_string());
                }
            }
            out
        }
        Source::Fs(fs) => fs.list_dir(&format!("/{rel}")).unwrap_or_default(),
    }
}

/// Calls `f` for `rel` and everything below it, parents first (sorted paths).
fn visit(source: &Source, rel: &str, f: &mut dyn FnMut(ItemRef)) {
    match source {
        Source::Context(map) => {
            if rel.is_empty() {
                f(ItemRef {
                    rel: "",
                    kind: KindRef::Dir,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                });
            } else {
                let Some(e) = map.get(rel) else { return };
                f(context_item(rel, e));
                if !matches!(e.kind, SentKind::Dir) {
                    return;
                }
            }
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            for (k, e) in map.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            {
                if !k.starts_with(prefix.as_str()) {
                    break;
                }
                f(context_item(k, e));
            }
        }
        Source::Fs(fs) => {
            for e in fs.walk(&format!("/{rel}")).unwrap_or_default() {
                let r = e.path.trim_start_matches('/');
                let kind = match (&e.content, e.stat.kind) {
                    (Some(c), _) => KindRef::File(c, c.digest()),
                    (None, FileType::Dir) => KindRef::Dir,
                    (None, _) => KindRef::Symlink(e.stat.link_target.as_deref().unwrap_or("")),
                };
                f(ItemRef {
                    rel: r,
                    kind,
                    mode: e.stat.meta.mode,
                    uid: e.stat.meta.uid,
                    gid: e.stat.meta.gid,
                });
            }
        }
    }
}

fn context_item<'a>(rel: &'a str, e: &'a SentFile) -> ItemRef<'a> {
    let kind = match &e.kind {
        SentKind::File(c) => KindRef::File(c, e.digest),
        SentKind::Dir => KindRef::Dir,
        SentKind::Symlink(t) => KindRef::Symlink(t),
    };
    ItemRef {
        rel,
        kind,
        mode: e.mode,
        uid: 0,
        gid: 0,
    }
}

/// Paths (relative) matching a pattern with `*`, `?`, `[...]` per segment and `**` across.
fn glob(source: &Source, pattern: &str) -> Vec<String> {
    let segs: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::new();
    glob_from(source, "", &segs, &mut out, 0);
    out.sort();
    out.dedup();
    out
}

fn glob_from(source: &Source, base: &str, segs: &[&str], out: &mut Vec<String>, depth: usize) {
    if depth > 64 || out.len() > MAX_ITEMS {
        return;
    }
    let Some((first, rest)) = segs.split_first() else {
        out.push(base.to_string());
        return;
    };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}/{name}")
        }
    };
    if *first == "**" {
        glob_from(source, base, rest, out, depth + 1);
        for name in children(source, base) {
            let p = join(&name);
            if is_dir_at(source, &p) == Some(true) {
                glob_from(source, &p, segs, out, depth + 1);
            }
        }
        return;
    }
    if !has_wildcard(first) {
        let p = join(first);
        if is_dir_at(source, &p).is_some() {
            glob_from(source, &p, rest, out, depth + 1);
        }
        return;
    }
    for name in children(source, base) {
        if match_glob(first.as_bytes(), name.as_bytes()) {
            glob_from(source, &join(&name), rest, out, depth + 1);
        }
    }
}

/// The sent context as a filesystem (for `RUN --mount=type=bind` without `from`).
pub fn context_fs(sent: &Sent) -> Fs {
    let mut fs = Fs::new();
    for (path, e) in sent.entries.iter() {
        let abs = format!("/{path}");
        let meta = Meta::root(e.mode);
        let _ = match &e.kind {
            SentKind::File(c) => fs.put_file(&abs, c.clone(), meta),
            SentKind::Dir => fs.put_dir(&abs, meta),
            SentKind::Symlink(t) => fs.symlink(t, &abs, meta),
        };
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chmod_octal_and_symbolic() {
        assert_eq!(apply_chmod(0o644, "0755"), 0o755);
        assert_eq!(apply_chmod(0o664, "u+x,go-w"), 0o744);
        assert_eq!(apply_chmod(0o644, "a=r"), 0o444);
    }

    #[test]
    fn pivot() {
        assert_eq!(
            split_pivot("./base/./keep/x.txt"),
            ("base".to_string(), "base/keep/x.txt".to_string())
        );
        assert_eq!(strip_prefix("base/keep/x.txt", "base"), "keep/x.txt");
    }
}
