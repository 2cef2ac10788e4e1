//! `echo` (busybox/bash: `-n -e -E`; dash: `-n` only and escapes always) and `printf` (format
//! reused until the arguments run out, `%s %b %c %d %i %u %x %X %o %f`, widths, `\` escapes).

use crate::shell::exec::{Flavor, Io, Shell, Status};

/// Interprets `\` escapes as `echo -e` / `printf %b` do. Returns the text and whether `\c` stopped it.
pub fn escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        i += 1;
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let Some(&e) = c.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0'..='7' => {
                // `\0nnn` (echo) or `\nnn` (printf): up to 3 octal digits after an optional 0.
                let mut v = if e == '0' { 0 } else { e as u32 - '0' as u32 };
                let mut n = 0;
                while n < 3 && c.get(i).is_some_and(|d| ('0'..='7').contains(d)) {
                    v = v * 8 + (c[i] as u32 - '0' as u32);
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && c.get(i).is_some_and(|d| d.is_ascii_hexdigit()) {
                    v = v * 16 + c[i].to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `echo`: busybox/bash take `-n -e -E` (clustered); dash takes only `-n` and always
/// interprets escapes.
pub fn echo(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut newline = true;
    let mut interpret = sh.flavor == Flavor::Dash;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let ok = if sh.flavor == Flavor::Dash {
            a == "-n"
        } else {
            a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c))
        };
        if !ok {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => interpret = true,
                _ => interpret = false,
            }
        }
        i += 1;
    }
    let text = argv.get(i..).unwrap_or(&[]).join(" ");
    let (mut text, stopped) = if interpret {
        escapes(&text)
    } else {
        (text, false)
    };
    if newline && !stopped {
        text.push('\n');
    }
    io.print(&text);
    Ok(0)
}

pub fn printf(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let Some(fmt) = argv.get(1) else {
        io.eprint("printf: usage: printf FORMAT [ARGUMENT...]\n");
        return Ok(1);
    };
    let args: Vec<String> = argv.iter().skip(2).cloned().collect();
    let mut out = String::new();
    let mut ai = 0usize;
    let mut code = 0;
    for _round in 0..10_000 {
        let (s, consumed, stop, bad) = format_once(fmt, &args, ai);
        out.push_str(&s);
        if bad {
            code = 1;
        }
        ai += consumed;
        if stop || consumed == 0 || ai >= args.len() {
            break;
        }
    }
    io.print(&out);
    Ok(code)
}

/// One pass of a printf format: (text, args consumed, `\c` seen, a bad number seen).
fn format_once(fmt: &str, args: &[String], start: usize) -> (String, usize, bool, bool) {
    let c: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut used = 0;
    let mut bad = false;
    while let Some(&ch) = c.get(i) {
        if ch == '\\' {
            let mut j = i + 1;
            while j < c.len() && j < i + 4 && (j == i + 1 || c[j].is_ascii_digit()) {
                j += 1;
            }
            let seq: String = c[i..j.min(c.len())].iter().collect();
            let (s, stop) = escapes(&seq);
            out.push_str(&s);
            if stop {
                return (out, used, true, bad);
            }
            i = j;
            continue;
        }
        if ch != '%' {
            out.push(ch);
            i += 1;
            continue;
        }
        i += 1;
        if c.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let st = i;
        while c.get(i).is_some_and(|d| "-+ #0".contains(*d)) {
            i += 1;
        }
        while c.get(i).is_some_and(|d| d.is_ascii_digit() || *d == '.') {
            i += 1;
        }
        let spec: String = c[st..i].iter().collect();
        let Some(&conv) = c.get(i) else { break };
        i += 1;
        let arg = args.get(start + used).cloned();
        used += 1;
        let left = spec.contains('-');
        let zero = spec.starts_with('0') || spec.contains("-0") || spec.starts_with("+0");
        let (w, prec) = match spec
            .trim_start_matches(['-', '+', ' ', '#', '0'])
            .split_once('.')
        {
            Some((w, p)) => (
                w.parse::<usize>().unwrap_or(0),
                Some(p.parse::<usize>().unwrap_or(0)),
            ),
            None => (
                spec.trim_start_matches(['-', '+', ' ', '#', '0'])
                    .parse::<usize>()
                    .unwrap_or(0),
                None,
            ),
        };
        let body = match conv {
            's' => {
                let s = arg.unwrap_or_default();
                match prec {
                    Some(p) => s.chars().take(p).collect(),

                    None => s,
                }
            }
            'b' => escapes(&arg.unwrap_or_default()).0,
            'c' => arg
                .and_then(|a| a.chars().next())
                .map(String::from)
                .unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = arg.unwrap_or_default();
                let t = a.trim();
                let n: i64 = if t.is_empty() {
                    0
                } else if let Some(q) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
                    q.chars().next().map(|c| c as i64).unwrap_or(0)
                } else {
                    t.parse().unwrap_or_else(|_| {
                        bad = true;
                        0
                    })
                };
                match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.to_string(),
                }
            }
            'f' | 'e' | 'g' => {
                let n: f64 = arg.and_then(|a| a.trim().parse().ok()).unwrap_or(0.0);
                format!("{:.*}", prec.unwrap_or(6).min(64), n)
            }
            other => {
                used -= 1;
                format!("%{spec}{other}")
            }
        };
        let pad = w.saturating_sub(body.chars().count()).min(1 << 16);
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && "diuxXof".contains(conv) {
            let (sign, digits) = if let Some(d) = body.strip_prefix('-') {
                ("-", d.to_string())
            } else {
                ("", body.clone())
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
    }
    (out, used.min(args.len().saturating_sub(start)), false, bad)
}
