//! Who owns and what mode gets what COPY/ADD and WORKDIR create: `--chown` (numbers or names
//! from the destination's /etc/passwd and /etc/group), `--chmod` (octal or symbolic), and the
//! directories a COPY has to create.

use crate::fs::{Fs, Layer, Meta};
use std::sync::Arc;

pub fn file_meta(
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

/// Directories COPY creates: owned by --chown, and given an octal --chmod's mode (with or
/// without --chown; a symbolic one leaves them 0755): fsutil copy.go `Copy` creates the
/// destination's parents with `perm = *ci.Mode` when the mode is numeric (`ci.ModeStr`
/// otherwise). buildkit-truth bk_copy_chmod: `data/` is 0640 1000:1000.
pub fn created_dir_meta(owner: Option<(u32, u32)>, chmod: Option<&str>) -> Meta {
    let (uid, gid) = owner.unwrap_or((0, 0));
    let mode = match chmod {
        Some(c) if !c.is_empty() && c.bytes().all(|b| (b'0'..=b'7').contains(&b)) => {
            apply_chmod(0o755, c)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chmod_octal_and_symbolic() {
        assert_eq!(apply_chmod(0o644, "0755"), 0o755);
        assert_eq!(apply_chmod(0o664, "u+x,go-w"), 0o744);
        assert_eq!(apply_chmod(0o644, "a=r"), 0o444);
    }
}
