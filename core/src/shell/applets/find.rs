//! `find PATH... [-name -iname -path -type -maxdepth -mindepth -empty ! -delete -exec]`;
//! output sorted (busybox prints readdir order, which varies by filesystem).

use super::errors::fail;
use crate::fs::{path, FileType, Stat};
use crate::shell::exec::{Io, Shell, Status};

enum Pred {
    Name(String, bool),
    Path(String),
    Type(char),
    Empty,
    Not(Box<Pred>),
}

pub fn find(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut i = 1;
    let mut roots = Vec::new();
    while let Some(a) = argv.get(i) {
        if a.starts_with('-') || a == "!" || a == "(" {
            break;
        }
        roots.push(a.clone());
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut preds = Vec::new();
    let (mut maxdepth, mut mindepth) = (usize::MAX, 0usize);
    let mut delete = false;
    let mut exec: Option<(Vec<String>, bool)> = None;
    let mut negate = false;
    while let Some(a) = argv.get(i) {
        let val = argv.get(i + 1).cloned().unwrap_or_default();
        let mut push = |p: Pred, negate: &mut bool| {
            preds.push(if *negate { Pred::Not(Box::new(p)) } else { p });
            *negate = false;
        };
        match a.as_str() {
            "!" | "-not" => {
                negate = !negate;
                i += 1;
                continue;
            }
            "-name" | "-iname" => push(Pred::Name(val, a == "-iname"), &mut negate),
            "-path" | "-wholename" => push(Pred::Path(val), &mut negate),
            "-type" => push(Pred::Type(val.chars().next().unwrap_or('f')), &mut negate),
            "-maxdepth" => maxdepth = val.parse().unwrap_or(usize::MAX),
            "-mindepth" => mindepth = val.parse().unwrap_or(0),
            "-empty" => {
                push(Pred::Empty, &mut negate);
                i += 1;
                continue;
            }
            "-print" | "-a" | "-and" | "-xdev" | "-depth" => {
                i += 1;
                continue;
            }
            "-delete" => {
                delete = true;
                i += 1;
                continue;
            }
            "-exec" => {
                let mut cmd = Vec::new();
                let mut j = i + 1;
                let mut plus = false;
                while let Some(w) = argv.get(j) {
                    if w == ";" {
                        break;
                    }
                    if w == "+" && cmd.last().is_some_and(|l: &String| l == "{}") {
                        plus = true;
                        break;
                    }
                    cmd.push(w.clone());
                    j += 1;
                }
                exec = Some((cmd, plus));
                i = j + 1;
                continue;
            }
            _ => {
                sh.unknown
                    .push(format!("find predicate `{a}` is not modelled"));
                return Ok(0);
            }
        }
        i += 2;
    }
    let mut code = 0;
    let mut hits: Vec<String> = Vec::new();
    for r in &roots {
        let base = sh.abs(r);
        let entries = match sh.ctx.fs.walk(&base) {
            Ok(e) => e,
            Err(e) => {
                code = fail(io, format!("find: {r}: {}", e.message()));
                continue;
            }
        };
        let base_trim = if base == "/" {
            String::new()
        } else {
            base.clone()
        };
        for e in entries {
            let rel = e
                .path
                .strip_prefix(base_trim.as_str())
                .unwrap_or("")
                .to_string();
            let depth = rel.matches('/').count();
            if depth > maxdepth || depth < mindepth {
                continue;
            }
            let shown = if rel.is_empty() {
                r.clone()
            } else {
                format!("{}{}", r.trim_end_matches('/'), rel)
            };
            let name = path::base_name(&path::key_of(&e.path)).to_string();
            let name = if rel.is_empty() {
                r.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(r)
                    .to_string()
            } else {
                name
            };
            let ok = preds
                .iter()
                .all(|p| eval_pred(sh, p, &name, &shown, &e.stat, &e.path));
            if ok {
                hits.push(shown);
            }
        }
    }
    if delete {
        for h in hits.iter().rev() {
            let p = sh.abs(h);
            if let Err(e) = sh.check_create(&p).and_then(|_| sh.ctx.fs.remove(&p, true)) {
                code = fail(io, format!("find: {h}: {}", e.message()));
            }
        }
    } else if let Some((cmd, plus)) = exec {
        if plus {
            let mut argv2: Vec<String> = cmd.iter().filter(|w| *w != "{}").cloned().collect();
            argv2.extend(hits.iter().cloned());
            if sh.dispatch(&argv2, io)? != 0 {
                code = 1;
            }
        } else {
            for h in &hits {
                let argv2: Vec<String> = cmd.iter().map(|w| w.replace("{}", h)).collect();
                if sh.dispatch(&argv2, io)? != 0 {
                    code = 1;
                }
            }
        }
    } else {
        let mut s = String::new();
        for h in hits {
            s.push_str(&h);
            s.push('\n');
        }
        io.print(&s);
    }
    Ok(code)
}

fn eval_pred(sh: &Shell, p: &Pred, name: &str, shown: &str, st: &Stat, abs: &str) -> bool {
    match p {
        Pred::Name(pat, ci) => {
            if *ci {
                crate::shell::expand::fnmatch(&pat.to_lowercase(), &name.to_lowercase())
            } else {
                crate::shell::expand::fnmatch(pat, name)
            }
        }
        Pred::Path(pat) => crate::shell::expand::fnmatch(pat, shown),
        Pred::Type(t) => matches!(
            (t, st.kind),
            ('f', FileType::File) | ('d', FileType::Dir) | ('l', FileType::Symlink)
        ),
        Pred::Empty => match st.kind {
            FileType::File => st.size == 0,
            FileType::Dir => sh
                .ctx
                .fs
                .list_dir(abs)
                .map(|l| l.is_empty())
                .unwrap_or(false),
            FileType::Symlink => false,
        },
        Pred::Not(inner) => !eval_pred(sh, inner, name, shown, st, abs),
    }
}
