//! File applets: cat cp mv rm rmdir mkdir touch ln chmod chown chgrp dd truncate fallocate tee
//! mktemp tar. Messages follow busybox 1.35 (`rm: can't remove 'x': No such file or directory`).

use super::opts::{parse, parse_size};
use crate::content::Content;
use crate::fs::{path, FileType, FsError, Meta};
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{lookup_gid, lookup_uid};
use std::collections::HashMap;
use std::sync::Mutex;

fn fail(io: &mut Io, msg: String) -> i32 {
    io.eprint(&msg);
    io.eprint("\n");
    1
}

pub fn cat(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let mut code = 0;
    let files = if o.args.is_empty() {
        vec!["-".to_string()]
    } else {
        o.args.clone()
    };
    for f in files {
        if f == "-" {
            let input = std::mem::take(&mut io.stdin);
            io.out = io.out.append(&input);
            continue;
        }
        let p = sh.abs(&f);
        match sh.read_file(&p, Some(0)) {
            Ok(c) => io.out = io.out.append(&c),
            Err(e) => code = fail(io, format!("cat: can't open '{f}': {}", e.message())),
        }
    }
    Ok(code)
}

/// The path an operand lands at when the destination may be a directory.
fn into_dir(sh: &Shell, src: &str, dst: &str) -> String {
    let d = sh.abs(dst);
    // `cp -a src/. dst`: the contents of src go into dst itself.
    let whole_dir = src == "." || src.ends_with("/.");
    if sh.ctx.fs.is_dir(&d) && !whole_dir {
        let base = path::base_name(&path::key_of(src)).to_string();
        format!("{}/{}", d.trim_end_matches('/'), base)
    } else {
        d
    }
}

pub fn cp(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let recursive = o.has('r') || o.has('R') || o.has('a');
    let preserve = o.has('a') || o.has('p');
    let no_clobber = o.has('n');
    if o.args.len() < 2 {
        return Ok(fail(io, "cp: missing file operand".into()));
    }
    let (srcs, dst) = o.args.split_at(o.args.len() - 1);
    let dst = &dst[0];
    if srcs.len() > 1 && !sh.ctx.fs.is_dir(&sh.abs(dst)) {
        return Ok(fail(io, format!("cp: '{dst}' is not a directory")));
    }
    let mut code = 0;
    for s in srcs {
        let sp = sh.abs(s);
        let st = match sh.ctx.fs.stat(&sp) {
            Ok(st) => st,
            Err(e) => {
                code = fail(io, format!("cp: can't stat '{s}': {}", e.message()));
                continue;
            }
        };
        let target = into_dir(sh, s, dst);
        if st.is_dir() && !recursive {
            code = fail(io, format!("cp: omitting directory '{s}'"));
            continue;
        }
        if let Err(e) = copy_tree(sh, &sp, &target, preserve, no_clobber) {
            code = fail(io, format!("cp: can't create '{target}': {}", e.message()));
        }
    }
    Ok(code)
}

fn copy_tree(
    sh: &mut Shell,
    src: &str,
    dst: &str,
    preserve: bool,
    no_clobber: bool,
) -> Result<(), FsError> {
    let entries = sh.ctx.fs.walk(src)?;
    let root = entries.first().map(|e| e.path.clone()).unwrap_or_default();
    for e in entries {
        let rel = e.path.strip_prefix(root.as_str()).unwrap_or("");
        let to = format!("{}{}", dst, rel);
        let meta = if preserve {
            e.stat.meta
        } else {
            Meta::new(
                e.stat.meta.mode & 0o755 & !0o022 | (e.stat.meta.mode & 0o644 & !0o022),
                sh.cred.uid,
                sh.cred.gid,
            )
        };
        match e.stat.kind {
            FileType::Dir => {
                if !sh.ctx.fs.is_dir(&to) {
                    sh.check_create(&to)?;
                    sh.ctx.fs.mkdir(&to, meta)?;
                } else if preserve {
                    sh.ctx.fs.set_meta(&to, meta, true)?;
                }
            }
            FileType::File => {
                let content = e.content.unwrap_or_else(Content::empty);
                if sh.ctx.fs.exists(&to) {
                    if no_clobber {
                        continue;
                    }
                    sh.check_write(&to)?;
                    sh.ctx.fs.write(&to, content, meta)?;
                    if preserve {
                        sh.ctx.fs.set_meta(&to, meta, true)?;
                    }
                } else {
                    sh.check_create(&to)?;
                    sh.ctx.fs.put_file(&to, content, meta)?;
                }
            }
            FileType::Symlink => {
                if rel.is_empty() {
                    // A top-level symlink operand is followed (the walk started at its target).
                    continue;
                }
                let target = e.stat.link_target.unwrap_or_default();
                let _ = sh.ctx.fs.remove(&to, false);
                sh.ctx.fs.symlink(&target, &to, meta)?;
            }
        }
    }
    Ok(())
}

pub fn mv(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    if o.args.len() < 2 {
        return Ok(fail(io, "mv: missing file operand".into()));
    }
    let (srcs, dst) = o.args.split_at(o.args.len() - 1);
    let mut code = 0;
    for s in srcs {
        let sp = sh.abs(s);
        let target = into_dir(sh, s, &dst[0]);
        let r = sh
            .check_create(&sp)
            .and_then(|_| sh.check_create(&target))
            .and_then(|_| {
                if sh.ctx.fs.is_dir(&target) && !sh.ctx.fs.is_dir(&sp) {
                    return Err(FsError::IsDir);
                }
                sh.ctx.fs.rename(&sp, &target)
            });
        if let Err(e) = r {
            code = fail(io, format!("mv: can't rename '{s}': {}", e.message()));
        }
    }
    Ok(code)
}

pub fn rm(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let recursive = o.has('r') || o.has('R');
    let force = o.has('f');
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        let r = match sh.ctx.fs.lstat(&p) {
            Err(e) => Err(e),
            Ok(st) if st.is_dir() && !recursive => Err(FsError::IsDir),
            Ok(_) => sh.check_create(&p).and_then(|_| sh.ctx.fs.remove(&p, true)),
        };
        match r {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(e) => code = fail(io, format!("rm: can't remove '{f}': {}", e.message())),
        }
    }
    Ok(code)
}

pub fn rmdir(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        let r = match sh.ctx.fs.lstat(&p) {
            Ok(st) if !st.is_dir() => Err(FsError::NotDir),
            Ok(_) => sh.ctx.fs.remove(&p, false),
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            code = fail(io, format!("rmdir: '{f}': {}", e.message()));
        }
    }
    Ok(code)
}

pub fn mkdir(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "m", false);
    let mut meta = sh.new_dir_meta();
    if let Some(m) = o.value('m') {
        meta.mode = apply_mode(m, 0o777 & !0o022, true).unwrap_or(meta.mode);
    }
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        let r = if o.has('p') {
            // Check the first missing ancestor's parent for permission.
            let mut probe = p.clone();
            while !sh.ctx.fs.exists(&probe) && probe != "/" {
                let k = path::key_of(&probe);
                let parent = path::parent_key(&k).to_string();
                if sh.ctx.fs.exists(&format!("/{parent}")) {
                    break;
                }
                probe = format!("/{parent}");
            }
            let check = if sh.ctx.fs.exists(&p) {
                Ok(())
            } else {
                sh.check_create(&probe)
            };
            check.and_then(|_| sh.ctx.fs.mkdir_all(&p, meta))
        } else {
            sh.check_create(&p).and_then(|_| sh.ctx.fs.mkdir(&p, meta))
        };
        if let Err(e) = r {
            code = fail(
                io,
                format!("mkdir: can't create directory '{f}': {}", e.message()),
            );
        }
    }
    Ok(code)
}

pub fn touch(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "drt", false);
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        if o.has('c') && !sh.ctx.fs.exists(&p) {
            continue;
        }
        let meta = sh.new_file_meta();
        let r = sh
            .check_write(&p)
            .or_else(|e| if sh.ctx.fs.is_dir(&p) { Ok(()) } else { Err(e) })
            .and_then(|_| sh.ctx.fs.touch(&p, meta));
        if let Err(e) = r {
            code = fail(io, format!("touch: {f}: {}", e.message()));
        }
    }
    Ok(code)
}

pub fn ln(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let symbolic = o.has('s');
    let force = o.has('f');
    if o.args.is_empty() {
        return Ok(fail(io, "ln: missing file operand".into()));
    }
    let (srcs, dst) = if o.args.len() == 1 {
        (&o.args[..], ".".to_string())
    } else {
        (
            &o.args[..o.args.len() - 1],
            o.args[o.args.len() - 1].clone(),
        )
    };
    let mut code = 0;
    for s in srcs {
        let d = sh.abs(&dst);
        let target = if sh.ctx.fs.is_dir(&d)
            && !(o.has('n') && sh.ctx.fs.lstat(&d).is_ok_and(|st| st.is_symlink()))
        {
            format!(
                "{}/{}",
                d.trim_end_matches('/'),
                path::base_name(&path::key_of(s))
            )
        } else {
            d
        };
        if force && sh.ctx.fs.lstat(&target).is_ok_and(|st| !st.is_dir()) {
            let _ = sh.ctx.fs.remove(&target, false);
        }
        let owner = sh.new_file_meta();
        let r = sh.check_create(&target).and_then(|_| {
            if symbolic {
                sh.ctx.fs.symlink(s, &target, owner)
            } else {
                sh.ctx.fs.link(&sh.abs(s), &target)
            }
        });
        if let Err(e) = r {
            code = fail(
                io,
                format!(
                    "ln: {}: {}",
                    if e == FsError::Exists {
                        target.clone()
                    } else {
                        s.clone()
                    },
                    e.message()
                ),
            );
        }
    }
    Ok(code)
}

/// Applies an octal or symbolic mode (`u+x,go-w`, `a=r`, `+X`) to `old`.
pub fn apply_mode(spec: &str, old: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| ('0'..='7').contains(&c)) {
        return u32::from_str_radix(spec, 8).ok().map(|m| m & 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let c: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0u32;
        while let Some(&w) = c.get(i) {
            match w {
                'u' => who |= 0o4700,
                'g' => who |= 0o2070,
                'o' => who |= 0o1007,
                'a' => who |= 0o7777,
                _ => break,
            }
            i += 1;
        }
        let implicit = who == 0;
        if implicit {
            who = 0o7777;
        }
        if i >= c.len() {
            return None;
        }
        while let Some(&op) = c.get(i) {
            if !"+-=".contains(op) {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            while let Some(&p) = c.get(i) {
                match p {
                    'r' => bits |= 0o444,
                    'w' => bits |= 0o222,
                    'x' => bits |= 0o111,
                    'X' => {
                        if is_dir || old & 0o111 != 0 {
                            bits |= 0o111
                        }
                    }
                    's' => bits |= 0o6000,
                    't' => bits |= 0o1000,
                    'u' => bits |= ((mode >> 6) & 7) * 0o111,
                    'g' => bits |= ((mode >> 3) & 7) * 0o111,
                    'o' => bits |= (mode & 7) * 0o111,
                    _ => break,
                }
                i += 1;
            }
            let mut mask = who & bits;
            if implicit && op != '=' {
                // Without who, the umask (022) filters what is added.
                mask &= !0o022;
            }
            match op {
                '+' => mode |= mask,
                '-' => mode &= !mask,
                _ => mode = (mode & !(who & 0o7777)) | mask,
            }
        }
    }
    Some(mode & 0o7777)
}

fn targets(sh: &Shell, args: &[String], recursive: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in args {
        let p = sh.abs(a);
        if recursive {
            if let Ok(entries) = sh.ctx.fs.walk(&p) {
                for (i, e) in entries.into_iter().enumerate() {
                    out.push((if i == 0 { a.clone() } else { e.path.clone() }, e.path));
                }
                continue;
            }
        }
        out.push((a.clone(), p));
    }
    out
}

pub fn chmod(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    // Symbolic modes like `-x` look like options: take the first non-R/f/v operand as the mode.
    let recursive = argv.iter().skip(1).any(|a| a == "-R");
    let rest: Vec<String> = argv
        .iter()
        .skip(1)
        .filter(|a| !matches!(a.as_str(), "-R" | "-f" | "-v" | "-c" | "--"))
        .cloned()
        .collect();
    let Some((spec, files)) = rest.split_first() else {
        return Ok(fail(io, "chmod: missing operand".into()));
    };
    let mut code = 0;
    for (shown, p) in targets(sh, files, recursive) {
        let st = match sh.ctx.fs.lstat(&p) {
            Ok(st) if st.is_symlink() => {
                if recursive && shown != p {
                    continue;
                }
                match sh.ctx.fs.stat(&p) {
                    Ok(s) => s,
                    Err(e) => {
                        code = fail(io, format!("chmod: {shown}: {}", e.message()));
                        continue;
                    }
                }
            }
            Ok(st) => st,
            Err(e) => {
                code = fail(io, format!("chmod: {shown}: {}", e.message()));
                continue;
            }
        };
        let Some(mode) = apply_mode(spec, st.meta.mode, st.is_dir()) else {
            return Ok(fail(io, format!("chmod: invalid mode '{spec}'")));
        };
        let r = sh.owns_or_root(&p).and_then(|_| {
            sh.ctx
                .fs
                .set_meta(&p, Meta::new(mode, st.meta.uid, st.meta.gid), true)
        });
        if let Err(e) = r {
            code = fail(io, format!("chmod: {shown}: {}", e.message()));
        }
    }
    Ok(code)
}

fn chown_impl(
    sh: &mut Shell,
    applet: &str,
    spec: &str,
    files: &[String],
    recursive: bool,
    no_deref: bool,
    group_only: bool,
    io: &mut Io,
) -> i32 {
    let (user, group) = if group_only {
        (None, Some(spec.to_string()))
    } else {
        match spec.split_once([':', '.']) {
            Some((u, g)) => (
                if u.is_empty() {
                    None
                } else {
                    Some(u.to_string())
                },
                if g.is_empty() {
                    None
                } else {
                    Some(g.to_string())
                },
            ),
            None => (Some(spec.to_string()), None),
        }
    };
    let uid = match &user {
        Some(u) => match lookup_uid(sh.ctx.fs, u) {
            Some(id) => Some(id),
            None => return fail(io, format!("{applet}: unknown user {u}")),
        },
        None => None,
    };
    let gid = match &group {
        Some(g) => match lookup_gid(sh.ctx.fs, g) {
            Some(id) => Some(id),
            None => return fail(io, format!("{applet}: unknown group {g}")),
        },
        None => None,
    };
    // `chown user: f` uses the user's login group.
    let gid = if gid.is_none() && spec.ends_with(':') {
        uid.and_then(|u| {
            crate::shell::users::passwd(sh.ctx.fs)
                .into_iter()
                .find(|p| p.uid == u)
                .map(|p| p.gid)
        })
    } else {
        gid
    };
    let mut code = 0;
    for (shown, p) in targets(sh, files, recursive) {
        let follow = !(no_deref || (recursive && shown != p));
        let st = match if follow {
            sh.ctx.fs.stat(&p)
        } else {
            sh.ctx.fs.lstat(&p)
        } {
            Ok(s) => s,
            Err(e) => {
                code = fail(io, format!("{applet}: {shown}: {}", e.message()));
                continue;
            }
        };
        if !sh.cred.is_root() {
            code = fail(io, format!("{applet}: {shown}: Operation not permitted"));
            continue;
        }
        let meta = Meta::new(
            st.meta.mode,
            uid.unwrap_or(st.meta.uid),
            gid.unwrap_or(st.meta.gid),
        );
        if let Err(e) = sh.ctx.fs.set_meta(&p, meta, follow) {
            code = fail(io, format!("{applet}: {shown}: {}", e.message()));
        }
    }
    code
}

pub fn chown(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let Some((spec, files)) = o.args.split_first() else {
        return Ok(fail(io, "chown: missing operand".into()));
    };
    Ok(chown_impl(
        sh,
        "chown",
        spec,
        files,
        o.has('R'),
        o.has('h'),
        false,
        io,
    ))
}

pub fn chgrp(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let Some((spec, files)) = o.args.split_first() else {
        return Ok(fail(io, "chgrp: missing operand".into()));
    };
    Ok(chown_impl(
        sh,
        "chgrp",
        spec,
        files,
        o.has('R'),
        o.has('h'),
        true,
        io,
    ))
}

pub fn dd(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut kv: HashMap<&str, &str> = HashMap::new();
    for a in argv.iter().skip(1) {
        match a.split_once('=') {
            Some((k, v)) => {
                kv.insert(k, v);
            }
            None => return Ok(fail(io, format!("dd: invalid argument '{a}'"))),
        }
    }
    let size_of = |k: &str, default: u64| -> Result<u64, String> {
        match kv.get(k) {
            Some(v) => parse_size(v).ok_or_else(|| format!("dd: invalid number '{v}'")),
            None => Ok(default),
        }
    };
    let parsed = (|| -> Result<(u64, u64, Option<u64>, u64, u64), String> {
        let bs = size_of("bs", 512)?;
        let ibs = size_of("ibs", bs)?;
        let count = match kv.get("count") {
            Some(v) => Some(parse_size(v).ok_or_else(|| format!("dd: invalid number '{v}'"))?),
            None => None,
        };
        Ok((
            ibs,
            size_of("obs", bs)?,
            count,
            size_of("skip", 0)?,
            size_of("seek", 0)?,
        ))
    })();
    let (ibs, obs, count, skip, seek) = match parsed {
        Ok(v) => v,
        Err(m) => return Ok(fail(io, m)),
    };
    let input_path = kv.get("if").map(|p| sh.abs(p));
    let want = count.map(|c| c.saturating_mul(ibs));
    let source = match &input_path {
        Some(p)
            if (p == "/dev/zero" || p == "/dev/urandom" || p == "/dev/random")
                && want.is_none() =>
        {
            return Ok(fail(
                io,
                "dd: error writing: No space left on device (an endless input needs count=)".into(),
            ));
        }
        Some(p) => match sh.read_file(p, want) {
            Ok(c) => c,
            Err(e) => {
                return Ok(fail(
                    io,
                    format!(
                        "dd: can't open '{}': {}",
                        kv.get("if").copied().unwrap_or(""),
                        e.message()
                    ),
                ))
            }
        },
        None => std::mem::take(&mut io.stdin),
    };
    let start = skip.saturating_mul(ibs);
    let avail = source.len().saturating_sub(start);
    let n = want.map_or(avail, |w| w.min(avail));
    let data = source.slice(start, n);
    let full = n / ibs.max(1);
    let partial = u64::from(n % ibs.max(1) != 0);
    let notrunc = kv.get("conv").is_some_and(|c| c.contains("notrunc"));
    match kv.get("of") {
        Some(of) => {
            let p = sh.abs(of);
            let offset = seek.saturating_mul(obs);
            let old = if sh.ctx.fs.exists(&p) {
                sh.ctx.fs.read(&p).unwrap_or_else(|_| Content::empty())
            } else {
                Content::empty()
            };
            let head = if old.len() >= offset {
                old.slice(0, offset)
            } else {
                old.append(&Content::zeros(offset - old.len()))
            };
            let mut new = head.append(&data);
            if notrunc && old.len() > new.len() {
                new = new.append(&old.slice(new.len(), old.len() - new.len()));
            }
            if let Err(e) = sh.write_file(&p, new, false) {
                return Ok(fail(io, format!("dd: can't open '{of}': {}", e.message())));
            }
        }
        None => io.out = io.out.append(&data),
    }
    if kv
        .get("status")
        .map(|s| *s != "none" && *s != "noxfer")
        .unwrap_or(true)
    {
        io.eprint(&format!("{full}+{partial} records in\n{full}+{partial} records out\n{n} bytes ({}) copied, 0.001 s, 1.0GB/s\n", human(n)));
    }
    Ok(0)
}

fn human(n: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1}{}", units[u])
}

pub fn truncate(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "s", false);
    let Some(spec) = o.value('s').map(str::to_string) else {
        return Ok(fail(io, "truncate: you must specify -s".into()));
    };
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        if o.has('c') && !sh.ctx.fs.exists(&p) {
            continue;
        }
        let old = sh.ctx.fs.read(&p).unwrap_or_else(|_| Content::empty());
        let (rel, digits) = match spec.chars().next() {
            Some(c @ ('+' | '-')) => (Some(c), &spec[1..]),
            _ => (None, spec.as_str()),
        };
        let Some(n) = parse_size(digits) else {
            return Ok(fail(io, format!("truncate: invalid number '{spec}'")));
        };
        let size = match rel {
            Some('+') => old.len().saturating_add(n),
            Some(_) => old.len().saturating_sub(n),
            None => n,
        };
        let new = if size <= old.len() {
            old.slice(0, size)
        } else {
            old.append(&Content::zeros(size - old.len()))
        };
        if let Err(e) = sh.write_file(&p, new, false) {
            code = fail(io, format!("truncate: {f}: {}", e.message()));
        }
    }
    Ok(code)
}

pub fn fallocate(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "lo", false);
    let Some(n) = o.value('l').and_then(parse_size) else {
        return Ok(fail(io, "fallocate: invalid length".into()));
    };
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        let old = sh.ctx.fs.read(&p).unwrap_or_else(|_| Content::empty());
        let new = if n <= old.len() {
            old
        } else {
            old.append(&Content::zeros(n - old.len()))
        };
        if let Err(e) = sh.write_file(&p, new, false) {
            code = fail(io, format!("fallocate: {f}: {}", e.message()));
        }
    }
    Ok(code)
}

pub fn tee(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let input = std::mem::take(&mut io.stdin);
    let mut code = 0;
    for f in &o.args {
        let p = sh.abs(f);
        if let Err(e) = sh.write_file(&p, input.clone(), o.has('a')) {
            code = fail(io, format!("tee: {f}: {}", e.message()));
        }
    }
    io.out = io.out.append(&input);
    Ok(code)
}

pub fn mktemp(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "p", false);
    let template = o
        .args
        .first()
        .cloned()
        .unwrap_or_else(|| "tmp.XXXXXX".to_string());
    let dir = o
        .value('p')
        .map(str::to_string)
        .unwrap_or_else(|| "/tmp".to_string());
    let base = if template.contains('/') {
        sh.abs(&template)
    } else {
        format!("{dir}/{template}")
    };
    for n in 0..1000u64 {
        sh.random_counter += 1;
        let suffix = format!(
            "{:06x}",
            (sh.random_counter.wrapping_mul(0x9e37_79b9) ^ n) & 0xff_ffff
        );
        let mut name = base.clone();
        let xs = name.chars().rev().take_while(|c| *c == 'X').count();
        name.truncate(name.len() - xs);
        name.push_str(&suffix[..xs.min(6)]);
        if sh.ctx.fs.exists(&name) {
            continue;
        }
        let r = if o.has('d') {
            sh.check_create(&name).and_then(|_| {
                sh.ctx
                    .fs
                    .mkdir(&name, Meta::new(0o700, sh.cred.uid, sh.cred.gid))
            })
        } else {
            sh.write_file(&name, Content::empty(), false).and_then(|_| {
                sh.ctx
                    .fs
                    .set_meta(&name, Meta::new(0o600, sh.cred.uid, sh.cred.gid), true)
            })
        };
        return Ok(match r {
            Ok(()) => {
                io.print(&format!("{name}\n"));
                0
            }
            Err(e) => fail(io, format!("mktemp: {}", e.message())),
        });
    }
    Ok(1)
}

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
            let base = format!("{}/{}", dir.trim_end_matches('/'), a);
            match sh.ctx.fs.walk(&base) {
                Ok(list) => {
                    for e in list {
                        let rel = format!(
                            "{}{}",
                            a.trim_end_matches('/'),
                            e.path
                                .strip_prefix(base.trim_end_matches('/'))
                                .unwrap_or("")
                        );
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
