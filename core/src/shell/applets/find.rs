//! `find PATH... [EXPRESSION]` as busybox 1.35 evaluates it (findutils/find.c): operators
//! `( ) ! -not -a -and -o -or`, tests `-name -iname -path -ipath -wholename -type -size -empty
//! -perm -user -group -uid -gid -links -newer -mtime -mmin -atime -amin -ctime -cmin -true
//! -false`, actions `-print -print0 -delete -exec ... ; -exec ... {} + -prune -quit`, options
//! `-maxdepth -mindepth -depth -xdev -follow`. Without an action, matches are printed.
//! Entries come in sorted order (busybox prints readdir order, which varies by filesystem);
//! file times are not modelled, so every file is as old as the build (`-mtime 0` is true,
//! `-newer` false).

use super::errors::fail;
use super::perms::apply_mode;
use crate::fs::{path, FileType, Stat};
use crate::shell::exec::{Ctrl, Io, Shell, Status};
use crate::shell::users::{lookup_gid, lookup_uid};

/// Nesting of parentheses and `!` an expression may have.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Name(String, bool),
    Path(String, bool),
    Type(Vec<char>),
    /// `-size [+-]N[ckwb]` in bytes.
    Size(char, u64),
    Empty,
    /// `-perm MODE` (exact), `-MODE` (all bits), `/MODE` (any bit).
    Perm(char, u32),
    /// `-user/-uid` (`group` false) or `-group/-gid`: a name or a number.
    Owner {
        group: bool,
        who: String,
    },
    Links(char, u64),
    /// `-mtime/-mmin...`: the age of every file is 0.
    Age(char, u64),
    Const(bool),
    Print(char),
    Delete,
    Exec(Vec<String>),
    ExecPlus(Vec<String>),
    Prune,
    Quit,
}

impl Expr {
    fn has_action(&self) -> bool {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => a.has_action() || b.has_action(),
            Expr::Not(a) => a.has_action(),
            Expr::Print(_) | Expr::Delete | Expr::Exec(_) | Expr::ExecPlus(_) | Expr::Quit => true,
            _ => false,
        }
    }

    fn deletes(&self) -> bool {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => a.deletes() || b.deletes(),
            Expr::Not(a) => a.deletes(),
            Expr::Delete => true,
            _ => false,
        }
    }
}

/// Global options found among the expression's words.
#[derive(Default)]
struct Options {
    maxdepth: Option<usize>,
    mindepth: usize,
    depth_first: bool,
}

struct Parser<'a> {
    words: &'a [String],
    i: usize,
    opts: Options,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.words.get(self.i).map(String::as_str)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.i += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                None | Some("-o" | "-or" | ")") => return Ok(left),
                Some("-a" | "-and") => self.i += 1,
                _ => {}
            }
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression too deep".into());
        }
        let r = match self.peek() {
            Some("!" | "-not") => {
                self.i += 1;
                self.unary().map(|e| Expr::Not(Box::new(e)))
            }
            Some("(") => {
                self.i += 1;
                let e = self.or()?;
                if self.peek() != Some(")") {
                    return Err("unmatched (".into());
                }
                self.i += 1;
                Ok(e)
            }
            _ => self.primary(),
        };
        self.depth -= 1;
        r
    }

    fn value(&mut self, name: &str) -> Result<String, String> {
        let v = self
            .words
            .get(self.i)
            .cloned()
            .ok_or_else(|| format!("missing argument to '{name}'"))?;
        self.i += 1;
        Ok(v)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(word) = self.words.get(self.i).cloned() else {
            return Err("missing argument".into());
        };
        self.i += 1;
        let signed = |v: &str| -> (char, String) {
            match v.chars().next() {
                Some(c @ ('+' | '-')) => (c, v[1..].to_string()),
                _ => ('=', v.to_string()),
            }
        };
        Ok(match word.as_str() {
            "-name" | "-iname" => Expr::Name(self.value(&word)?, word == "-iname"),
            "-path" | "-wholename" | "-ipath" => Expr::Path(self.value(&word)?, word == "-ipath"),
            "-type" => Expr::Type(self.value(&word)?.chars().filter(|c| *c != ',').collect()),
            "-size" => {
                let v = self.value(&word)?;
                let (sign, n) = signed(&v);
                let (digits, unit) = match n.chars().last() {
                    Some(u @ ('c' | 'w' | 'b' | 'k')) => (&n[..n.len() - 1], u),
                    _ => (n.as_str(), 'b'),
                };
                let mult = match unit {
                    'c' => 1,
                    'w' => 2,
                    'k' => 1024,
                    _ => 512,
                };
                let n: u64 = digits
                    .parse()
                    .map_err(|_| format!("invalid number '{v}'"))?;
                Expr::Size(sign, n.saturating_mul(mult))
            }
            "-empty" => Expr::Empty,
            "-perm" => {
                let v = self.value(&word)?;
                let (kind, m) = match v.chars().next() {
                    Some(c @ ('-' | '/' | '+')) => (if c == '-' { '-' } else { '/' }, &v[1..]),
                    _ => ('=', v.as_str()),
                };
                let mode = apply_mode(m, 0, false).ok_or_else(|| format!("invalid mode '{v}'"))?;
                Expr::Perm(kind, mode)
            }
            "-user" | "-uid" | "-group" | "-gid" => Expr::Owner {
                group: matches!(word.as_str(), "-group" | "-gid"),
                who: self.value(&word)?,
            },
            "-links" => {
                let (sign, n) = signed(&self.value(&word)?);
                Expr::Links(
                    sign,
                    n.parse().map_err(|_| format!("invalid number '{n}'"))?,
                )
            }
            "-mtime" | "-mmin" | "-atime" | "-amin" | "-ctime" | "-cmin" => {
                let (sign, n) = signed(&self.value(&word)?);
                Expr::Age(
                    sign,
                    n.parse().map_err(|_| format!("invalid number '{n}'"))?,
                )
            }
            "-newer" => {
                self.value(&word)?;
                Expr::Const(false)
            }
            "-true" => Expr::Const(true),
            "-false" => Expr::Const(false),
            "-print" => Expr::Print('\n'),
            "-print0" => Expr::Print('\0'),
            "-delete" => {
                self.opts.depth_first = true;
                Expr::Delete
            }
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-exec" | "-ok" => {
                let mut cmd = Vec::new();
                loop {
                    let Some(w) = self.words.get(self.i).cloned() else {
                        return Err(format!("missing argument to '{word}'"));
                    };
                    self.i += 1;
                    if w == ";" {
                        return Ok(Expr::Exec(cmd));
                    }
                    if w == "+" && cmd.last().is_some_and(|l: &String| l == "{}") {
                        cmd.pop();
                        return Ok(Expr::ExecPlus(cmd));
                    }
                    cmd.push(w);
                }
            }
            "-maxdepth" | "-mindepth" => {
                let v = self.value(&word)?;
                let n: usize = v.parse().map_err(|_| format!("invalid number '{v}'"))?;
                if word == "-maxdepth" {
                    self.opts.maxdepth = Some(n);
                } else {
                    self.opts.mindepth = n;
                }
                Expr::Const(true)
            }
            "-depth" => {
                self.opts.depth_first = true;
                Expr::Const(true)
            }
            "-xdev" | "-follow" | "-mount" => Expr::Const(true),
            other => return Err(format!("unrecognized: {other}")),
        })
    }
}

/// One entry visited, and what evaluating the expression on it asks for.
struct Visit<'e> {
    shown: String,
    abs: String,
    name: String,
    stat: Stat,
    prune: bool,
    quit: bool,
    batch: &'e mut Vec<(usize, Vec<String>)>,
}

fn fnmatch(pat: &str, text: &str, fold: bool) -> bool {
    if fold {
        crate::shell::expand::fnmatch(&pat.to_ascii_lowercase(), &text.to_ascii_lowercase())
    } else {
        crate::shell::expand::fnmatch(pat, text)
    }
}

fn compare(sign: char, value: u64, n: u64) -> bool {
    match sign {
        '+' => value > n,
        '-' => value < n,
        _ => value == n,
    }
}

/// Evaluates `e` on `v`; actions run here (`-exec ... ;`, `-print`, `-delete`).
fn eval(
    sh: &mut Shell,
    e: &Expr,
    v: &mut Visit,
    io: &mut Io,
    code: &mut i32,
) -> Result<bool, Ctrl> {
    Ok(match e {
        Expr::And(a, b) => eval(sh, a, v, io, code)? && eval(sh, b, v, io, code)?,
        Expr::Or(a, b) => eval(sh, a, v, io, code)? || eval(sh, b, v, io, code)?,
        Expr::Not(a) => !eval(sh, a, v, io, code)?,
        Expr::Name(p, fold) => fnmatch(p, &v.name, *fold),
        Expr::Path(p, fold) => fnmatch(p, &v.shown, *fold),
        Expr::Owner { group, who } => {
            let want = who.parse::<u32>().ok().or_else(|| {
                if *group {
                    lookup_gid(sh.ctx.fs, who)
                } else {
                    lookup_uid(sh.ctx.fs, who)
                }
            });
            let have = if *group {
                v.stat.meta.gid
            } else {
                v.stat.meta.uid
            };
            want == Some(have)
        }
        Expr::Type(kinds) => kinds.iter().any(|t| {
            matches!(
                (t, v.stat.kind),
                ('f', FileType::File) | ('d', FileType::Dir) | ('l', FileType::Symlink)
            )
        }),
        Expr::Size(sign, n) => compare(*sign, v.stat.size, *n),
        Expr::Empty => match v.stat.kind {
            FileType::File => v.stat.size == 0,
            FileType::Dir => sh.ctx.fs.list_dir(&v.abs).is_ok_and(|l| l.is_empty()),
            FileType::Symlink => false,
        },
        Expr::Perm(kind, mode) => {
            let m = v.stat.meta.mode & 0o7777;
            match kind {
                '-' => m & mode == *mode,
                '/' => *mode == 0 || m & mode != 0,
                _ => m == *mode,
            }
        }
        Expr::Links(sign, n) => compare(*sign, u64::from(v.stat.nlink), *n),
        Expr::Age(sign, n) => compare(*sign, 0, *n),
        Expr::Const(b) => *b,
        Expr::Print(end) => {
            io.print(&format!("{}{end}", v.shown));
            true
        }
        Expr::Delete => {
            // busybox `func_delete`: rmdir for a directory (children went first), unlink
            // else; `find . -delete` leaves `.` itself.
            if v.shown == "." {
                return Ok(true);
            }
            let is_dir = v.stat.kind == FileType::Dir;
            let r = sh
                .check_create(&v.abs)
                .and_then(|_| sh.ctx.fs.remove(&v.abs, false));
            match r {
                Ok(()) => true,
                Err(err) => {
                    let verb = if is_dir { "rmdir" } else { "unlink" };
                    *code = fail(io, format!("find: {verb} {}: {}", v.shown, err.message()));
                    false
                }
            }
        }
        Expr::Exec(cmd) => {
            let argv: Vec<String> = cmd.iter().map(|w| w.replace("{}", &v.shown)).collect();
            sh.dispatch(&argv, io)? == 0
        }
        Expr::ExecPlus(cmd) => {
            let key = cmd as *const Vec<String> as usize;
            match v.batch.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(v.shown.clone()),
                None => v.batch.push((key, vec![v.shown.clone()])),
            }
            true
        }
        Expr::Prune => {
            v.prune = true;
            true
        }
        Expr::Quit => {
            v.quit = true;
            true
        }
    })
}

/// The `-exec ... {} +` commands of `e`, by identity.
fn exec_plus_commands(e: &Expr, out: &mut Vec<(usize, Vec<String>)>) {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            exec_plus_commands(a, out);
            exec_plus_commands(b, out);
        }
        Expr::Not(a) => exec_plus_commands(a, out),
        Expr::ExecPlus(cmd) => out.push((cmd as *const Vec<String> as usize, cmd.clone())),
        _ => {}
    }
}

pub fn find(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let mut i = 1;
    let mut roots = Vec::new();
    while let Some(a) = argv.get(i) {
        if (a.starts_with('-') && a.len() > 1) || a == "!" || a == "(" {
            break;
        }
        roots.push(a.clone());
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let words = argv.get(i..).unwrap_or(&[]);
    let mut parser = Parser {
        words,
        i: 0,
        opts: Options::default(),
        depth: 0,
    };
    let parsed = if words.is_empty() {
        Ok(Expr::Const(true))
    } else {
        parser.or().and_then(|e| {
            if parser.i < words.len() {
                Err(format!("unrecognized: {}", words[parser.i]))
            } else {
                Ok(e)
            }
        })
    };
    let mut expr = match parsed {
        Ok(e) => e,
        Err(m) => return Ok(fail(io, format!("find: {m}"))),
    };
    if !expr.has_action() {
        expr = Expr::And(Box::new(expr), Box::new(Expr::Print('\n')));
    }
    let opts = parser.opts;
    let depth_first = opts.depth_first || expr.deletes();
    let mut code = 0;
    let mut batch: Vec<(usize, Vec<String>)> = Vec::new();
    'roots: for r in &roots {
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
        // (relative path, entry) in preorder; -depth / -delete visit children first.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        let rels: Vec<String> = entries
            .iter()
            .map(|e| {
                e.path
                    .strip_prefix(base_trim.as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        if depth_first {
            order = postorder(&rels);
        }
        let mut pruned: Vec<String> = Vec::new();
        for idx in order {
            let (e, rel) = (&entries[idx], &rels[idx]);
            if pruned
                .iter()
                .any(|p| rel.starts_with(p.as_str()) && rel[p.len()..].starts_with('/'))
            {
                continue;
            }
            let depth = rel.matches('/').count();
            if opts.maxdepth.is_some_and(|m| depth > m) || depth < opts.mindepth {
                continue;
            }
            let shown = if rel.is_empty() {
                r.clone()
            } else {
                format!("{}{}", r.trim_end_matches('/'), rel)
            };
            let name = if rel.is_empty() {
                r.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(r)
                    .to_string()
            } else {
                path::base_name(&path::key_of(&e.path)).to_string()
            };
            // An entry an earlier action removed is gone (`-exec rm -rf {} ;`).
            let Ok(stat) = sh.ctx.fs.lstat(&e.path) else {
                continue;
            };
            let mut visit = Visit {
                shown,
                abs: e.path.clone(),
                name,
                stat,
                prune: false,
                quit: false,
                batch: &mut batch,
            };
            eval(sh, &expr, &mut visit, io, &mut code)?;
            if visit.prune && !depth_first {
                pruned.push(rel.clone());
            }
            if visit.quit {
                break 'roots;
            }
        }
    }
    let mut cmds = Vec::new();
    exec_plus_commands(&expr, &mut cmds);
    for (key, cmd) in cmds {
        if let Some((_, files)) = batch.iter().find(|(k, _)| *k == key) {
            let mut argv2 = cmd;
            argv2.extend(files.iter().cloned());
            if sh.dispatch(&argv2, io)? != 0 {
                code = 1;
            }
        }
    }
    Ok(code)
}

/// Indices of preorder paths (`""`, `/a`, `/a/b`, `/c`) in postorder (children first).
fn postorder(rels: &[String]) -> Vec<usize> {
    let mut out = Vec::with_capacity(rels.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, r) in rels.iter().enumerate() {
        while let Some(&top) = stack.last() {
            let t = &rels[top];
            let inside =
                t.is_empty() || (r.starts_with(t.as_str()) && r[t.len()..].starts_with('/'));
            if inside {
                break;
            }
            out.push(top);
            stack.pop();
        }
        stack.push(i);
    }
    while let Some(top) = stack.pop() {
        out.push(top);
    }
    out
}
