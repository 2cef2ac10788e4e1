//! Information applets: stat id whoami env printenv which basename dirname seq sleep uname
//! nproc hostname readlink realpath du (busybox 1.35 output formats). `ls` is in `listing`,
//! `find` in `find`.

use super::errors::fail;
use super::listing::mode_string;
use super::opts::parse;
use crate::fs::FileType;
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{group_name, passwd, user_name};
use crate::units::busybox_human;

pub fn stat(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "c", false);
    let mut code = 0;
    let deref = o.has('L');
    for f in &o.args {
        let p = sh.abs(f);
        let st = if deref {
            sh.ctx.fs.stat(&p)
        } else {
            sh.ctx.fs.lstat(&p)
        };
        let st = match st {
            Ok(s) => s,
            Err(e) => {
                code = fail(io, format!("stat: can't stat '{f}': {}", e.message()));
                continue;
            }
        };
        let fmt = o.value('c').map(str::to_string).unwrap_or_else(|| {
            "  File: '%n'\n  Size: %s\tType: %F\nAccess: (%a/%A)  Uid: (%u/%U)   Gid: (%g/%G)"
                .to_string()
        });
        let mut s = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                s.push(c);
                continue;
            }
            // busybox `print_it`: `%<modifiers><spec>`, modifiers from "#-+.I 0123456789",
            // handed to printf with the spec's C conversion.
            let mut mods = String::new();
            while let Some(&m) = chars.peek() {
                if !"#-+.I 0123456789".contains(m) {
                    break;
                }
                mods.push(m);
                chars.next();
            }
            let Some(spec) = chars.next() else {
                s.push('%');
                break;
            };
            if spec == '%' {
                s.push('%');
                continue;
            }
            let (value, numeric) = stat_field(sh, &st, f, spec);
            s.push_str(&pad_field(&mods, &value, numeric));
        }
        s.push('\n');
        io.print(&s);
    }
    Ok(code)
}

/// One `stat -c` directive's value, and whether printf formats it as a number.
fn stat_field(sh: &Shell, st: &crate::fs::Stat, name: &str, spec: char) -> (String, bool) {
    // ext4-like allocation, as `ls -l`'s total: 4 KiB blocks, a directory takes one, a fast
    // symlink none; `%b` counts 512-byte units.
    let blocks = match st.kind {
        FileType::File => st.size.div_ceil(4096) * 8,
        FileType::Dir => 8,
        FileType::Symlink => 0,
    };
    let type_bits: u32 = match st.kind {
        FileType::File => 0o100000,
        FileType::Dir => 0o040000,
        FileType::Symlink => 0o120000,
    };
    let num = |v: u64| (v.to_string(), true);
    match spec {
        's' => num(st.size),
        'a' => (format!("{:o}", st.meta.mode), true),
        'f' => (format!("{:x}", type_bits | st.meta.mode), true),
        'A' => (mode_string(st), false),
        'n' => (name.to_string(), false),
        'N' => match &st.link_target {
            Some(t) => (format!("'{name}' -> '{t}'"), false),
            None => (name.to_string(), false),
        },
        'u' => num(u64::from(st.meta.uid)),
        'g' => num(u64::from(st.meta.gid)),
        'U' => (
            user_name(sh.ctx.fs, st.meta.uid).unwrap_or_else(|| "UNKNOWN".into()),
            false,
        ),
        'G' => (
            group_name(sh.ctx.fs, st.meta.gid).unwrap_or_else(|| "UNKNOWN".into()),
            false,
        ),
        'h' => num(u64::from(st.nlink)),
        'i' => num(st.ino),
        'F' => (
            match st.kind {
                FileType::File if st.size == 0 => "regular empty file",
                FileType::File => "regular file",
                FileType::Dir => "directory",
                FileType::Symlink => "symbolic link",
            }
            .to_string(),
            false,
        ),
        'b' => num(blocks),
        'B' => num(512),
        'o' => num(4096),
        'd' | 't' | 'T' => num(0),
        'D' => ("0".to_string(), true),
        // File times are not modelled: every file shows the build's time (same width).
        'x' | 'y' | 'z' => (super::misc::stat_time_text(), false),
        'X' | 'Y' | 'Z' => (super::misc::NOW.to_string(), true),
        // An unknown directive prints its letter (`printf("%c", m)`).
        other => (other.to_string(), false),
    }
}

/// Applies printf's `-` (left), `0` (zeros, numbers only) and width modifiers to `value`.
fn pad_field(mods: &str, value: &str, numeric: bool) -> String {
    let left = mods.contains('-');
    let (width_part, prec) = match mods.split_once('.') {
        Some((w, p)) => (w, Some(p.parse::<usize>().unwrap_or(0))),
        None => (mods, None),
    };
    let zero = numeric
        && !left
        && width_part
            .trim_start_matches(['#', '+', ' ', 'I'])
            .starts_with('0');
    let width: usize = width_part
        .trim_start_matches(['#', '-', '+', ' ', 'I', '0'])
        .parse()
        .unwrap_or(0)
        .min(1 << 12);
    let value: String = match prec {
        Some(p) if !numeric => value.chars().take(p).collect(),
        _ => value.to_string(),
    };
    let pad = width.saturating_sub(value.chars().count());
    if left {
        format!("{value}{}", " ".repeat(pad))
    } else if zero {
        format!("{}{value}", "0".repeat(pad))
    } else {
        format!("{}{value}", " ".repeat(pad))
    }
}

pub fn id(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let cred = match o.args.first() {
        Some(u) => match crate::shell::users::resolve_user(sh.ctx.fs, u) {
            Ok(c)
                if passwd(sh.ctx.fs)
                    .iter()
                    .any(|p| p.name == *u || p.uid.to_string() == *u) =>
            {
                c
            }
            _ => return Ok(fail(io, format!("id: unknown user {u}"))),
        },
        None => sh.cred.clone(),
    };
    let uname = |id: u32| user_name(sh.ctx.fs, id);
    let gname = |id: u32| group_name(sh.ctx.fs, id);
    let fmt = |id: u32, name: Option<String>| match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    };
    let text = if o.has('u') {
        if o.has('n') {
            uname(cred.uid).unwrap_or_else(|| cred.uid.to_string())
        } else {
            cred.uid.to_string()
        }
    } else if o.has('g') {
        if o.has('n') {
            gname(cred.gid).unwrap_or_else(|| cred.gid.to_string())
        } else {
            cred.gid.to_string()
        }
    } else if o.has('G') {
        cred.groups
            .iter()
            .map(|g| {
                if o.has('n') {
                    gname(*g).unwrap_or_else(|| g.to_string())
                } else {
                    g.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let gs: Vec<String> = cred.groups.iter().map(|g| fmt(*g, gname(*g))).collect();
        format!(
            "uid={} gid={} groups={}",
            fmt(cred.uid, uname(cred.uid)),
            fmt(cred.gid, gname(cred.gid)),
            gs.join(",")
        )
    };
    io.print(&format!("{text}\n"));
    Ok(0)
}

pub fn whoami(sh: &mut Shell, _argv: &[String], io: &mut Io) -> Status {
    match user_name(sh.ctx.fs, sh.cred.uid) {
        Some(n) => {
            io.print(&format!("{n}\n"));
            Ok(0)
        }
        None => Ok(fail(io, format!("whoami: unknown uid {}", sh.cred.uid))),
    }
}

pub fn env(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut i = 1;
    let mut extra = Vec::new();
    while let Some(a) = argv.get(i) {
        if a == "-i" || a == "-" {
            i += 1;
            continue;
        }
        match a.split_once('=') {
            Some((k, v)) => extra.push((k.to_string(), v.to_string())),
            None => break,
        }
        i += 1;
    }
    if i < argv.len() {
        let rest = argv[i..].to_vec();
        return sh.subshell(|sh| {
            for (k, v) in extra {
                sh.set_var(&k, v);
                sh.exported.insert(k);
            }
            sh.dispatch(&rest, io)
        });
    }
    let mut pairs = sh.env_pairs();
    pairs.extend(extra);
    let s: String = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    io.print(&s);
    Ok(0)
}

pub fn printenv(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    if argv.len() < 2 {
        return env(sh, &argv[..1], io);
    }
    let mut code = 0;
    for n in &argv[1..] {
        match sh.env_pairs().into_iter().find(|(k, _)| k == n) {
            Some((_, v)) => io.print(&format!("{v}\n")),
            None => code = 1,
        }
    }
    Ok(code)
}

pub fn which(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut code = 0;
    for n in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
        let found = if n.contains('/') {
            Some(sh.abs(n)).filter(|p| sh.ctx.fs.exists(p))
        } else {
            sh.find_in_path(n).filter(|p| sh.ctx.fs.exists(p))
        };
        match found {
            Some(p) => io.print(&format!("{p}\n")),
            None => code = 1,
        }
    }
    Ok(code)
}

pub fn basename(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let Some(p) = argv.get(1) else {
        return Ok(fail(io, "basename: missing operand".into()));
    };
    let trimmed = p.trim_end_matches('/');
    let mut b = if trimmed.is_empty() && p.starts_with('/') {
        "/".to_string()
    } else {
        trimmed.rsplit('/').next().unwrap_or("").to_string()
    };
    if let Some(suffix) = argv.get(2) {
        if b.len() > suffix.len() && b.ends_with(suffix.as_str()) {
            b.truncate(b.len() - suffix.len());
        }
    }
    io.print(&format!("{b}\n"));
    Ok(0)
}

pub fn dirname(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let Some(p) = argv.get(1) else {
        return Ok(fail(io, "dirname: missing operand".into()));
    };
    let trimmed = p.trim_end_matches('/');
    let d = match trimmed.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => trimmed[..i].trim_end_matches('/').to_string(),
        None if p.starts_with('/') => "/".to_string(),
        None => ".".to_string(),
    };
    io.print(&format!("{}\n", if d.is_empty() { "/" } else { &d }));
    Ok(0)
}

/// `seq [-w] [-s SEP] [FIRST [INC]] LAST` (busybox coreutils/seq.c): numbers are doubles
/// printed with `%0*.*f`, the decimals of FIRST/INC, `-w` pads to the widest operand.
pub fn seq(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut sep = "\n".to_string();
    let mut equal_width = false;
    let mut i = 1;
    // Options stop at the first operand (`+ws:`), so `seq -1 1` is not an option... unless
    // it parses as one: busybox's getopt takes `-1` as an unknown option.
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-w" => equal_width = true,
            "-s" => {
                i += 1;
                sep = argv.get(i).cloned().unwrap_or_default();
            }
            s if s.starts_with("-s") => sep = s[2..].to_string(),
            "--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let ops: Vec<&String> = argv.iter().skip(i).collect();
    let nums: Option<Vec<f64>> = ops.iter().map(|a| a.trim().parse::<f64>().ok()).collect();
    let (Some(nums), false) = (nums, ops.is_empty() || ops.len() > 3) else {
        return Ok(fail(
            io,
            "Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST".into(),
        ));
    };
    let (first, step, last) = match nums.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, s, l] => (*f, *s, *l),
        _ => return Ok(1),
    };
    let mut width = 0usize;
    let mut frac = 0usize;
    for (k, a) in ops.iter().enumerate() {
        let dot = a.find('.').unwrap_or(a.len());
        width = width.max(dot);
        // The last operand's decimals do not count.
        if k + 1 < ops.len() {
            frac = frac.max(a.len() - dot);
        }
    }
    if frac > 0 {
        frac -= 1;
        if frac > 0 {
            width += frac + 1;
        }
    }
    if !equal_width {
        width = 0;
    }
    let mut s = String::new();
    let mut n = 0u32;
    let mut v = first;
    while (step >= 0.0 && v <= last) || (step < 0.0 && v >= last) {
        if n > 0 {
            s.push_str(&sep);
        }
        let body = format!("{:.*}", frac, v.abs());
        let sign = if v < 0.0 && body.chars().any(|c| c != '0' && c != '.') {
            "-"
        } else {
            ""
        };
        let pad = width.saturating_sub(sign.len() + body.len());
        s.push_str(&format!("{sign}{}{body}", "0".repeat(pad)));
        n += 1;
        if n >= 100_000 || step == 0.0 {
            break;
        }
        v = first + f64::from(n) * step;
    }
    if n > 0 {
        s.push('\n');
    }
    io.print(&s);
    Ok(0)
}

pub fn sleep(_sh: &mut Shell, _argv: &[String], _io: &mut Io) -> Status {
    Ok(0)
}

pub fn uname(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let mut parts = Vec::new();
    if o.has('a') || o.has('s') || o.args.is_empty() && o.flags.is_empty() {
        parts.push("Linux");
    }
    if o.has('a') || o.has('n') {
        parts.push("buildkitsandbox");
    }
    if o.has('a') || o.has('r') {
        parts.push("6.8.0");
    }
    if o.has('a') || o.has('m') || o.has('p') {
        parts.push("x86_64");
    }
    if o.has('a') || o.has('o') {
        parts.push("GNU/Linux");
    }
    io.print(&format!("{}\n", parts.join(" ")));
    Ok(0)
}

pub fn nproc(_sh: &mut Shell, _argv: &[String], io: &mut Io) -> Status {
    io.print("2\n");
    Ok(0)
}

pub fn hostname(_sh: &mut Shell, _argv: &[String], io: &mut Io) -> Status {
    io.print("buildkitsandbox\n");
    Ok(0)
}

pub fn readlink(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let Some(f) = o.args.first() else {
        return Ok(1);
    };
    let p = sh.abs(f);
    let r = if o.has('f') || o.has('e') {
        sh.ctx.fs.canonical(&p)
    } else {
        sh.ctx.fs.read_link(&p)
    };
    match r {
        Ok(t) => {
            io.print(&format!("{t}\n"));
            Ok(0)
        }
        Err(_) => Ok(1),
    }
}

pub fn realpath(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut code = 0;
    for f in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
        match sh.ctx.fs.canonical(&sh.abs(f)) {
            Ok(p) => io.print(&format!("{p}\n")),
            Err(e) => code = fail(io, format!("realpath: {f}: {}", e.message())),
        }
    }
    Ok(code)
}

pub fn du(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "d", false);
    let args = if o.args.is_empty() {
        vec![".".to_string()]
    } else {
        o.args.clone()
    };
    let mut code = 0;
    for a in args {
        let p = sh.abs(&a);
        match sh.ctx.fs.walk(&p) {
            Ok(entries) => {
                let kb: u64 = entries
                    .iter()
                    .map(|e| {
                        if e.stat.is_file() {
                            e.stat.size.div_ceil(4096) * 4
                        } else if e.stat.is_dir() {
                            4
                        } else {
                            0
                        }
                    })
                    .sum();
                let shown = if o.has('h') {
                    busybox_human(kb.saturating_mul(1024))
                } else {
                    kb.to_string()
                };
                io.print(&format!("{shown}\t{a}\n"));
            }
            Err(e) => code = fail(io, format!("du: {a}: {}", e.message())),
        }
    }
    Ok(code)
}
