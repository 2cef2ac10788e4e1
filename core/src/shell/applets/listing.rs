//! `ls` as busybox 1.35 prints it when stdout is not a terminal: one name per line, `-a -A -R
//! -d -l -n`, `total` lines, `name:` headers and blank lines between directories, strcmp order.
//! File times are not modelled: `ls -l` prints a fixed date of the same width.

use super::errors::fail;
use super::opts::parse;
use crate::fs::{FileType, Stat};
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{group_name, user_name};

/// `-rwxr-xr-x`, `drwxr-xr-x`, `lrwxrwxrwx` (with s/S/t/T).
pub fn mode_string(st: &Stat) -> String {
    let t = match st.kind {
        FileType::Dir => 'd',
        FileType::Symlink => 'l',
        FileType::File => '-',
    };
    let m = st.meta.mode;
    let mut s = String::from(t);
    for (shift, special, ch) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        s.push(match (m & special != 0, x) {
            (true, true) => ch,
            (true, false) => ch.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// `stat` with a directory's link count (2 + its subdirectories), as `ls -l` shows it.
fn stat_for_listing(sh: &Shell, path: &str) -> Option<Stat> {
    let mut st = sh.ctx.fs.lstat(path).ok()?;
    if st.is_dir() {
        let subdirs = sh
            .ctx
            .fs
            .list_dir(path)
            .unwrap_or_default()
            .iter()
            .filter(|n| {
                sh.ctx
                    .fs
                    .lstat(&format!("{}/{}", path.trim_end_matches('/'), n))
                    .is_ok_and(|s| s.is_dir())
            })
            .count();
        st.nlink = 2 + subdirs as u32;
    }
    Some(st)
}

/// How names and sizes are shown (`-n`, `-h`, `-p`, `-F`).
#[derive(Clone, Copy)]
struct Style {
    numeric: bool,
    human: bool,
    slash_dirs: bool,
    classify: bool,
}

/// The name with `-p`/`-F` indicators (`dir/`, `exe*`, `link@`).
fn decorated(st: &Stat, name: &str, style: Style) -> String {
    let mark = match st.kind {
        FileType::Dir if style.slash_dirs || style.classify => "/",
        FileType::Symlink if style.classify => "@",
        FileType::File if style.classify && st.meta.mode & 0o111 != 0 => "*",
        _ => "",
    };
    format!("{name}{mark}")
}

fn long_line(sh: &Shell, st: &Stat, name: &str, style: Style) -> String {
    let numeric = style.numeric;
    let user = if numeric {
        st.meta.uid.to_string()
    } else {
        user_name(sh.ctx.fs, st.meta.uid).unwrap_or_else(|| st.meta.uid.to_string())
    };
    let group = if numeric {
        st.meta.gid.to_string()
    } else {
        group_name(sh.ctx.fs, st.meta.gid).unwrap_or_else(|| st.meta.gid.to_string())
    };
    let nlink = st.nlink;
    // busybox: `%9llu ` for sizes, or `%7s ` of make_human_readable_str with -h.
    let size = if style.human {
        format!("{:>7}", crate::units::busybox_human(st.size))
    } else {
        format!("{:9}", st.size)
    };
    let mut s = format!(
        "{} {:4} {:<8.8} {:<8.8} {} Jan  1 00:00 {}",
        mode_string(st),
        nlink,
        user,
        group,
        size,
        name
    );
    match &st.link_target {
        Some(t) => {
            s.push_str(" -> ");
            s.push_str(t);
        }
        None => {
            let d = decorated(st, "", style);
            s.push_str(&d);
        }
    }
    s.push('\n');
    s
}

pub fn ls(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "", false);
    let long = o.has('l') || o.has('n');
    let numeric = o.has('n');
    let style = Style {
        numeric,
        human: o.has('h'),
        slash_dirs: o.has('p'),
        classify: o.has('F'),
    };
    let all = o.has('a');
    let almost = o.has('A');
    let recursive = o.has('R');
    let dir_itself = o.has('d');
    let args = if o.args.is_empty() {
        vec![".".to_string()]
    } else {
        o.args.clone()
    };
    let mut code = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for a in &args {
        let p = sh.abs(a);
        let st = if long {
            sh.ctx.fs.lstat(&p)
        } else {
            sh.ctx.fs.stat(&p).or_else(|_| sh.ctx.fs.lstat(&p))
        };
        match st {
            Ok(st) if st.is_dir() && !dir_itself => dirs.push(a.clone()),
            Ok(st) if st.is_symlink() && !dir_itself && sh.ctx.fs.is_dir(&p) && !long => {
                dirs.push(a.clone())
            }
            // `ls -ld dir`: a directory's link count counts its subdirectories.
            Ok(st) if st.is_dir() => {
                files.push((a.clone(), stat_for_listing(sh, &p).unwrap_or(st)))
            }
            Ok(st) => files.push((a.clone(), st)),
            Err(e) => code = fail(io, format!("ls: {a}: {}", e.message())),
        }
    }
    crate::sorting::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    crate::sorting::sort(&mut dirs);
    let mut out = String::new();
    for (name, st) in &files {
        out.push_str(&if long {
            long_line(sh, st, name, style)
        } else {
            format!("{}\n", decorated(st, name, style))
        });
    }
    let show_headers = recursive || args.len() > 1;
    let mut first = files.is_empty();
    let mut queue: Vec<String> = dirs;
    let mut guard = 0;
    while !queue.is_empty() {
        let d = queue.remove(0);
        guard += 1;
        if guard > 10_000 {
            break;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        if show_headers {
            out.push_str(&format!("{d}:\n"));
        }
        let p = sh.abs(&d);
        let names = match sh.check_read(&p).and_then(|_| sh.ctx.fs.list_dir(&p)) {
            Ok(n) => n,
            Err(e) => {
                code = fail(io, format!("ls: can't open '{d}': {}", e.message()));
                continue;
            }
        };
        let mut shown: Vec<String> = Vec::new();
        if all {
            shown.push(".".into());
            shown.push("..".into());
        }
        shown.extend(
            names
                .into_iter()
                .filter(|n| all || almost || !n.starts_with('.')),
        );
        if long {
            let blocks: u64 = shown
                .iter()
                .filter_map(|n| {
                    sh.ctx
                        .fs
                        .lstat(&format!("{}/{}", p.trim_end_matches('/'), n))
                        .ok()
                })
                .map(|s| match s.kind {
                    // busybox `calculate_blocks`: st_blocks in KiB; ext4-like 4 KiB blocks,
                    // a directory takes one, a (fast) symlink none.
                    FileType::File => s.size.div_ceil(4096) * 4,
                    FileType::Dir => 4,
                    FileType::Symlink => 0,
                })
                .sum();
            out.push_str(&format!("total {blocks}\n"));
        }
        let mut subdirs = Vec::new();
        for n in &shown {
            let child = format!("{}/{}", p.trim_end_matches('/'), n);
            let st = sh.ctx.fs.lstat(&child);
            if long {
                if let Some(st) = stat_for_listing(sh, &child) {
                    out.push_str(&long_line(sh, &st, n, style));
                }
            } else {
                match &st {
                    Ok(s) => out.push_str(&decorated(s, n, style)),
                    Err(_) => out.push_str(n),
                }
                out.push('\n');
            }
            if recursive && n != "." && n != ".." && st.is_ok_and(|s| s.is_dir()) {
                subdirs.push(format!("{}/{}", d.trim_end_matches('/'), n));
            }
        }
        // Depth first, like busybox: the subdirectories come right after their parent.
        for (i, s) in subdirs.into_iter().enumerate() {
            queue.insert(i, s);
        }
    }
    io.print(&out);
    Ok(code)
}
