//! `tar`: create (`cf`, `czf`, `-C dir`) with a size model, and extract/list archives created
//! earlier in the session (their contents are remembered by digest); other archives are
//! "not modelled".

use super::errors::fail;
use super::opts::parse;
use crate::content::Content;
use crate::fs::path::join_abs;
use crate::fs::{FileType, Meta};
use crate::shell::exec::{Io, Shell, Status};
use std::sync::Mutex;

/// Archives created during this session, by content digest, so `tar x` of one reproduces it.
type Archived = Vec<(String, crate::fs::Stat, Option<Content>)>;
static ARCHIVES: Mutex<Vec<(u128, Archived)>> = Mutex::new(Vec::new());
const MAX_ARCHIVES: usize = 64;

/// `tar c[z]f out paths...`, `tar x[z]f in [-C dir]`, `tar t`. Size model for create: a
/// 512-byte header per entry, data padded to 512, two zero blocks, rounded up to 10240.
pub fn tar(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    // Old-style first argument without a dash (`tar cf x.tar dir`).
    let mut args = argv.to_vec();
    if let Some(first) = args.get(1) {
        if !first.starts_with('-') {
            args[1] = format!("-{first}");
        }
    }
    let o = parse(&args, "fC", false);
    let file = o.value('f').map(str::to_string);
    let dir = o
        .value('C')
        .map(|d| sh.abs(d))
        .unwrap_or_else(|| sh.cwd.clone());
    let gz = o.has('z') || o.has('j') || o.has('J');
    if o.has('c') {
        let mut entries: Archived = Vec::new();
        let mut size = 0u64;
        for a in &o.args {
            let base = join_abs(&dir, a);
            // Member names are the operand as given (`.` gives `./a`), without a leading `/`
            // (tar's "removing leading '/' from member names").
            let name = a.trim_end_matches('/').trim_start_matches('/');
            match sh.ctx.fs.walk(&base) {
                Ok(list) => {
                    for e in list {
                        let below = e.path.strip_prefix(base.trim_end_matches('/')).unwrap_or("");
                        let rel = match (name.is_empty(), below) {
                            (true, "") => ".".to_string(),
                            (true, _) => below.trim_start_matches('/').to_string(),
                            (false, _) => format!("{name}{below}"),
                        };
                        size += 512
                            + e.content
                                .as_ref()
                                .map_or(0, |c| c.len().div_ceil(512) * 512);
                        entries.push((rel, e.stat, e.content));
                    }
                }
                Err(e) => return Ok(fail(io, format!("tar: {a}: Cannot stat: {}", e.message()))),
            }
        }
        let size = (size + 1024).div_ceil(10240) * 10240;
        let mut h = crate::content::Hasher::new();
        for (p, st, c) in &entries {
            h.write_str(p);
            h.write(&st.meta.mode.to_le_bytes());
            if let Some(c) = c {
                h.write(&c.digest().0.to_le_bytes());
            }
        }
        let id = h.finish();
        let content = if gz {
            sh.estimated = true;
            sh.notes
                .push("tar -z: compressed size estimated as the uncompressed size".into());
            Content::opaque(size, (id as u64) ^ 0x67a1)
        } else {
            Content::opaque(size, id as u64)
        };
        if let Ok(mut reg) = ARCHIVES.lock() {
            if reg.len() >= MAX_ARCHIVES {
                reg.remove(0);
            }
            reg.push((content.digest().0, entries));
        }
        match file.as_deref() {
            None | Some("-") => io.out = io.out.append(&content),
            Some(f) => {
                let p = sh.abs(f);
                if let Err(e) = sh.write_file(&p, content, false) {
                    return Ok(fail(io, format!("tar: can't open '{f}': {}", e.message())));
                }
            }
        }
        return Ok(0);
    }
    if o.has('x') || o.has('t') {
        let archive = match file.as_deref() {
            None | Some("-") => std::mem::take(&mut io.stdin),
            Some(f) => match sh.ctx.fs.read(&sh.abs(f)) {
                Ok(c) => c,
                Err(e) => return Ok(fail(io, format!("tar: can't open '{f}': {}", e.message()))),
            },
        };
        let digest = archive.digest().0;
        let found = ARCHIVES.lock().ok().and_then(|reg| {
            reg.iter()
                .find(|(d, _)| *d == digest)
                .map(|(_, e)| e.clone())
        });
        let Some(entries) = found else {
            sh.unknown.push(format!(
                "`{}`: the archive's contents are not known to the simulator",
                argv.join(" ")
            ));
            return Ok(0);
        };
        for (rel, st, content) in entries {
            if o.has('t') {
                io.print(&format!("{rel}\n"));
                continue;
            }
            let to = format!("{}/{}", dir.trim_end_matches('/'), rel);
            let meta = if sh.cred.is_root() {
                st.meta
            } else {
                Meta::new(st.meta.mode, sh.cred.uid, sh.cred.gid)
            };
            let r = match st.kind {
                FileType::Dir => sh
                    .ctx
                    .fs
                    .mkdir_all(&to, meta)
                    .and_then(|_| sh.ctx.fs.set_meta(&to, meta, true)),
                FileType::File => {
                    sh.ctx
                        .fs
                        .put_file(&to, content.unwrap_or_else(Content::empty), meta)
                }
                FileType::Symlink => {
                    sh.ctx
                        .fs
                        .symlink(st.link_target.as_deref().unwrap_or(""), &to, meta)
                }
            };
            if let Err(e) = r {
                return Ok(fail(io, format!("tar: {rel}: {}", e.message())));
            }
        }
        return Ok(0);
    }
    Ok(fail(io, "tar: need one of c, x, t".into()))
}
