//! File applets: cat cp mv rm rmdir mkdir touch ln tee mktemp. Messages follow busybox 1.35
//! (`rm: can't remove 'x': No such file or directory`). Modes and owners are in `perms`, sized
//! files (dd, truncate, fallocate) in `blocks`, tar in `archive`.

use super::errors::fail;
use super::opts::parse;
use super::perms::apply_mode;
use crate::content::Content;
use crate::fs::{path, FileType, FsError, Meta};
use crate::shell::exec::{Io, Shell, Status};

pub fn cat(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    // `-n` / `-b`: number all / non-empty lines of the whole output (busybox CATN).
    if o.has('n') || o.has('b') {
        let mut plain = Io::with_stdin(std::mem::take(&mut io.stdin));
        let args: Vec<String> = std::iter::once("cat".to_string())
            .chain(o.args.iter().cloned())
            .collect();
        let code = cat(sh, &args, &mut plain)?;
        io.err.extend_from_slice(&plain.err);
        if let Some(t) = super::text::text_of(sh, &plain.out) {
            io.print(&super::more::numbered(&t, !o.has('b')));
        }
        return Ok(code);
    }
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
        // A directory opens but cannot be read (busybox `bb_copyfd_eof`: read error).
        if sh.ctx.fs.is_dir(&p) {
            code = fail(io, "cat: read error: Is a directory".into());
            continue;
        }
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
                // open(dst, O_CREAT, source mode): the umask applies.
                e.stat.meta.mode & 0o777 & !sh.umask,
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
    let parents_meta = sh.new_dir_meta();
    let mut meta = parents_meta;
    if let Some(m) = o.value('m') {
        // busybox `bb_parse_mode(smode, 0777)`: symbolic modes start from 0777.
        match apply_mode(m, 0o777, true) {
            Some(mode) => meta.mode = mode,
            None => return Ok(fail(io, format!("mkdir: invalid mode '{m}'"))),
        }
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
            let existed = sh.ctx.fs.exists(&p);
            let check = if existed {
                Ok(())
            } else {
                sh.check_create(&probe)
            };
            // busybox `bb_make_directory`: `-m` is applied (chmod) to the last component only,
            // and only when it creates it; the parents get the default 0777 & ~umask.
            check
                .and_then(|_| sh.ctx.fs.mkdir_all(&p, parents_meta))
                .and_then(|_| {
                    if existed || meta == parents_meta {
                        Ok(())
                    } else {
                        sh.ctx.fs.set_meta(&p, meta, true)
                    }
                })
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
