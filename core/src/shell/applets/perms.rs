//! Permission applets: chmod (octal and symbolic modes, -R), chown and chgrp (names through the
//! image's /etc/passwd and /etc/group, `user:group`, `user:`, -R, -h). Only root may chown.

use super::errors::fail;
use super::opts::parse;
use crate::fs::Meta;
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{lookup_gid, lookup_uid};

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
            if implicit {
                // Without who, the umask (022) filters the bits, for `=` too (busybox
                // `bb_parse_mode`: `permlist &= ~umask` whatever the op).
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

/// `chown [-Rh] USER[:GROUP] FILE...` and `chgrp [-Rh] GROUP FILE...` (`applet` tells which).
fn change_owner(sh: &mut Shell, applet: &str, argv: &[String], io: &mut Io) -> i32 {
    let o = parse(argv, "", false);
    let Some((spec, files)) = o.args.split_first() else {
        return fail(io, format!("{applet}: missing operand"));
    };
    let (recursive, no_deref, group_only) = (o.has('R'), o.has('h'), applet == "chgrp");
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
    Ok(change_owner(sh, "chown", argv, io))
}

pub fn chgrp(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    Ok(change_owner(sh, "chgrp", argv, io))
}
