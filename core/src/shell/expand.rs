//! Word expansion inside the shell: parameters (`$V`, `${V:-d}`, `${#V}`, `${V%x}`), command
//! substitution, arithmetic, field splitting on IFS, pathname globbing against the fs (sorted),
//! and quote removal. (Dockerfile-level `$V` expansion is `crate::expand`'s; this is the
//! shell's own, which differs: splitting, globbing, `$(...)`.)

use super::ast::{ParamOp, Word, WordPart};
use super::exec::{Ctrl, Io, Shell, MAX_CALL_DEPTH};
use super::lexer::word_of_text;

/// Names a glob may produce.
const GLOB_LIMIT: usize = 10_000;

/// A field being built: its text, the glob pattern (quoted chars escaped), and whether it has
/// unquoted glob characters or any quoted part (so `""` is one empty field).
#[derive(Default, Clone)]
struct Field {
    text: String,
    pattern: String,
    globby: bool,
    exists: bool,
}

impl Field {
    fn push_quoted(&mut self, s: &str) {
        self.text.push_str(s);
        for c in s.chars() {
            if "*?[]\\".contains(c) {
                self.pattern.push('\\');
            }
            self.pattern.push(c);
        }
        self.exists = true;
    }

    fn push_unquoted(&mut self, s: &str) {
        self.text.push_str(s);
        self.pattern.push_str(s);
        if s.contains(['*', '?', '[']) {
            self.globby = true;
        }
        if !s.is_empty() {
            self.exists = true;
        }
    }
}

impl Shell<'_, '_> {
    /// Expands a word to fields (split and globbed).
    pub fn expand_fields(&mut self, w: &Word) -> Result<Vec<String>, Ctrl> {
        // bash expands `{a,b}` and `{1..3}` first; ash and dash leave braces alone (so
        // `mkdir /app/{a,b}` makes one oddly named directory there, as in the real build).
        if self.flavor == super::exec::Flavor::Bash {
            let words = brace_expand(w, 0);
            if words.len() > 1 {
                let mut out = Vec::new();
                for w in words {
                    out.extend(self.expand_fields_one(&w)?);
                }
                return Ok(out);
            }
        }
        self.expand_fields_one(w)
    }

    fn expand_fields_one(&mut self, w: &Word) -> Result<Vec<String>, Ctrl> {
        let tilded = self.tilde(w);
        let w = tilded.as_ref().unwrap_or(w);
        let mut fields: Vec<Field> = vec![Field::default()];
        for part in &w.parts {
            match part {
                WordPart::Lit { text, quoted: true } => last(&mut fields).push_quoted(text),
                WordPart::Lit {
                    text,
                    quoted: false,
                } => last(&mut fields).push_unquoted(text),
                WordPart::Param {
                    name, quoted: true, ..
                } if name == "@"
                    && matches!(
                        part,
                        WordPart::Param {
                            op: ParamOp::Plain,
                            ..
                        }
                    ) =>
                {
                    let args = self.positional.clone();
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            fields.push(Field::default());
                        }
                        last(&mut fields).push_quoted(a);
                    }
                }
                other => {
                    let (value, quoted) = self.expand_part(other)?;
                    if quoted {
                        last(&mut fields).push_quoted(&value);
                    } else {
                        self.split_into(&value, &mut fields);
                    }
                }
            }
            // Each field also costs its bookkeeping: `set -- "$@" "$@"` doubles a count, not a length.
            self.bound_word(fields.iter().map(|f| f.text.len() + 64).sum())?;
        }
        let mut out = Vec::new();
        for f in fields {
            if !f.exists {
                continue;
            }
            if f.globby {
                let matches = self.glob(&f.pattern);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(f.text);
        }
        Ok(out)
    }

    /// Expands a word to one string (no splitting or globbing): assignments, redirect targets.
    pub fn expand_string(&mut self, w: &Word) -> Result<String, Ctrl> {
        let tilded = self.tilde(w);
        let w = tilded.as_ref().unwrap_or(w);
        let mut s = String::new();
        for part in &w.parts {
            match part {
                WordPart::Lit { text, .. } => s.push_str(text),
                other => s.push_str(&self.expand_part(other)?.0),
            }
            self.bound_word(s.len())?;
        }
        Ok(s)
    }

    /// The result of a pattern operator, or the script stops when its search was too long.
    fn pattern_done(&mut self, result: Option<String>) -> Result<String, Ctrl> {
        result.ok_or_else(|| {
            self.note_limit(
                "a ${v/...} or ${v#...} pattern needed too much work and the script was stopped",
            );
            Ctrl::Exit(2)
        })
    }

    /// Stops the script when a word outgrows [`MAX_WORD_BYTES`] (checked after each part, so
    /// no word gets past twice the bound before it is caught).
    fn bound_word(&mut self, len: usize) -> Result<(), Ctrl> {
        if len <= super::exec::MAX_WORD_BYTES {
            return Ok(());
        }
        self.note_limit(&format!(
            "a word grew past {} MiB and the script was stopped",
            super::exec::MAX_WORD_BYTES >> 20
        ));
        Err(Ctrl::Exit(2))
    }

    /// `~` and `~user` at the start of a word: `$HOME`, or the user's home from /etc/passwd.
    /// None when the word does not start with an unquoted tilde prefix.
    fn tilde(&self, w: &Word) -> Option<Word> {
        let WordPart::Lit {
            text,
            quoted: false,
        } = w.parts.first()?
        else {
            return None;
        };
        let rest = text.strip_prefix('~')?;
        let (user, tail) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let home = if user.is_empty() {
            self.var("HOME")?
        } else {
            super::users::passwd(self.ctx.fs)
                .into_iter()
                .find(|p| p.name == user)?
                .home
        };
        let mut parts = vec![WordPart::Lit {
            text: home,
            quoted: true,
        }];
        if !tail.is_empty() {
            parts.push(WordPart::Lit {
                text: tail.to_string(),
                quoted: false,
            });
        }
        parts.extend(w.parts.iter().skip(1).cloned());
        Some(Word { parts })
    }

    /// Expands a `case` pattern: quoted parts match literally.
    pub fn expand_pattern(&mut self, w: &Word) -> Result<String, Ctrl> {
        let mut f = Field::default();
        for part in &w.parts {
            match part {
                WordPart::Lit { text, quoted: true } => f.push_quoted(text),
                WordPart::Lit {
                    text,
                    quoted: false,
                } => f.push_unquoted(text),
                other => {
                    let (v, q) = self.expand_part(other)?;
                    if q {
                        f.push_quoted(&v)
                    } else {
                        f.push_unquoted(&v)
                    }
                }
            }
        }
        Ok(f.pattern)
    }

    /// Expands a heredoc body (`$`, backticks, backslashes; quotes are literal).
    pub fn expand_heredoc(&mut self, body: &str) -> Result<String, Ctrl> {
        match word_of_text(body, true) {
            Ok(w) => self.expand_string(&w),
            Err(_) => Ok(body.to_string()),
        }
    }

    fn split_into(&self, value: &str, fields: &mut Vec<Field>) {
        let ifs = self
            .vars
            .get("IFS")
            .cloned()
            .unwrap_or_else(|| " \t\n".to_string());
        if ifs.is_empty() {
            last(fields).push_unquoted(value);
            return;
        }
        let mut first = true;
        let mut pending_break = false;
        let starts_with_sep = value.starts_with(|c: char| ifs.contains(c));
        if starts_with_sep && last(fields).exists {
            fields.push(Field::default());
        }
        for piece in value.split(|c: char| ifs.contains(c)) {
            if piece.is_empty() {
                pending_break = true;
                continue;
            }
            if !first || (pending_break && last(fields).exists) {
                fields.push(Field::default());
            }
            last(fields).push_unquoted(piece);
            first = false;
            pending_break = false;
        }
        if pending_break && !first {
            fields.push(Field::default());
        }
    }

    /// Value of an expansion part and whether it was quoted.
    fn expand_part(&mut self, part: &WordPart) -> Result<(String, bool), Ctrl> {
        match part {
            WordPart::Lit { text, quoted } => Ok((text.clone(), *quoted)),
            WordPart::Param {
                name,
                op,
                arg,
                quoted,
            } => Ok((self.param(name, *op, arg)?, *quoted)),
            WordPart::Command { script, quoted } => Ok((self.command_subst(script)?, *quoted)),
            WordPart::Arith { expr, quoted } => {
                let expanded = match word_of_text(expr, true) {
                    Ok(w) => self.expand_string(&w)?,
                    Err(_) => expr.clone(),
                };
                match super::applets::arith::eval_assigning(&expanded, self) {
                    Ok(v) => Ok((v.to_string(), *quoted)),
                    Err(msg) => {
                        self.status = 2;
                        // ash: `ash_msg_and_raise_error(math_state.errmsg)`, the shell exits 2.
                        Err(self.fatal(&format!("/bin/sh: {msg}\n"), 2))
                    }
                }
            }
        }
    }

    fn fatal(&mut self, msg: &str, code: i32) -> Ctrl {
        self.subst_err.extend_from_slice(msg.as_bytes());
        Ctrl::Exit(code)
    }

    fn param(&mut self, name: &str, op: ParamOp, arg: &str) -> Result<String, Ctrl> {
        let value = self.var(name);
        let arg_value = |sh: &mut Self| -> Result<String, Ctrl> {
            match word_of_text(arg, false) {
                Ok(w) => sh.expand_string(&w),
                Err(_) => Ok(arg.to_string()),
            }
        };
        let unset_or_empty = |colon: bool| match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        Ok(match op {
            ParamOp::Plain | ParamOp::Length
                if value.is_none() && self.opt_u && !matches!(name, "@" | "*") =>
            {
                // `set -u`: ash prints "sh: X: parameter not set" and the shell exits with 2.
                self.subst_err
                    .extend_from_slice(format!("/bin/sh: {name}: parameter not set\n").as_bytes());
                return Err(Ctrl::Exit(2));
            }
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default { colon } => {
                if unset_or_empty(colon) {
                    arg_value(self)?
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Assign { colon } => {
                if unset_or_empty(colon) {
                    let v = arg_value(self)?;
                    self.set_var(name, v.clone());
                    v
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Alternative { colon } => {
                if unset_or_empty(colon) {
                    String::new()
                } else {
                    arg_value(self)?
                }
            }
            ParamOp::Error { colon } => {
                if unset_or_empty(colon) {
                    // ash: `sh: NAME: MESSAGE` (default `parameter not set` / `parameter null`).
                    let msg = arg_value(self)?;
                    let msg = if !msg.is_empty() {
                        msg
                    } else if value.is_none() {
                        "parameter not set".to_string()
                    } else {
                        "parameter null".to_string()
                    };
                    self.subst_err
                        .extend_from_slice(format!("/bin/sh: {name}: {msg}\n").as_bytes());
                    return Err(Ctrl::Exit(2));
                }
                value.unwrap_or_default()
            }
            ParamOp::Substring => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let spec = arg_value(self)?;
                let (off, len) = match spec.split_once(':') {
                    Some((o, l)) => (o.to_string(), Some(l.to_string())),
                    None => (spec.clone(), None),
                };
                let num = |sh: &mut Self, e: &str| -> Result<i64, Ctrl> {
                    if e.trim().is_empty() {
                        return Ok(0);
                    }
                    super::applets::arith::eval(e, sh).map_err(|m| {
                        sh.subst_err
                            .extend_from_slice(format!("/bin/sh: {m}\n").as_bytes());
                        Ctrl::Exit(2)
                    })
                };
                let n = v.len() as i64;
                let mut start = num(self, &off)?;
                if start < 0 {
                    start = (n + start).max(0);
                }
                let start = start.min(n);
                let end = match len {
                    None => n,
                    Some(l) => {
                        let l = num(self, &l)?;
                        if l < 0 {
                            (n + l).max(start)
                        } else {
                            start.saturating_add(l).min(n)
                        }
                    }
                };
                v[start as usize..end.max(start) as usize].iter().collect()
            }
            ParamOp::Replace { all, anchor } => {
                let v = value.unwrap_or_default();
                // `pat/rep`: the first unescaped `/` separates them.
                let mut split = None;
                let mut esc = false;
                for (i, c) in arg.char_indices() {
                    if esc {
                        esc = false;
                    } else if c == '\\' {
                        esc = true;
                    } else if c == '/' {
                        split = Some(i);
                        break;
                    }
                }
                let (pat_text, rep_text) = match split {
                    Some(i) => (&arg[..i], &arg[i + 1..]),
                    None => (arg, ""),
                };
                let expand = |sh: &mut Self, t: &str| -> Result<String, Ctrl> {
                    match word_of_text(t, false) {
                        Ok(w) => sh.expand_string(&w),
                        Err(_) => Ok(t.to_string()),
                    }
                };
                let pat = expand(self, pat_text)?;
                let rep = expand(self, rep_text)?;
                let r = replace_pattern(&v, &pat, &rep, all, anchor);
                self.pattern_done(r)?
            }
            ParamOp::RemovePrefix { longest } => {
                let v = value.unwrap_or_default();
                let pat = arg_value(self)?;
                let r = remove_affix(&v, &pat, longest, true);
                self.pattern_done(r)?
            }
            ParamOp::RemoveSuffix { longest } => {
                let v = value.unwrap_or_default();
                let pat = arg_value(self)?;
                let r = remove_affix(&v, &pat, longest, false);
                self.pattern_done(r)?
            }
        })
    }

    /// `$(script)`: runs in a subshell, stdout with trailing newlines removed.
    fn command_subst(&mut self, script: &str) -> Result<String, Ctrl> {
        if self.depth >= MAX_CALL_DEPTH {
            return Ok(String::new());
        }
        self.depth += 1;
        let mut io = Io::default();
        // The substitution's fd 1 is its pipe, whatever `exec >file` said outside.
        let r = self.with_fds_hidden(&[1], |sh| {
            sh.subshell(|sh| Ok(sh.run_source(script, &mut io)))
        });
        self.depth -= 1;
        let code = r.unwrap_or(1);
        self.status = code;
        let bytes = io
            .out
            .to_bytes_bounded(super::exec::OUTPUT_LIMIT as u64)
            .unwrap_or_default();
        let mut s = String::from_utf8_lossy(&bytes).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        // The inner commands' errors go to the RUN's stderr, as in a real shell.
        if self.subst_err.len() < super::exec::OUTPUT_LIMIT {
            self.subst_err.extend_from_slice(&io.err);
        }
        Ok(s)
    }

    /// Absolute or relative glob against the fs: sorted matches, or empty if none.
    pub fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        // Candidates: (path shown to the user, absolute path).
        let mut cands: Vec<(String, String)> = vec![(
            if absolute { "/".into() } else { String::new() },
            if absolute {
                "/".into()
            } else {
                self.cwd.clone()
            },
        )];
        for (i, comp) in comps.iter().enumerate() {
            let is_last = i + 1 == comps.len();
            let mut next = Vec::new();
            let has_magic = comp.contains(['*', '?', '[']);
            for (shown, abs) in &cands {
                let join = |base: &str, name: &str| {
                    if base.is_empty() {
                        name.to_string()
                    } else if base.ends_with('/') {
                        format!("{base}{name}")
                    } else {
                        format!("{base}/{name}")
                    }
                };
                if !has_magic {
                    let name = unescape(comp);
                    let a = join(abs, &name);
                    if (is_last && self.ctx.fs.lstat(&a).is_ok())
                        || (!is_last && self.ctx.fs.is_dir(&a))
                    {
                        next.push((join(shown, &name), a));
                    }
                    continue;
                }
                let Ok(names) = self.ctx.fs.list_dir(abs) else {
                    continue;
                };
                for name in names {
                    if name.starts_with('.') && !comp.starts_with('.') {
                        continue;
                    }
                    if fnmatch(comp, &name) {
                        let a = join(abs, &name);
                        if is_last || self.ctx.fs.is_dir(&a) {
                            next.push((join(shown, &name), a));
                        }
                    }
                }
                if next.len() > GLOB_LIMIT {
                    break;
                }
            }
            cands = next;
            if cands.is_empty() {
                return Vec::new();
            }
        }
        let mut out: Vec<String> = cands.into_iter().map(|(s, _)| s).collect();
        if pattern.ends_with('/') {
            for o in &mut out {
                o.push('/');
            }
        }
        crate::sorting::sort(&mut out);
        out
    }
}

/// Words a bash brace expression in an unquoted literal part stands for (at most 1000).
fn brace_expand(w: &Word, depth: usize) -> Vec<Word> {
    if depth > 8 {
        return vec![w.clone()];
    }
    for (pi, part) in w.parts.iter().enumerate() {
        let WordPart::Lit {
            text,
            quoted: false,
        } = part
        else {
            continue;
        };
        let Some((open, close, alts)) = find_brace(text) else {
            continue;
        };
        let mut out = Vec::new();
        for alt in alts {
            let mut parts = w.parts.clone();
            let new_text = format!("{}{}{}", &text[..open], alt, &text[close + 1..]);
            parts[pi] = WordPart::Lit {
                text: new_text,
                quoted: false,
            };
            out.extend(brace_expand(&Word { parts }, depth + 1));
            if out.len() >= 1000 {
                out.truncate(1000);
                return out;
            }
        }
        return out;
    }
    vec![w.clone()]
}

/// The first `{a,b}` / `{1..5}` / `{a..e}` group in `text`: (open, close, alternatives).
fn find_brace(text: &str) -> Option<(usize, usize, Vec<String>)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(rel) = text.get(start..)?.find('{') {
        let open = start + rel;
        let mut level = 0usize;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'{' => level += 1,
                b'}' => {
                    level -= 1;
                    if level == 0 {
                        close = Some(i);
                        break;
                    }
                }
                b',' if level == 1 => commas.push(i),
                _ => {}
            }
        }
        let close = close?;
        let inner = &text[open + 1..close];
        if !commas.is_empty() {
            let mut alts = Vec::new();
            let mut from = open + 1;
            for c in commas.iter().copied().chain(std::iter::once(close)) {
                alts.push(text[from..c].to_string());
                from = c + 1;
            }
            return Some((open, close, alts));
        }
        if let Some((a, b)) = inner.split_once("..") {
            if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
                let alts: Vec<String> = if x <= y {
                    (x..=y).take(1000).map(|n| n.to_string()).collect()
                } else {
                    (y..=x).rev().take(1000).map(|n| n.to_string()).collect()
                };
                return Some((open, close, alts));
            }
            let (ca, cb) = (a.chars().next(), b.chars().next());
            if let (Some(ca), Some(cb)) = (ca, cb) {
                if a.len() == 1
                    && b.len() == 1
                    && ca.is_ascii_alphabetic()
                    && cb.is_ascii_alphabetic()
                {
                    let (lo, hi) = (ca.min(cb) as u8, ca.max(cb) as u8);
                    let mut alts: Vec<String> =
                        (lo..=hi).map(|c| (c as char).to_string()).collect();
                    if ca > cb {
                        alts.reverse();
                    }
                    return Some((open, close, alts));
                }
            }
        }
        start = open + 1;
    }
    None
}

fn last(fields: &mut Vec<Field>) -> &mut Field {
    if fields.is_empty() {
        fields.push(Field::default());
    }
    let n = fields.len() - 1;
    &mut fields[n]
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Shell pattern matching (`*`, `?`, `[abc]`, `[!a-z]`, `\x`) of a whole string.
pub fn fnmatch(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with one backtrack point for `*` (linear-ish, no recursion).
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match class_match(&p, pi, t[ti]) {
                Some((true, end)) => Some(end),
                Some((false, _)) => None,
                None => (t[ti] == '[').then_some(pi + 1),
            },
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == t[ti]).then_some(pi + 2),
            Some(&c) => (c == t[ti]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(np) => {
                pi = np;
                ti += 1;
            }
            None => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&'*') {
        pi += 1;
    }
    pi == p.len()
}

/// Matches `c` against the class starting at `p[start] == '['`: (matched, index after `]`),
/// or None if the class is not closed (then `[` is literal).
fn class_match(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while let Some(&pc) = p.get(i) {
        if pc == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&e| e != ']') {
            let hi = p[i + 2];
            if pc <= c && c <= hi {
                matched = true;
            }
            i += 3;
        } else {
            if pc == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

/// Characters of text that one `${v/...}`, `${v#...}` or `${v%...}` may compare: a `*`
/// pattern is tried at every start and length, which is cubic in the value's length.
const PATTERN_WORK: u64 = 50_000_000;

/// How many characters every match of a glob has, when that is fixed (no `*`).
fn fixed_len(pattern: &str) -> Option<usize> {
    let p: Vec<char> = pattern.chars().collect();
    let (mut i, mut n) = (0, 0);
    while i < p.len() {
        i = match p[i] {
            '*' => return None,
            '[' => class_match(&p, i, '\0').map_or(i + 1, |(_, end)| end),
            '\\' if i + 1 < p.len() => i + 2,
            _ => i + 1,
        };
        n += 1;
    }
    Some(n)
}

/// A budget of characters compared; false once it is spent.
struct Work(u64);

impl Work {
    fn spend(&mut self, pat: &str, text: &str) -> bool {
        let cost = (pat.len() + text.len() + 1) as u64;
        self.0 = self.0.saturating_sub(cost);
        self.0 > 0
    }
}

/// The char boundaries of `v`, its end included.
fn boundaries(v: &str) -> Vec<usize> {
    v.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(v.len()))
        .collect()
}

/// `${v/pat/rep}`: the longest match of the glob `pat` at the leftmost position, replaced
/// once or (`all`) everywhere; `anchor` `#`/`%` pins it to the start/end. None when the
/// search needs more than [`PATTERN_WORK`].
fn replace_pattern(
    v: &str,
    pat: &str,
    rep: &str,
    all: bool,
    anchor: Option<char>,
) -> Option<String> {
    if pat.is_empty() {
        return Some(v.to_string());
    }
    let bounds = boundaries(v);
    let fixed = fixed_len(pat);
    let mut work = Work(PATTERN_WORK);
    // The end (an index into `bounds`) of the longest match starting at `bounds[i]`.
    let mut longest_at = |i: usize| -> Option<Option<usize>> {
        let start = bounds[i];
        let ends: Vec<usize> = match fixed {
            Some(0) => Vec::new(),
            Some(k) => (i + k < bounds.len())
                .then_some(i + k)
                .into_iter()
                .collect(),
            None => (i + 1..bounds.len()).rev().collect(),
        };
        for e in ends {
            let text = &v[start..bounds[e]];
            if !work.spend(pat, text) {
                return None;
            }
            if fnmatch(pat, text) {
                return Some(Some(e));
            }
        }
        Some(None)
    };
    Some(match anchor {
        Some('#') => match longest_at(0)? {
            Some(e) => format!("{rep}{}", &v[bounds[e]..]),
            None => v.to_string(),
        },
        Some(_) => {
            // `%`: the longest suffix that matches.
            let starts: Vec<usize> = match fixed {
                Some(k) => bounds.len().checked_sub(k + 1).into_iter().collect(),
                None => (0..bounds.len().saturating_sub(1)).collect(),
            };
            let mut found = None;
            for s in starts {
                let text = &v[bounds[s]..];
                if !work.spend(pat, text) {
                    return None;
                }
                if !text.is_empty() && fnmatch(pat, text) {
                    found = Some(bounds[s]);
                    break;
                }
            }
            match found {
                Some(s) => format!("{}{rep}", &v[..s]),
                None => v.to_string(),
            }
        }
        None => {
            let mut out = String::new();
            let mut i = 0;
            let mut copied = 0;
            while i < bounds.len() {
                match longest_at(i)? {
                    Some(e) => {
                        out.push_str(&v[copied..bounds[i]]);
                        out.push_str(rep);
                        copied = bounds[e];
                        if !all {
                            break;
                        }
                        i = e;
                    }
                    None => i += 1,
                }
            }
            out.push_str(&v[copied..]);
            out
        }
    })
}

/// `${v#pat}` / `${v##pat}` (prefix) and `${v%pat}` / `${v%%pat}` (suffix): removes the
/// shortest or longest part at that end that `pat` matches; `v` unchanged when none does.
/// None when the search needs more than [`PATTERN_WORK`].
fn remove_affix(v: &str, pat: &str, longest: bool, prefix: bool) -> Option<String> {
    let bounds = boundaries(v);
    // Where the value is cut: a fixed-length pattern has one candidate.
    let mut cuts: Vec<usize> = match fixed_len(pat) {
        Some(k) if prefix => bounds.get(k).copied().into_iter().collect(),
        Some(k) => bounds
            .len()
            .checked_sub(k + 1)
            .map(|i| bounds[i])
            .into_iter()
            .collect(),
        None => bounds,
    };
    // Shortest first: a prefix grows from the start, a suffix from the end.
    if prefix == longest {
        cuts.reverse();
    }
    let mut work = Work(PATTERN_WORK);
    for i in cuts {
        let (part, rest) = if prefix {
            (&v[..i], &v[i..])
        } else {
            (&v[i..], &v[..i])
        };
        if !work.spend(pat, part) {
            return None;
        }
        if fnmatch(pat, part) {
            return Some(rest.to_string());
        }
    }
    Some(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn fnmatch_table() {
        for (p, t, want) in [
            ("*.txt", "a.txt", true),
            ("*.txt", "a.txt.bak", false),
            ("a?c", "abc", true),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("*", "", true),
            ("a*b*c", "aXXbYYc", true),
            ("[", "[", true),
        ] {
            assert_eq!(fnmatch(p, t), want, "{p} {t}");
        }
    }
}
