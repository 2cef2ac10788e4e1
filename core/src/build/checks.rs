//! BuildKit's build checks (frontend/dockerfile/linter `rules.go`) that a build reports as
//! warnings, and the `# check=skip=...;error=true` directive that turns them into a failure
//! before any step runs (buildkit-truth bk_check_directive).
//!
//! Only rules that can be decided exactly from the Dockerfile are implemented; each finding is
//! a warning diagnostic whose code is the rule name.

use super::words::{expand, Mode};
use crate::diagnostic::Diagnostic;
use crate::image::{self, Lookup};
use crate::instructions::{CmdLine, Instruction, Kind};
use crate::stages::{Base, StageGraph};
use crate::text::TextRange;
use std::collections::HashSet;

/// What `# check=` asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckDirective {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub error: bool,
}

/// Parses `skip=A,B;error=true` (BuildKit `linter.ParseLintOptions`).
pub fn parse_directive(value: Option<&str>) -> CheckDirective {
    let mut d = CheckDirective::default();
    for part in value.unwrap_or("").split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        match k.trim().to_ascii_lowercase().as_str() {
            "skip" => {
                for r in v.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                    if r.eq_ignore_ascii_case("all") {
                        d.skip_all = true;
                    } else {
                        d.skip.push(r.to_string());
                    }
                }
            }
            "error" => d.error = v.trim().eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    d
}

fn warn(out: &mut Vec<Diagnostic>, rule: &'static str, range: TextRange, msg: String) {
    out.push(Diagnostic::warning(rule, range, msg));
}

/// Runs the checks over the lowered instructions; `global_args` are the names declared before
/// the first FROM.
pub fn run(
    instrs: &[Instruction],
    graph: &StageGraph,
    ctx: Option<&crate::context::BuildContext>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(ctx) = ctx {
        copy_ignored(graph, ctx, &mut out);
    }
    casing(instrs, &mut out);
    let globals: HashSet<&str> = graph
        .global_args
        .iter()
        .map(|(d, _)| d.name.as_str())
        .collect();
    for stage in &graph.stages {
        from_checks(stage, &globals, &mut out);
        let base = base_env(stage, graph, 0);
        let known_base = base.is_some();
        let mut defined: HashSet<String> = base.unwrap_or_default();
        // A base that already has a working directory makes a relative WORKDIR well defined.
        let mut abs_workdir = match &stage.base {
            Base::Stage(_) => true,
            Base::Image(r) => {
                matches!(image::lookup(r), Lookup::Found(img) if !img.config.working_dir.is_empty())
            }
        };
        let mut seen_cmd = Vec::new();
        let mut seen_entry = Vec::new();
        let mut seen_health = Vec::new();
        for instr in &stage.instructions {
            if known_base {
                undefined_vars(instr, &defined, &mut out);
            }
            match &instr.kind {
                Kind::Maintainer(_) => warn(
                    &mut out,
                    "MaintainerDeprecated",
                    instr.range,
                    "Maintainer instruction is deprecated in favor of using label".into(),
                ),
                Kind::Env(pairs) | Kind::Label(pairs) => {
                    if is_legacy_key_value(instr) {
                        let kw = instr.keyword();
                        warn(&mut out, "LegacyKeyValueFormat", instr.range, format!("\"{kw} key=value\" should be used instead of legacy \"{kw} key value\" format"));
                    }
                    if let Kind::Env(_) = &instr.kind {
                        for (k, _) in pairs {
                            secrets(k, "ENV", instr.range, &mut out);
                            defined.insert(k.clone());
                        }
                    }
                }
                Kind::Arg(decls) => {
                    for d in decls {
                        secrets(&d.name, "ARG", instr.range, &mut out);
                        defined.insert(d.name.clone());
                    }
                }
                Kind::Cmd(c) | Kind::Entrypoint(c) => {
                    if matches!(c, CmdLine::Shell(_)) {
                        warn(&mut out, "JSONArgsRecommended", instr.range, format!("JSON arguments recommended for {} to prevent unintended behavior related to OS signals", instr.keyword()));
                    }
                    if matches!(instr.kind, Kind::Cmd(_)) {
                        seen_cmd.push(instr.range);
                    } else {
                        seen_entry.push(instr.range);
                    }
                }
                Kind::Healthcheck(_) => seen_health.push(instr.range),
                Kind::Workdir(w) => {
                    if w.starts_with('/') || w.starts_with('$') {
                        abs_workdir = true;
                    } else if !abs_workdir {
                        warn(&mut out, "WorkdirRelativePath", instr.range, format!("Relative workdir \"{w}\" can have unexpected results if the base image changes"));
                    }
                }
                Kind::Expose(ports) => {
                    for p in ports {
                        if let Some((_, proto)) = p.split_once('/') {
                            if proto != proto.to_ascii_lowercase() {
                                warn(&mut out, "ExposeProtoCasing", instr.range, format!("Defined protocol '{p}' in EXPOSE instruction should be lowercase"));
                            }
                        }
                        if p.contains(':') {
                            warn(&mut out, "ExposeInvalidFormat", instr.range, format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{p}'"));
                        }
                    }
                }
                _ => {}
            }
        }
        for (list, kw) in [
            (seen_cmd, "CMD"),
            (seen_entry, "ENTRYPOINT"),
            (seen_health, "HEALTHCHECK"),
        ] {
            for r in list.iter().take(list.len().saturating_sub(1)) {
                warn(&mut out, "MultipleInstructionsDisallowed", *r, format!("Multiple {kw} instructions should not be used in the same stage because only the last one will be used"));
            }
        }
    }
    crate::sorting::sort_by_key(&mut out, |d| d.range.start);
    out
}

/// The findings that count: not skipped by the directive.
pub fn effective<'a>(found: &'a [Diagnostic], d: &CheckDirective) -> Vec<&'a Diagnostic> {
    if d.skip_all {
        return Vec::new();
    }
    found
        .iter()
        .filter(|f| !d.skip.iter().any(|s| s == f.code))
        .collect()
}

/// A keyword's casing as written: Some(true) upper, Some(false) lower, None mixed.
fn keyword_case(instr: &Instruction) -> Option<bool> {
    let kw = instr.original.split_whitespace().next().unwrap_or("");
    if kw == kw.to_ascii_uppercase() {
        Some(true)
    } else if kw == kw.to_ascii_lowercase() {
        Some(false)
    } else {
        None
    }
}

fn casing(instrs: &[Instruction], out: &mut Vec<Diagnostic>) {
    let upper = instrs
        .iter()
        .filter(|i| keyword_case(i) == Some(true))
        .count();
    let lower = instrs
        .iter()
        .filter(|i| keyword_case(i) == Some(false))
        .count();
    let majority_upper = upper >= lower;
    for i in instrs {
        if keyword_case(i) != Some(majority_upper) {
            let kw = i.original.split_whitespace().next().unwrap_or("");
            let case = if majority_upper {
                "uppercase"
            } else {
                "lowercase"
            };
            warn(
                out,
                "ConsistentInstructionCasing",
                i.range,
                format!("Command '{kw}' should match the case of the command majority ({case})"),
            );
        }
    }
}

fn from_checks(stage: &crate::stages::Stage, globals: &HashSet<&str>, out: &mut Vec<Diagnostic>) {
    let instr = &stage.from_instr;
    let words: Vec<&str> = instr
        .original
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    if let (Some(kw), Some(as_kw), Some(name)) = (words.first(), words.get(2), words.get(3)) {
        if as_kw.eq_ignore_ascii_case("as") {
            let from_upper = *kw == kw.to_ascii_uppercase();
            let as_upper = *as_kw == as_kw.to_ascii_uppercase();
            if from_upper != as_upper {
                warn(
                    out,
                    "FromAsCasing",
                    instr.range,
                    format!("'{as_kw}' and '{kw}' keywords' casing do not match"),
                );
            }
            if *name != name.to_ascii_lowercase() {
                warn(
                    out,
                    "StageNameCasing",
                    instr.range,
                    format!("Stage name '{name}' should be lowercase"),
                );
            }
            if matches!(name.to_ascii_lowercase().as_str(), "scratch" | "context") {
                warn(
                    out,
                    "ReservedStageName",
                    instr.range,
                    format!("Stage name should not use the same name as reserved stage \"{name}\""),
                );
            }
        }
    }
    if let Some(p) = &stage.from.platform {
        let t = p.trim();
        if t == "$TARGETPLATFORM" || t == "${TARGETPLATFORM}" {
            warn(out, "RedundantTargetPlatform", instr.range, format!("Setting platform to predefined {t} in FROM is redundant as this is the default behavior"));
        } else if !t.contains('$') {
            warn(
                out,
                "FromPlatformFlagConstDisallowed",
                instr.range,
                format!("FROM --platform flag should not use constant value \"{t}\""),
            );
        }
    }
    let lookup = |_: &str| Some(String::new());
    let (_, used) = expand(&stage.from.image, &lookup, Mode::Word);
    for name in used {
        let builtin = super::driver::PLATFORM_ARGS.iter().any(|(k, _)| *k == name);
        if !globals.contains(name.as_str()) && !builtin {
            warn(
                out,
                "UndefinedArgInFrom",
                instr.range,
                format!("FROM argument '{name}' is not declared"),
            );
        }
    }
}

/// Names the base provides: the image config's env (PATH at least) or the base stage's ENV and
/// ARG names. `None` when the base image is unknown (its env cannot be checked).
fn base_env(
    stage: &crate::stages::Stage,
    graph: &StageGraph,
    depth: usize,
) -> Option<HashSet<String>> {
    let mut names: HashSet<String> = ["PATH".to_string()].into_iter().collect();
    match &stage.base {
        Base::Image(r) => match image::lookup(r) {
            Lookup::Found(img) => names.extend(
                img.config
                    .env
                    .iter()
                    .map(|e| e.split('=').next().unwrap_or("").to_string()),
            ),
            Lookup::Unknown { .. } => return None,
        },
        Base::Stage(i) => {
            let b = graph.stages.get(*i).filter(|_| depth < 64)?;
            names.extend(base_env(b, graph, depth + 1)?);
            for instr in &b.instructions {
                match &instr.kind {
                    Kind::Env(pairs) => names.extend(pairs.iter().map(|(k, _)| k.clone())),
                    Kind::Arg(decls) => names.extend(decls.iter().map(|d| d.name.clone())),
                    _ => {}
                }
            }
        }
    }
    Some(names)
}

/// `UndefinedVar`: a variable the frontend expands (ENV, LABEL, WORKDIR, USER, EXPOSE, COPY,
/// ADD, VOLUME, STOPSIGNAL) that no ARG/ENV in scope or base env defines. RUN is the shell's.
fn undefined_vars(instr: &Instruction, defined: &HashSet<String>, out: &mut Vec<Diagnostic>) {
    let words: Vec<&str> = match &instr.kind {
        Kind::Env(p) | Kind::Label(p) => p.iter().map(|(_, v)| v.as_str()).collect(),
        Kind::Workdir(w) | Kind::User(w) | Kind::StopSignal(w) => vec![w.as_str()],
        Kind::Expose(v) | Kind::Volume(v) => v.iter().map(String::as_str).collect(),
        Kind::Copy(c) => c
            .sources
            .iter()
            .filter(|s| !s.starts_with("<<"))
            .chain(std::iter::once(&c.dest))
            .map(String::as_str)
            .collect(),
        _ => Vec::new(),
    };
    let lookup = |_: &str| None;
    for w in words {
        let (_, used) = expand(w, &lookup, Mode::Word);
        for name in used {
            if !defined.contains(&name) {
                warn(
                    out,
                    "UndefinedVar",
                    instr.range,
                    format!("Usage of undefined variable '${name}'"),
                );
            }
        }
    }
}

/// `CopyIgnoredFile`: a COPY/ADD names (literally) a context file that .dockerignore excludes.
fn copy_ignored(graph: &StageGraph, ctx: &crate::context::BuildContext, out: &mut Vec<Diagnostic>) {
    if ctx.dockerignore_text().is_none() {
        return;
    }
    // The sent list is computed only if some COPY names a context path literally.
    let mut sent: Option<HashSet<String>> = None;
    for stage in &graph.stages {
        for instr in &stage.instructions {
            let Kind::Copy(c) = &instr.kind else { continue };
            if c.from.is_some() {
                continue;
            }
            for src in &c.sources {
                if src.starts_with("<<") || src.contains(['$', '*', '?', '[']) {
                    continue;
                }
                let path = super::glob::clean(src);
                if path.is_empty() || !ctx.contains(&path) {
                    continue;
                }
                let sent = sent.get_or_insert_with(|| {
                    ctx.sent_files(true)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| p.trim_end_matches('/').to_string())
                        .collect()
                });
                if !sent.contains(path.as_str()) {
                    let kw = instr.keyword();
                    let verb = if kw == "ADD" { "Add" } else { "Copy" };
                    warn(
                        out,
                        "CopyIgnoredFile",
                        instr.range,
                        format!(
                            "Attempting to {verb} file \"{src}\" that is excluded by .dockerignore"
                        ),
                    );
                }
            }
        }
    }
}

/// `ENV key value` / `LABEL key value`: the first word after the keyword holds no `=`.
fn is_legacy_key_value(instr: &Instruction) -> bool {
    let mut words = instr.original.split_whitespace();
    let _ = words.next();
    words.next().is_some_and(|w| !w.contains('='))
}

/// BuildKit `SecretsUsedInArgOrEnv`: a name made of `_`-separated parts one of which is a
/// secret-looking word (`(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)`).
fn secrets(name: &str, kw: &str, range: TextRange, out: &mut Vec<Diagnostic>) {
    const WORDS: [&str; 10] = [
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    ];
    let lower = name.to_ascii_lowercase();
    // `secretsAllowRegexp`: a `public` part (PUBLIC_KEY) is not a secret.
    if lower.split('_').any(|p| WORDS.contains(&p)) && !lower.split('_').any(|p| p == "public") {
        warn(
            out,
            "SecretsUsedInArgOrEnv",
            range,
            format!("Do not use ARG or ENV instructions for sensitive data ({kw} \"{name}\")"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instructions::lower;
    use crate::syntax::parse;

    fn rules(text: &str) -> Vec<&'static str> {
        let l = lower(&parse(text));
        let g = crate::stages::graph(&l.instructions, None, &|w: &str| w.to_string());
        let mut r: Vec<&'static str> = run(&l.instructions, &g, None)
            .into_iter()
            .map(|d| d.code)
            .collect();
        crate::sorting::sort(&mut r);
        r.dedup();
        r
    }

    #[test]
    fn smells_from_the_truth_and_a_clean_file() {
        let smelly = "FROM --platform=$TARGETPLATFORM lab/busybox:1 as Base\nMAINTAINER lab@example.com\nENV LEGACY value\nARG SECRET_TOKEN=abc\nWORKDIR relative\nLABEL x=$UNDEFINED_IN_LABEL\nRUN echo \"$SECRET_TOKEN\" > /token\nexpose 80/TCP\nCMD echo hi\nCMD echo again\n";
        assert_eq!(
            rules(smelly),
            vec![
                "ConsistentInstructionCasing",
                "ExposeProtoCasing",
                "FromAsCasing",
                "JSONArgsRecommended",
                "LegacyKeyValueFormat",
                "MaintainerDeprecated",
                "MultipleInstructionsDisallowed",
                "RedundantTargetPlatform",
                "SecretsUsedInArgOrEnv",
                "StageNameCasing",
                "UndefinedVar",
                "WorkdirRelativePath"
            ]
        );
        let clean = "FROM lab/busybox:1 AS base\nLABEL maintainer=lab@example.com\nENV LEGACY=value\nARG FLAVOR=abc\nWORKDIR /relative\nLABEL x=\"\"\nRUN echo \"$FLAVOR\" > /token\nEXPOSE 80/tcp\nCMD [\"echo\", \"again\"]\n";
        assert!(rules(clean).is_empty(), "{:?}", rules(clean));
        let d = parse_directive(Some("skip=all;error=true"));
        assert!(d.skip_all && d.error);
        assert_eq!(
            parse_directive(Some("skip=JSONArgsRecommended,MaintainerDeprecated"))
                .skip
                .len(),
            2
        );
    }
}
