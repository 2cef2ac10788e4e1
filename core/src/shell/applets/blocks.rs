//! Applets that make files of a given size: dd (`if=/dev/zero bs=1M count=5`, skip/seek,
//! conv=notrunc, stdin/stdout), truncate -s and fallocate -l (K/M/G suffixes as they read them).

use super::errors::fail;
use super::opts::{parse, parse_size};
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status};
use std::collections::HashMap;

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
    let start = skip.saturating_mul(ibs);
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
        // `skip=` blocks are read and dropped before the `count=` blocks: read both.
        Some(p) => match sh.read_file(p, want.map(|w| w.saturating_add(start))) {
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
    let avail = source.len().saturating_sub(start);
    let n = want.map_or(avail, |w| w.min(avail));
    let data = source.slice(start, n);
    // Records in are counted in `ibs` blocks, records out in `obs` blocks.
    let records = |block: u64| (n / block.max(1), u64::from(n % block.max(1) != 0));
    let ((full_in, partial_in), (full_out, partial_out)) = (records(ibs), records(obs));
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
    // Debian's busybox-static 1.35 is built without FEATURE_DD_THIRD_STATUS_LINE: the recorded
    // `RUN dd if=/dev/zero of=/big bs=1M count=5` prints only these two lines
    // (buildkit-truth layers_dd_rm_same_run, layers_dd_rm_separate). `status=noxfer` only
    // hides that missing third line; `status=none` hides all.
    if kv.get("status").is_none_or(|s| *s != "none") {
        io.eprint(&format!(
            "{full_in}+{partial_in} records in\n{full_out}+{partial_out} records out\n"
        ));
    }
    Ok(0)
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

#[cfg(test)]
mod tests {
    use crate::fs::tests::busybox1;
    use crate::fs::Fs;
    use crate::shell::{run_script, RunContext};

    fn stderr_of(script: &str) -> (i32, String) {
        let mut fs = Fs::from_layers(vec![busybox1()]);
        fs.ensure_run_mount_points();
        let mut ctx = RunContext::new(&mut fs);
        let out = run_script(script, &mut ctx);
        (out.exit_code, out.stderr)
    }

    #[test]
    fn dd_prints_the_two_status_lines_of_busybox_1_35() {
        // buildkit-truth layers_dd_rm_same_run: `RUN dd if=/dev/zero of=/big bs=1M count=5`.
        assert_eq!(
            stderr_of("dd if=/dev/zero of=/big bs=1M count=5"),
            (0, "5+0 records in\n5+0 records out\n".to_string())
        );
        assert_eq!(
            stderr_of("dd if=/dev/zero of=/big bs=1M count=2 status=noxfer"),
            (0, "2+0 records in\n2+0 records out\n".to_string())
        );
        assert_eq!(
            stderr_of("dd if=/dev/zero of=/big bs=1M count=1 status=none"),
            (0, String::new())
        );
    }
}
