//! Account applets: busybox `adduser`/`addgroup` (`adduser -D -u 1000 app`, `addgroup -S g`,
//! `addgroup user group`) and Debian's `useradd`/`groupadd`. They append to /etc/passwd,
//! /etc/group (and /etc/shadow, /etc/gshadow when present) and create the home directory, so
//! the layer stores those files whole again.

use super::errors::{fail, fail_with};
use super::opts::parse;
use crate::content::Content;
use crate::fs::Meta;
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{groups, passwd};

/// Days since 1970 written in the shadow "last change" field (the date of the truth builds).
const SHADOW_DAYS: u32 = 20_781;

fn append_line(sh: &mut Shell, path: &str, line: &str) -> Result<(), crate::fs::FsError> {
    let old = sh.ctx.fs.read(path).unwrap_or_else(|_| Content::empty());
    let mut text = old.to_bytes_bounded(1 << 20).unwrap_or_default();
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    text.extend_from_slice(line.as_bytes());
    text.push(b'\n');
    if sh.ctx.fs.exists(path) {
        sh.check_write(path)?;
        sh.ctx
            .fs
            .write(path, Content::from_bytes(text), Meta::root(0o644))
    } else {
        sh.check_create(path)?;
        sh.ctx
            .fs
            .put_file(path, Content::from_bytes(text), Meta::root(0o644))
    }
}

fn free_id(used: &[u32], from: u32, to: u32) -> u32 {
    (from..=to).find(|i| !used.contains(i)).unwrap_or(to)
}

fn add_group(sh: &mut Shell, name: &str, gid: Option<u32>, system: bool) -> Result<u32, String> {
    let gs = groups(sh.ctx.fs);
    if gs.iter().any(|g| g.name == name) {
        return Err(format!("group '{name}' in use"));
    }
    let used: Vec<u32> = gs.iter().map(|g| g.gid).collect();
    let gid = gid.unwrap_or_else(|| {
        if system {
            free_id(&used, 100, 999)
        } else {
            free_id(&used, 1000, 59999)
        }
    });
    append_line(sh, "/etc/group", &format!("{name}:x:{gid}:"))
        .map_err(|e| e.message().to_string())?;
    if sh.ctx.fs.exists("/etc/gshadow") {
        let _ = append_line(sh, "/etc/gshadow", &format!("{name}:!::"));
    }
    Ok(gid)
}

fn add_member(sh: &mut Shell, user: &str, group: &str) -> Result<(), String> {
    let text = sh
        .ctx
        .fs
        .read("/etc/group")
        .ok()
        .and_then(|c| c.to_bytes_bounded(1 << 20))
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text).into_owned();
    let mut found = false;
    let mut out = String::new();
    for line in text.lines() {
        let mut l = line.to_string();
        if line.split(':').next() == Some(group) {
            found = true;
            if !l.ends_with(':') {
                l.push(',');
            }
            l.push_str(user);
        }
        out.push_str(&l);
        out.push('\n');
    }
    if !found {
        return Err(format!("unknown group {group}"));
    }
    sh.ctx
        .fs
        .write("/etc/group", Content::from_text(&out), Meta::root(0o644))
        .map_err(|e| e.message().to_string())
}

struct NewUser<'s> {
    name: &'s str,
    uid: Option<u32>,
    gid: u32,
    gecos: &'s str,
    home: String,
    shell: String,
    create_home: bool,
    system: bool,
    /// Mode of a created home (busybox 02755, shadow's useradd 0755 here).
    home_mode: u32,
}

fn add_user(sh: &mut Shell, u: NewUser) -> Result<(), String> {
    let ps = passwd(sh.ctx.fs);
    let used: Vec<u32> = ps.iter().map(|p| p.uid).collect();
    let uid = u.uid.unwrap_or_else(|| {
        if u.system {
            free_id(&used, 100, 999)
        } else {
            free_id(&used, 1000, 59999)
        }
    });
    append_line(
        sh,
        "/etc/passwd",
        &format!(
            "{}:x:{}:{}:{}:{}:{}",
            u.name, uid, u.gid, u.gecos, u.home, u.shell
        ),
    )
    .map_err(|e| e.message().to_string())?;
    if sh.ctx.fs.exists("/etc/shadow") {
        let _ = append_line(
            sh,
            "/etc/shadow",
            &format!("{}:!:{}:0:99999:7:::", u.name, SHADOW_DAYS),
        );
    }
    if u.create_home {
        add_user_home(sh, &u.home, uid, u.gid, u.home_mode);
    }
    Ok(())
}

/// Creates a home directory owned by the user with `/etc/skel` copied in; an existing home only
/// gets its owner and mode set (busybox) .
fn add_user_home(sh: &mut Shell, home: &str, uid: u32, gid: u32, mode: u32) {
    let meta = Meta::new(mode, uid, gid);
    let existed = sh.ctx.fs.exists(home);
    let _ = sh.ctx.fs.mkdir_all(home, meta);
    let _ = sh.ctx.fs.set_meta(home, meta, true);
    if existed {
        return;
    }
    if let Ok(entries) = sh.ctx.fs.walk("/etc/skel") {
        for e in entries.into_iter().skip(1) {
            let rel = e.path.trim_start_matches("/etc/skel").to_string();
            let to = format!("{home}{rel}");
            let meta = Meta::new(e.stat.meta.mode, uid, gid);
            let _ = match e.content {
                Some(c) => sh.ctx.fs.put_file(&to, c, meta),
                None => sh.ctx.fs.mkdir_all(&to, meta),
            };
        }
    }
}

/// busybox `adduser [-D] [-S] [-H] [-h home] [-g gecos] [-s shell] [-G group] [-u uid] user
/// [group]`, as busybox 1.35 `adduser_main` does it: uids from 1000 (system: 100..999) skipping
/// used uids and gids, a same-named group with gid = uid unless `-G` (then the user is added to
/// that group's members), `-S` means group `nogroup` and shell `/bin/false`, the shell is root's
/// otherwise, /etc/shadow is appended when it exists, and the home is created 0755, chowned,
/// then made 02755 (setgid).
pub fn adduser(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "hgsGuk", false);
    let Some(name) = o.args.first().cloned() else {
        return Ok(fail(io, "adduser: missing user name".into()));
    };
    if !sh.cred.is_root() {
        return Ok(fail(
            io,
            "adduser: permission denied (are you root?)".into(),
        ));
    }
    if let Some(group) = o.args.get(1).filter(|_| o.flags.is_empty()) {
        // `adduser user group`: add an existing user to a group.
        return Ok(match add_member(sh, &name, group) {
            Ok(()) => 0,
            Err(m) => fail(io, format!("adduser: {m}")),
        });
    }
    let users = passwd(sh.ctx.fs);
    if users.iter().any(|p| p.name == name) {
        return Ok(fail(io, format!("adduser: user '{name}' in use")));
    }
    let system = o.has('S');
    let usegroup = o
        .value('G')
        .map(str::to_string)
        .or_else(|| system.then(|| "nogroup".to_string()));
    let all_groups = groups(sh.ctx.fs);
    let gid = match &usegroup {
        Some(g) => match all_groups
            .iter()
            .find(|x| x.name == *g || x.gid.to_string() == *g)
        {
            Some(x) => Some(x.gid),
            None => return Ok(fail(io, format!("adduser: unknown group {g}"))),
        },
        None => None,
    };
    let uid = match o.value('u') {
        Some(u) => match u.parse::<u32>() {
            Ok(u) if users.iter().any(|p| p.uid == u) => {
                return Ok(fail(io, format!("adduser: uid '{u}' in use")))
            }
            Ok(u) => u,
            Err(_) => return Ok(fail(io, format!("adduser: invalid number '{u}'"))),
        },
        None => {
            let (mut uid, max) = if system {
                (100u32, 999u32)
            } else {
                (1000u32, 60000u32)
            };
            while users.iter().any(|p| p.uid == uid)
                || (gid.is_none() && all_groups.iter().any(|g| g.gid == uid))
            {
                if uid >= max {
                    return Ok(fail(io, "adduser: no uids left".into()));
                }
                uid += 1;
            }
            uid
        }
    };
    let gid = match gid {
        Some(g) => g,
        None => {
            if all_groups.iter().any(|g| g.name == name) {
                return Ok(fail(io, format!("adduser: group '{name}' in use")));
            }
            uid
        }
    };
    let home = o
        .value('h')
        .map(str::to_string)
        .unwrap_or_else(|| format!("/home/{name}"));
    let root_shell = users
        .iter()
        .find(|p| p.uid == 0)
        .map(|p| p.shell.clone())
        .filter(|s| !s.is_empty());
    let shell = match o.value('s') {
        Some(s) => s.to_string(),
        None if system => "/bin/false".to_string(),
        None => root_shell.unwrap_or_else(|| "/bin/sh".to_string()),
    };
    let gecos = o.value('g').unwrap_or("Linux User,,,").to_string();
    if let Err(m) = add_user(
        sh,
        NewUser {
            name: &name,
            uid: Some(uid),
            gid,
            gecos: &gecos,
            home,
            shell,
            create_home: !o.has('H'),
            system,
            home_mode: 0o2755,
        },
    ) {
        return Ok(fail(io, format!("adduser: {m}")));
    }
    let grouped = match &usegroup {
        Some(g) => add_member(sh, &name, g),
        None => add_group(sh, &name, Some(gid), system).map(|_| ()),
    };
    if let Err(m) = grouped {
        return Ok(fail(io, format!("adduser: {m}")));
    }
    if !o.has('D') && !system {
        // Without -D busybox runs `passwd`, which needs a terminal a build does not have.
        return Ok(fail(io, "passwd: must be run from a terminal".into()));
    }
    Ok(0)
}

/// busybox `addgroup [-g gid] [-S] group` or `addgroup user group`.
pub fn addgroup(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "g", false);
    if !sh.cred.is_root() {
        return Ok(fail(io, "addgroup: need to be root".into()));
    }
    match o.args.as_slice() {
        [user, group] => Ok(match add_member(sh, user, group) {
            Ok(()) => 0,
            Err(m) => fail(io, format!("addgroup: {m}")),
        }),
        [name] => {
            let gid = o.value('g').and_then(|g| g.parse().ok());
            Ok(match add_group(sh, name, gid, o.has('S')) {
                Ok(_) => 0,
                Err(m) => fail(io, format!("addgroup: {m}")),
            })
        }
        _ => Ok(fail(io, "addgroup: missing group name".into())),
    }
}

/// shadow-utils' pick (useradd/groupadd): one above the highest id in use within
/// [1000, 60000] for normal ids; for system ids (-r) the highest free id at or below 999.
/// `prefer`: the id to take if free (a user group takes gid = uid).
fn shadow_id(used: &[u32], system: bool, prefer: Option<u32>) -> u32 {
    if let Some(p) = prefer.filter(|p| !used.contains(p)) {
        return p;
    }
    if system {
        return (101..=999).rev().find(|i| !used.contains(i)).unwrap_or(999);
    }
    let highest = used
        .iter()
        .copied()
        .filter(|u| (1000..=60000).contains(u))
        .max();
    match highest {
        Some(h) if h < 60000 => h + 1,
        Some(_) => (1000..=60000).find(|i| !used.contains(i)).unwrap_or(60000),
        None => 1000,
    }
}

/// Appends a line the way shadow-utils' commonio does: the old file is kept as `<file>-`
/// (so the layer stores both), and the new one keeps the old mode and owner.
fn shadow_append(sh: &mut Shell, path: &str, line: &str) -> Result<(), crate::fs::FsError> {
    if let (Ok(old), Ok(st)) = (sh.ctx.fs.read(path), sh.ctx.fs.stat(path)) {
        sh.ctx.fs.put_file(&format!("{path}-"), old, st.meta)?;
    }
    append_line(sh, path, line)
}

/// The lastlog/faillog records useradd writes at offset uid * record size: the files grow
/// (zero-filled, and a layer tar stores them whole) unless `-l` is given.
fn grow_log(sh: &mut Shell, path: &str, uid: u32, record: u64) {
    if let Ok(old) = sh.ctx.fs.read(path) {
        let want = (u64::from(uid) + 1) * record;
        let new = if old.len() >= want {
            old
        } else {
            old.append(&Content::zeros(want - old.len()))
        };
        let _ = sh.ctx.fs.write(path, new, Meta::root(0o644));
    }
}

/// Debian `useradd [-m] [-r] [-l] [-u uid] [-g group] [-G groups] [-s shell] [-d home] [-c gecos]
/// user` (shadow-utils 4.13): a user group with gid = uid when free, `name:x:uid:gid::home:shell`,
/// /etc/shadow and /etc/gshadow entries, `-` backups of every file it rewrites, subordinate ids
/// when /etc/subuid exists, and lastlog/faillog records.
pub fn useradd(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "ugGsdcKk", false);
    let Some(name) = o.args.first().cloned() else {
        return Ok(fail_with(io, 2, "useradd: missing user name".into()));
    };
    if !sh.cred.is_root() {
        return Ok(fail(
            io,
            "useradd: Permission denied.\nuseradd: cannot lock /etc/passwd; try again later."
                .into(),
        ));
    }
    let users = passwd(sh.ctx.fs);
    if users.iter().any(|p| p.name == name) {
        return Ok(fail_with(
            io,
            9,
            format!("useradd: user '{name}' already exists"),
        ));
    }
    let system = o.has('r');
    let used_uids: Vec<u32> = users.iter().map(|p| p.uid).collect();
    let uid = match o.value('u').map(str::parse::<u32>) {
        Some(Ok(u)) if used_uids.contains(&u) && !o.has('o') => {
            return Ok(fail_with(io, 4, format!("useradd: UID {u} is not unique")))
        }
        Some(Ok(u)) => u,
        Some(Err(_)) => {
            return Ok(fail_with(
                io,
                3,
                format!("useradd: invalid user ID '{}'", o.value('u').unwrap_or("")),
            ))
        }
        None => shadow_id(&used_uids, system, None),
    };
    let all_groups = groups(sh.ctx.fs);
    let gid = match o.value('g') {
        Some(g) => match all_groups
            .iter()
            .find(|x| x.name == g || x.gid.to_string() == g)
        {
            Some(x) => x.gid,
            None => {
                return Ok(fail_with(
                    io,
                    6,
                    format!("useradd: group '{g}' does not exist"),
                ))
            }
        },
        None => {
            if all_groups.iter().any(|g| g.name == name) {
                return Ok(fail_with(io, 9, format!("useradd: group {name} exists - if you want to add this user to that group, use -g.")));
            }
            let used: Vec<u32> = all_groups.iter().map(|g| g.gid).collect();
            let gid = shadow_id(&used, system, Some(uid));
            if shadow_append(sh, "/etc/group", &format!("{name}:x:{gid}:")).is_err() {
                return Ok(fail_with(
                    io,
                    10,
                    "useradd: cannot lock /etc/group; try again later.".into(),
                ));
            }
            if sh.ctx.fs.exists("/etc/gshadow") {
                let _ = shadow_append(sh, "/etc/gshadow", &format!("{name}:!::"));
            }
            gid
        }
    };
    let home = o
        .value('d')
        .map(str::to_string)
        .unwrap_or_else(|| format!("/home/{name}"));
    let shell = o
        .value('s')
        .map(str::to_string)
        .unwrap_or_else(|| "/bin/sh".into());
    let gecos = o.value('c').unwrap_or("").to_string();
    if let Some(extra) = o.value('G') {
        for g in extra.split(',').filter(|g| !g.is_empty()) {
            if let Err(m) = add_member(sh, &name, g) {
                return Ok(fail_with(io, 6, format!("useradd: {m}")));
            }
        }
    }
    if shadow_append(
        sh,
        "/etc/passwd",
        &format!("{name}:x:{uid}:{gid}:{gecos}:{home}:{shell}"),
    )
    .is_err()
    {
        return Ok(fail(
            io,
            "useradd: cannot lock /etc/passwd; try again later.".into(),
        ));
    }
    if sh.ctx.fs.exists("/etc/shadow") {
        let _ = shadow_append(
            sh,
            "/etc/shadow",
            &format!("{name}:!:{SHADOW_DAYS}:0:99999:7:::"),
        );
    }
    if !system {
        for file in ["/etc/subuid", "/etc/subgid"] {
            let Ok(old) = sh.ctx.fs.read(file) else {
                continue;
            };
            let text = String::from_utf8_lossy(&old.to_bytes_bounded(1 << 20).unwrap_or_default())
                .into_owned();
            let next = text
                .lines()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split(':').collect();
                    Some(f.get(1)?.parse::<u64>().ok()? + f.get(2)?.parse::<u64>().ok()?)
                })
                .max()
                .unwrap_or(100_000);
            let _ = shadow_append(sh, file, &format!("{name}:{next}:65536"));
        }
    }
    if !o.has('l') {
        grow_log(sh, "/var/log/lastlog", uid, 292);
        grow_log(sh, "/var/log/faillog", uid, 32);
    }
    if o.has('m') {
        add_user_home(sh, &home, uid, gid, 0o755);
    }
    Ok(0)
}

/// Debian `groupadd [-g gid] [-r] [-f] group`.
pub fn groupadd(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "gK", false);
    let Some(name) = o.args.first() else {
        return Ok(fail_with(io, 2, "groupadd: missing group name".into()));
    };
    if !sh.cred.is_root() {
        return Ok(fail_with(io, 10, "groupadd: Permission denied.".into()));
    }
    let all = groups(sh.ctx.fs);
    if all.iter().any(|g| g.name == *name) {
        return Ok(if o.has('f') {
            0
        } else {
            fail_with(io, 9, format!("groupadd: group '{name}' already exists"))
        });
    }
    let used: Vec<u32> = all.iter().map(|g| g.gid).collect();
    let gid = match o.value('g').map(str::parse::<u32>) {
        Some(Ok(g)) if used.contains(&g) && !o.has('o') => {
            return Ok(fail_with(
                io,
                4,
                format!("groupadd: GID '{g}' already exists"),
            ))
        }
        Some(Ok(g)) => g,
        Some(Err(_)) => return Ok(fail_with(io, 3, "groupadd: invalid group ID".into())),
        None => shadow_id(&used, o.has('r'), None),
    };
    if shadow_append(sh, "/etc/group", &format!("{name}:x:{gid}:")).is_err() {
        return Ok(fail_with(
            io,
            10,
            "groupadd: cannot lock /etc/group; try again later.".into(),
        ));
    }
    if sh.ctx.fs.exists("/etc/gshadow") {
        let _ = shadow_append(sh, "/etc/gshadow", &format!("{name}:!::"));
    }
    Ok(0)
}
