//! `echo` (busybox/bash: `-n -e -E`; dash: `-n` only and escapes always) and `printf` (format
//! reused until the arguments run out, `%s %b %c %d %i %u %x %X %o %f`, widths, `\` escapes).

use super::cformat::{format_float, format_integer, format_text, parse_c_integer, Spec};
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
                // `\0nnn` or `\nnn` (busybox echo and %b skip a leading 0, then
                // `bb_process_escape_sequence` reads up to 3 octal digits).
                let mut v = if e == '0' { 0 } else { e as u32 - '0' as u32 };
                let mut n = usize::from(e != '0');
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
    // coreutils compat: a leading `--` is skipped.
    let skip = usize::from(argv.get(1).is_some_and(|a| a == "--"));
    let Some(fmt) = argv.get(1 + skip) else {
        io.eprint("printf: usage: printf FORMAT [ARGUMENT...]\n");
        return Ok(2);
    };
    let args: Vec<String> = argv.iter().skip(2 + skip).cloned().collect();
    let mut out = String::new();
    let mut ai = 0usize;
    let mut conv_err = false;
    // busybox `printf_main`: the format is reused while it consumes arguments and some remain.
    for _round in 0..10_000 {
        let pass = format_once(fmt, &args, ai, io);
        out.push_str(&pass.text);
        conv_err |= pass.bad_number;
        if pass.end != End::Done {
            io.print(&out);
            return Ok(1 - i32::from(pass.end == End::Stop && !conv_err));
        }
        if pass.consumed == 0 || ai + pass.consumed >= args.len() {
            break;
        }
        ai += pass.consumed;
    }
    io.print(&out);
    Ok(i32::from(conv_err))
}

/// How one pass over the format ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Done,
    /// `\c` or `%b` with `\c`: stop all output.
    Stop,
    /// An invalid directive (`%q`): busybox prints an error and exits 1.
    Invalid,
}

struct Pass {
    text: String,
    consumed: usize,
    end: End,
    bad_number: bool,
}

/// One pass of a printf format over `args[start..]` (busybox `print_formatted`).
fn format_once(fmt: &str, args: &[String], start: usize, io: &mut Io) -> Pass {
    let c: Vec<char> = fmt.chars().collect();
    let mut pass = Pass {
        text: String::new(),
        consumed: 0,
        end: End::Done,
        bad_number: false,
    };
    let next_arg = |pass: &mut Pass| -> Option<String> {
        let a = args.get(start + pass.consumed).cloned();
        if a.is_some() {
            pass.consumed += 1;
        }
        a
    };
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        if ch == '\\' {
            if c.get(i + 1) == Some(&'c') {
                pass.end = End::Stop;
                return pass;
            }
            let (text, next) = format_escape(&c, i + 1);
            pass.text.push_str(&text);
            i = next;
            continue;
        }
        if ch != '%' {
            pass.text.push(ch);
            i += 1;
            continue;
        }
        let direc_start = i;
        i += 1;
        match c.get(i) {
            Some('%') => {
                pass.text.push('%');
                i += 1;
                continue;
            }
            Some('b') => {
                // `%b` takes no flags or width in busybox.
                i += 1;
                if let Some(a) = next_arg(&mut pass) {
                    let (s, stop) = escapes(&a);
                    pass.text.push_str(&s);
                    if stop {
                        pass.end = End::Stop;
                        return pass;
                    }
                }
                continue;
            }
            _ => {}
        }
        let flags_start = i;
        while c.get(i).is_some_and(|d| "-+ #0".contains(*d)) {
            i += 1;
        }
        let flags: String = c[flags_start..i].iter().collect();
        let mut spec = Spec::with_flags(&flags);
        let read_star = |pass: &mut Pass, io: &mut Io| -> i64 {
            match next_arg(pass) {
                Some(a) => a.trim().parse::<i64>().unwrap_or_else(|_| {
                    io.eprint(&format!("printf: invalid number '{a}'\n"));
                    pass.bad_number = true;
                    0
                }),
                None => 0,
            }
        };
        if c.get(i) == Some(&'*') {
            i += 1;
            let w = read_star(&mut pass, io);
            if w < 0 {
                spec.left = true;
            }
            spec.width = usize::try_from(w.unsigned_abs()).unwrap_or(0);
        } else {
            let ws = i;
            while c.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            let w: String = c[ws..i].iter().collect();
            spec.width = if w.is_empty() {
                0
            } else {
                w.parse().unwrap_or(usize::MAX)
            };
        }
        if c.get(i) == Some(&'.') {
            i += 1;
            if c.get(i) == Some(&'*') {
                i += 1;
                let p = read_star(&mut pass, io);
                spec.precision = usize::try_from(p).ok();
            } else {
                let ps = i;
                while c.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                let p: String = c[ps..i].iter().collect();
                spec.precision = Some(p.parse().unwrap_or(0));
            }
        }
        // Size modifiers (`%ld`, `%lld`, `%hd`, `%zd`) are dropped.
        while c.get(i).is_some_and(|m| matches!(m, 'l' | 'L' | 'h' | 'z')) {
            i += 1;
        }
        let conv = match c.get(i) {
            Some(&k) if "diouxXfeEgGcs".contains(k) => k,
            _ => {
                let rest: String = c[direc_start..].iter().collect();
                io.eprint(&format!("printf: {rest}: invalid format\n"));
                pass.end = End::Invalid;
                return pass;
            }
        };
        i += 1;
        let arg = next_arg(&mut pass).unwrap_or_default();
        let body = match conv {
            'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                let v = parse_c_integer(&arg).unwrap_or_else(|| {
                    io.eprint(&format!("printf: invalid number '{arg}'\n"));
                    pass.bad_number = true;
                    0
                });
                format_integer(&spec, conv, v)
            }
            'f' | 'e' | 'E' | 'g' | 'G' => {
                let v = parse_c_float(&arg).unwrap_or_else(|| {
                    io.eprint(&format!("printf: invalid number '{arg}'\n"));
                    pass.bad_number = true;
                    0.0
                });
                format_float(&spec, conv, v)
            }
            _ => format_text(&spec, conv, &arg),
        };
        pass.text.push_str(&body);
    }
    pass
}

/// One escape of a printf format, `c[i]` being the character after the `\\` (busybox
/// `bb_process_escape_sequence`): `\\xHH` (1-2 hex digits), `\\NNN` (1-3 octal digits, a value
/// up to 255), the one-letter escapes; anything else prints the backslash and goes on with
/// that character. Returns the text and where the format continues.
fn format_escape(c: &[char], i: usize) -> (String, usize) {
    let byte = |v: u32| char::from_u32(v).unwrap_or('?').to_string();
    if c.get(i) == Some(&'x') {
        let mut v = 0u32;
        let mut j = i + 1;
        while j < i + 3 && c.get(j).is_some_and(char::is_ascii_hexdigit) {
            v = v * 16 + c[j].to_digit(16).unwrap_or(0);
            j += 1;
        }
        return if j == i + 1 {
            ("\\".to_string(), i)
        } else {
            (byte(v), j)
        };
    }
    if c.get(i).is_some_and(|d| ('0'..='7').contains(d)) {
        let mut v = 0u32;
        let mut j = i;
        while j < i + 3 && c.get(j).is_some_and(|d| ('0'..='7').contains(d)) {
            let next = v * 8 + c[j].to_digit(8).unwrap_or(0);
            if next > 255 {
                break;
            }
            v = next;
            j += 1;
        }
        return (byte(v), j);
    }
    let mapped = match c.get(i) {
        Some('a') => '\x07',
        Some('b') => '\x08',
        Some('e') => '\x1b',
        Some('f') => '\x0c',
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('v') => '\x0b',
        Some('\\') => '\\',
        _ => return ("\\".to_string(), i),
    };
    (mapped.to_string(), i + 1)
}

/// A floating-point argument as `strtod` reads it (the whole argument; `'c` is the code of `c`;
/// an empty argument is 0).
fn parse_c_float(arg: &str) -> Option<f64> {
    let a = arg.trim_start_matches([' ', '\t', '\n']);
    if let Some(q) = a.strip_prefix('\'').or_else(|| a.strip_prefix('"')) {
        return Some(q.bytes().next().map_or(0.0, f64::from));
    }
    if a.is_empty() {
        return Some(0.0);
    }
    if let Some(v) = parse_c_integer(a).filter(|_| a.contains(['x', 'X'])) {
        return Some(v as f64);
    }
    a.parse::<f64>().ok()
}
