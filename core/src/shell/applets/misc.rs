//! Small applets that run other commands or print the time: xargs, install, date.
//! Time is not modelled: `date` prints the date of the truth builds (2026-08-21 00:00:00 UTC),
//! which has the same width as any other date, so file sizes stay right.

use super::opts::parse;
use super::perms::apply_mode;
use crate::fs::Meta;
use crate::shell::exec::{Io, Shell, Status};
use crate::shell::users::{lookup_gid, lookup_uid};

/// Seconds since 1970 of 2026-08-21 00:00:00 UTC (a Friday).
pub(super) const NOW: i64 = 1_787_270_400;

/// `NOW` as busybox `stat` prints a time (`%y`, `human_time`): `2026-08-21 00:00:00.000000000
/// +0000`, the width of any file time.
pub(super) fn stat_time_text() -> String {
    let (y, m, d, _) = civil(NOW.div_euclid(86_400));
    let secs = NOW.rem_euclid(86_400);
    format!(
        "{y}-{m:02}-{d:02} {:02}:{:02}:{:02}.000000000 +0000",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The words xargs reads by default: blank-separated, with `'...'`, `"..."` and `\x` quoting.
fn xargs_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                    in_word = true;
                }
                c if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                c => {
                    cur.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// `xargs [-n N] [-I REPL] [cmd args...]`: runs the command with the words read from stdin.
pub fn xargs(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "nIsLd", true);
    let mut cmd = o.args.clone();
    if cmd.is_empty() {
        cmd.push("echo".into());
    }
    let bytes = std::mem::take(&mut io.stdin)
        .to_bytes_bounded(1 << 20)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut code = 0;
    if let Some(repl) = o.value('I') {
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(10_000) {
            let a: Vec<String> = cmd.iter().map(|w| w.replace(repl, line)).collect();
            if sh.dispatch(&a, io)? != 0 {
                code = 123;
            }
        }
        return Ok(code);
    }
    let words: Vec<String> = if o.has('0') {
        text.split('\0')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    } else if let Some(d) = o.value('d') {
        let delim = match d {
            "\\n" => '\n',
            "\\t" => '\t',
            "\\0" => '\0',
            other => other.chars().next().unwrap_or('\n'),
        };
        let mut v: Vec<String> = text.split(delim).map(str::to_string).collect();
        if v.last().is_some_and(String::is_empty) {
            v.pop();
        }
        v
    } else {
        xargs_words(&text)
    };
    if words.is_empty() && o.has('r') {
        return Ok(0);
    }
    let per = o
        .value('n')
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(usize::MAX)
        .max(1);
    let chunks: Vec<Vec<String>> = if words.is_empty() {
        vec![Vec::new()]
    } else {
        words
            .chunks(per.min(words.len()))
            .map(|c| c.to_vec())
            .collect()
    };
    for chunk in chunks.into_iter().take(10_000) {
        let mut a = cmd.clone();
        a.extend(chunk);
        if sh.dispatch(&a, io)? != 0 {
            code = 123;
        }
    }
    Ok(code)
}

/// `install [-d] [-m MODE] [-o OWNER] [-g GROUP] SRC... DST`.
pub fn install(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "mogt", false);
    let mode = match o.value('m') {
        Some(m) => match apply_mode(m, 0o755, false) {
            Some(v) => v,
            None => {
                io.eprint(&format!("install: invalid mode '{m}'\n"));
                return Ok(1);
            }
        },
        None => 0o755,
    };
    let uid = o
        .value('o')
        .and_then(|u| lookup_uid(sh.ctx.fs, u))
        .unwrap_or(sh.cred.uid);
    let gid = o
        .value('g')
        .and_then(|g| lookup_gid(sh.ctx.fs, g))
        .unwrap_or(sh.cred.gid);
    let meta = Meta::new(mode, uid, gid);
    if o.has('d') {
        for d in &o.args {
            let p = sh.abs(d);
            if let Err(e) = sh
                .check_create(&p)
                .and_then(|_| sh.ctx.fs.mkdir_all(&p, meta))
                .and_then(|_| sh.ctx.fs.set_meta(&p, meta, true))
            {
                io.eprint(&format!(
                    "install: can't create directory '{d}': {}\n",
                    e.message()
                ));
                return Ok(1);
            }
        }
        return Ok(0);
    }
    let Some((dst, srcs)) = o.args.split_last() else {
        io.eprint("install: missing file operand\n");
        return Ok(1);
    };
    let dst_abs = sh.abs(dst);
    let into_dir = sh.ctx.fs.is_dir(&dst_abs);
    for s in srcs {
        let content = match sh.read_file(&sh.abs(s), Some(0)) {
            Ok(c) => c,
            Err(e) => {
                io.eprint(&format!("install: can't stat '{s}': {}\n", e.message()));
                return Ok(1);
            }
        };
        let to = if into_dir {
            format!(
                "{}/{}",
                dst_abs.trim_end_matches('/'),
                crate::fs::path::base_name(&crate::fs::path::key_of(s))
            )
        } else {
            dst_abs.clone()
        };
        if let Err(e) = sh
            .check_create(&to)
            .and_then(|_| sh.ctx.fs.put_file(&to, content, meta))
        {
            io.eprint(&format!("install: can't create '{to}': {}\n", e.message()));
            return Ok(1);
        }
    }
    Ok(0)
}

/// (year, month 1-12, day, weekday 0=Sunday) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32, u32) {
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = (days + 4).rem_euclid(7) as u32;
    (y, m, d, wd)
}

/// `date [+FORMAT]` (UTC; `-u` accepted).
/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A `date -d` string busybox accepts: `@SECONDS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`
/// (also with `T`), `HH:MM[:SS]` (today).
fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(n) = s.strip_prefix('@') {
        return n.parse().ok();
    }
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (Some(d), Some(t)),
        None if s.contains(':') => (None, Some(s)),
        None => (Some(s), None),
    };
    let day = match date {
        Some(d) => {
            let p: Vec<i64> = d
                .split('-')
                .map(|x| x.parse().ok())
                .collect::<Option<_>>()?;
            let [y, m, dd] = p.as_slice() else {
                return None;
            };
            if !(1..=12).contains(m) || !(1..=31).contains(dd) {
                return None;
            }
            days_from_civil(*y, *m, *dd)
        }
        None => NOW.div_euclid(86_400),
    };
    let secs = match time {
        Some(t) => {
            let p: Vec<i64> = t
                .split(':')
                .map(|x| x.parse().ok())
                .collect::<Option<_>>()?;
            match p.as_slice() {
                [h, m] => h * 3600 + m * 60,
                [h, m, sec] => h * 3600 + m * 60 + sec,
                _ => return None,
            }
        }
        None => 0,
    };
    Some(day * 86_400 + secs)
}

pub fn date(_sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut fmt_arg: Option<&str> = None;
    let mut when = NOW;
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if let Some(f) = a.strip_prefix('+') {
            fmt_arg = Some(f);
        } else if a == "-d" || a == "--date" || a.starts_with("--date=") || a.starts_with("-d") {
            let v = if a == "-d" || a == "--date" {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            } else if let Some(v) = a.strip_prefix("--date=") {
                v.to_string()
            } else {
                a[2..].to_string()
            };
            match parse_date(&v) {
                Some(t) => when = t,
                None => {
                    io.eprint(&format!("date: invalid date '{v}'\n"));
                    return Ok(1);
                }
            }
        } else if a == "-R" {
            fmt_arg = Some("%a, %d %b %Y %H:%M:%S %z");
        } else if a == "-I" || a == "-Idate" {
            fmt_arg = Some("%Y-%m-%d");
        } else if a == "-r" {
            // File times are not modelled: every file is as old as the build.
            i += 1;
        }
        i += 1;
    }
    let fmt = fmt_arg.unwrap_or("%a %b %e %H:%M:%S %Z %Y");
    let (y, m, d, wd) = civil(when.div_euclid(86_400));
    let secs = when.rem_euclid(86_400);
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => out.push_str(days[wd as usize % 7]),
            Some('b') | Some('h') => out.push_str(months[(m as usize + 11) % 12]),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:2}")),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('s') => out.push_str(&when.to_string()),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('F') => out.push_str(&format!("{y}-{m:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('%') => out.push('%'),
            Some('n') => out.push('\n'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out.push('\n');
    io.print(&out);
    Ok(0)
}

/// Downloads (`wget`, `curl`): the network is not simulated, so the output file is created with
/// content of unknown size (0 B here) and the step is reported as "size unknown", instead of
/// failing the commands that use the file (`tar xzf` of it is then unknown too).
fn download(
    sh: &mut Shell,
    tool: &str,
    url: Option<&str>,
    out: Option<String>,
    io: &mut Io,
) -> Status {
    let Some(url) = url else {
        io.eprint(&format!("{tool}: no URL specified\n"));
        return Ok(1);
    };
    let mut h = crate::content::Hasher::new();
    h.write_str(url);
    let content = crate::content::Content::opaque(0, h.finish() as u64);
    sh.unknown.push(format!(
        "{tool} {url}: downloads are not simulated (size unknown)"
    ));
    match out.as_deref() {
        None | Some("-") => io.out = io.out.append(&content),
        Some(path) => {
            let p = sh.abs(path);
            if let Err(e) = sh.write_file(&p, content, false) {
                io.eprint(&format!("{tool}: can't open '{path}': {}\n", e.message()));
                return Ok(1);
            }
        }
    }
    Ok(0)
}

fn url_basename(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if name.is_empty() || name.contains(':') {
        "index.html".to_string()
    } else {
        name.to_string()
    }
}

/// `wget [-q] [-O FILE] [-P DIR] URL` (busybox and GNU forms).
pub fn wget(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "OPUTt", false);
    let url = o.args.first().cloned();
    let out = match (o.value('O'), &url) {
        (Some(f), _) => Some(f.to_string()),
        (None, Some(u)) => {
            let name = url_basename(u);
            Some(match o.value('P') {
                Some(dir) => format!("{}/{name}", dir.trim_end_matches('/')),
                None => name,
            })
        }
        (None, None) => None,
    };
    download(sh, "wget", url.as_deref(), out, io)
}

/// `curl [-fsSL] [-o FILE | -O] URL`: stdout unless `-o`/`-O`.
pub fn curl(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "oHdXAeuwmTFrxbcE", false);
    let url = o
        .args
        .iter()
        .find(|a| a.contains("://"))
        .or(o.args.first())
        .cloned();
    let out = match o.value('o') {
        Some(f) => Some(f.to_string()),
        None if o.has('O') || o.has_long("remote-name") => url.as_deref().map(url_basename),
        None => None,
    };
    download(sh, "curl", url.as_deref(), out, io)
}

/// `yes [STRING]`: endless in reality; here 1 MiB of lines, enough for `yes | head -n N` (a
/// note says the output was cut).
pub fn yes(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let line = if argv.len() > 1 {
        argv[1..].join(" ")
    } else {
        "y".to_string()
    };
    let seed = format!("{line}\n");
    let unit = seed.len() as u64;
    let size = (1u64 << 20) / unit.max(1) * unit;
    io.out = io
        .out
        .append(&crate::content::Content::pattern(seed.as_bytes(), size));
    sh.note_limit("`yes` never ends; its output was cut at 1 MiB");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::civil;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 4));
        assert_eq!(civil(super::NOW / 86_400), (2026, 8, 21, 5));
    }
}
