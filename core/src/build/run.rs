//! RUN: the command after shell wrapping, its environment, user, workdir and mounts make the
//! key (BuildKit `dispatchRun` → ExecOp); the interpreter's changes make the layer.

use super::driver::{print_text, print_text_with, Driver, StepOutput, StepPlan};
use super::exec;
use super::history;
use super::meta::shell_of;
use super::report::BuildError;
use super::state::StageState;
use crate::cache::{FileInput, KeyBuilder, StepInputs};
use crate::content::{Content, Digest};
use crate::fs::{Fs, Meta, Mount as FsMount, MountKind as FsMountKind, Tree};
use crate::instructions::{CmdLine, Instruction, Mount, MountKind, RunInstr};

/// A mount, resolved to what it shows.
struct Resolved {
    spec: Mount,
    /// Content digest of what a bind mount shows (part of the key: a byte-identical stage
    /// output keeps the RUN CACHED, bk README "RUN --mount=type=bind,from=<stage>").
    digest: Option<Digest>,
    tree: Option<Tree>,
    source: String,
}

pub fn dispatch(
    d: &mut Driver,
    state: &mut StageState,
    instr: &Instruction,
    r: &RunInstr,
    pos: usize,
    of: usize,
) -> Result<(), BuildError> {
    let (argv, simple_heredoc, how) = argv_of(state, instr, r);
    let env = state.run_env();
    let user = state.config.user.clone();
    let workdir = state.workdir();
    let mounts = resolve_mounts(d, state, instr, &r.mounts)?;
    let pragmas = pragmas_of(d, instr);
    let mut kb = KeyBuilder::new("run")
        .key(state.key)
        .strs(argv.iter().map(String::as_str))
        .strs(env.iter().map(String::as_str))
        .str(&user)
        .str(&workdir);
    for m in &mounts {
        // The cache mount's `id` is deliberately NOT part of the key (bk_run_mount_cache b4).
        kb = kb
            .str(&format!("{:?}", m.spec.kind))
            .str(&m.spec.target)
            .flag(m.spec.readonly);
        if m.spec.kind == MountKind::Cache {
            kb = kb.str(&cache_opt_field(&m.spec));
        }
        if let Some(dg) = m.digest {
            kb = kb.digest(dg).str(&m.source);
        }
    }
    // `--network=default` adds no option and `--security=sandbox` is the zero value, so both
    // are the same op as no flag (convert_runnetwork.go, convert_runsecurity.go).
    let network = r.network.as_deref().filter(|n| *n != "default");
    let security = r.security.as_deref().filter(|s| *s != "sandbox");
    kb = kb.opt(network).opt(security);
    if !pragmas.is_empty() {
        // A stated effect is part of what the step does: editing it re-runs the step.
        kb = kb.str(&format!("{pragmas:?}"));
    }
    if let How::Script { body, .. } = &how {
        // The script file's content is an input, like the mount that carries it.
        kb = kb.str(body);
    }
    let key = kb.finish();
    let mut inputs = StepInputs {
        definition: argv.join(" "),
        user: user.clone(),
        workdir: workdir.clone(),
        base: state.base_ref.clone(),
        ..Default::default()
    };
    let build_args = state.history_args();
    for e in &env {
        let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
        let is_arg = state.config.env_value(k).is_none();
        inputs.vars.insert(k.to_string(), (v.to_string(), is_arg));
    }
    for m in &mounts {
        if let Some(dg) = m.digest {
            inputs
                .files
                .insert(format!("mount {}", m.spec.target), FileInput::new(dg, 0));
        }
    }
    // A lone heredoc prints its summary, expanded with the line (`customname +=
    // " (" + summarizeHeredoc(data) + ")"` before `processCmdEnv`).
    let text = match &simple_heredoc {
        Some(summary) => print_text_with(d, state, instr, &format!(" ({summary})")),
        None => print_text(d, state, instr),
    };
    let created_by = history::run(&argv, &build_args);
    let layers = state.layers.clone();
    let plan = StepPlan {
        instr,
        key,
        inputs,
        text,
        pos,
        of,
        created_by: Some(created_by),
    };
    d.step(state, plan, &mut |d| {
        let mut fs = Fs::from_layers(layers.clone());
        fs.ensure_run_mount_points();
        for m in &mounts {
            attach(d, &mut fs, m);
        }
        let form = match &how {
            How::Shell(n) if *n < argv.len() => exec::Form::Shell {
                shell: &argv[..*n],
                script: &argv[*n],
            },
            How::Script { shell, body } => exec::Form::Shell {
                shell,
                script: body,
            },
            _ => exec::Form::Exec(&argv),
        };
        // The process sees the cleaned directory (the kernel's getcwd); the key keeps the
        // path as the config spells it.
        let cwd = super::workdir::clean_abs(&workdir);
        let res = exec::run(&mut fs, form, &env, &cwd, &user, &pragmas);
        for m in fs.unmount_all() {
            if let FsMountKind::Cache { id } = &m.kind {
                d.cache.cache_mounts.insert(id.clone(), m.tree);
            }
        }
        if res.exit_code != 0 {
            d.failed_output = res.output.clone();
            return Err(BuildError {
                message: format!(
                    "process \"{}\" did not complete successfully: exit code: {}",
                    argv.join(" "),
                    res.exit_code
                ),
                range: instr.range,
            });
        }
        let mut output = res.output;
        for u in &res.unknown {
            output.push_str(&format!("\n[layerlab] size unknown: {u}"));
        }
        for n in &res.notes {
            output.push_str(&format!("\n[layerlab] {n}"));
        }
        Ok(StepOutput {
            layer: fs.commit(),
            output,
            inputs: None,
        })
    })
}

/// The process argv (BuildKit: shell form wrapped in the SHELL in effect; exec form as is,
/// so `RUN ["/bin/sh","-c","x"]` and `RUN x` are one key). For a heredoc RUN, also the first
/// body line when the command is just the heredoc (printed as `RUN <<EOF (first line...)`),
/// and for shell form the length of the shell prefix.
fn argv_of(
    state: &StageState,
    instr: &Instruction,
    r: &RunInstr,
) -> (Vec<String>, Option<String>, How) {
    match &r.cmd {
        CmdLine::Exec(v) => (v.clone(), None, How::Exec),
        CmdLine::Shell(cmd) => {
            let mut script = cmd.clone();
            let mut simple = None;
            if let Some(first) = instr.heredocs.first() {
                let trimmed = cmd.trim();
                let only_marker = trimmed.starts_with("<<")
                    && !trimmed.contains(char::is_whitespace)
                    && instr.heredocs.len() == 1;
                if only_marker {
                    script = heredoc_body(first);
                    simple = Some(summarize_heredoc(&script));
                    if let Some(interp) = script.lines().next().and_then(|l| l.strip_prefix("#!")) {
                        // A lone heredoc with a shebang becomes a file mounted at
                        // /dev/pipes/<name>, and the shell runs that path (`dispatchRun`:
                        // `args = [path]`, then `withShell`), so history shows
                        // `RUN /bin/sh -c /dev/pipes/EOF`; the interpreter is the shebang's.
                        let mut shell: Vec<String> =
                            interp.split_whitespace().map(str::to_string).collect();
                        if shell.is_empty() {
                            shell.push("/bin/sh".into());
                        }
                        shell.push("-c".into());
                        let mut argv = shell_of(state);
                        argv.push(format!("/dev/pipes/{}", first.name));
                        return (
                            argv,
                            simple,
                            How::Script {
                                shell,
                                body: script,
                            },
                        );
                    }
                    // Otherwise the body runs in the shell like a command line.
                } else {
                    for h in &instr.heredocs {
                        script.push('\n');
                        script.push_str(&heredoc_body(h));
                        script.push_str(&h.name);
                    }
                }
            }
            let mut argv = shell_of(state);
            let n = argv.len();
            argv.push(script);
            (argv, simple, How::Shell(n))
        }
    }
}

/// What of a cache mount's `id`/`sharing` stays in the step key. BuildKit clears both from the
/// key (solver/llbsolver/ops/exec.go `CacheMap`, `checkShouldClearCacheOpts`) unless the mount
/// is the default one: shared, with the id the frontend derives from the target
/// (convert_runmount.go: `"/" + (id or path.Clean(target))`). So a new id alone keeps the step
/// CACHED (buildkit-truth bk_run_mount_cache b4), but adding an id or a sharing mode to a
/// default mount re-runs it. `spec.target` is already absolute and clean here.
fn cache_opt_field(spec: &Mount) -> String {
    let cache_id = spec.id.clone().unwrap_or_else(|| spec.target.clone());
    let full = format!("/{cache_id}");
    let shared = matches!(spec.sharing.as_deref(), None | Some("shared"));
    if shared && (full == spec.target || cache_id == spec.target) {
        format!("cache opt {full}")
    } else {
        "cache opt cleared".to_string()
    }
}

/// BuildKit `summarizeHeredoc`: the trimmed body's first line, `...` when more follow.
fn summarize_heredoc(body: &str) -> String {
    let doc = body.trim().replace("\r\n", "\n");
    let mut lines = doc.split('\n');
    let first = lines.next().unwrap_or("").to_string();
    if lines.next().is_some() {
        format!("{first}...")
    } else {
        first
    }
}

/// How the interpreter runs a RUN.
enum How {
    /// Shell form: `argv[..n]` is the shell, `argv[n]` the script.
    Shell(usize),
    Exec,
    /// A heredoc script with a shebang, run by its interpreter.
    Script {
        shell: Vec<String>,
        body: String,
    },
}

fn resolve_mounts(
    d: &mut Driver,
    state: &StageState,
    instr: &Instruction,
    specs: &[Mount],
) -> Result<Vec<Resolved>, BuildError> {
    let mut out = Vec::new();
    for spec in specs {
        let target = d.expand(state, &spec.target, super::words::Mode::Word);
        let target =
            super::workdir::clean_abs(&crate::fs::path::join_abs(&state.workdir(), &target));
        let spec = Mount {
            target,
            ..spec.clone()
        };
        let source = spec
            .source
            .as_deref()
            .map(|s| d.expand(state, s, super::words::Mode::Word))
            .unwrap_or_else(|| "/".into());
        let mut r = Resolved {
            spec: spec.clone(),
            digest: None,
            tree: None,
            source: source.clone(),
        };
        if spec.kind == MountKind::Bind {
            let fs = match &spec.from {
                Some(from) => source_fs(d, from).map_err(|message| BuildError {
                    message,
                    range: instr.range,
                })?,
                None => super::sources::context_fs(&d.sent),
            };
            let src = if source.starts_with('/') {
                source.clone()
            } else {
                format!("/{source}")
            };
            r.digest = Some(fs.subtree_digest(&src).map_err(|e| BuildError {
                message: format!("failed to compute cache key: \"{src}\": {}", e.message()),
                range: instr.range,
            })?);
            r.tree = Some(fs.tree().clone());
            r.source = src;
        }
        out.push(r);
    }
    Ok(out)
}

/// The filesystem a `from=` names: a built stage, or an image.
pub fn source_fs(d: &mut Driver, from: &str) -> Result<Fs, String> {
    if let Some(i) = d.graph.find(from) {
        if let Some(s) = d.done.get(&i) {
            return Ok(Fs::from_layers(s.layers.clone()));
        }
        return Err(format!("stage {from} is not built yet"));
    }
    let img = match super::from::resolve(from) {
        Ok(img) => img,
        Err(_) if d.placeholders => crate::image::placeholder(from),
        Err(e) => return Err(e),
    };
    let layers = super::from::base_layers(d, &img);
    Ok(Fs::from_layers(layers))
}

fn attach(d: &mut Driver, fs: &mut Fs, m: &Resolved) {
    let target = m.spec.target.as_str();
    match m.spec.kind {
        MountKind::Cache => {
            let id = m.spec.id.clone().unwrap_or_else(|| target.to_string());
            // `--no-cache` starts cache mounts empty (bk_run_mount_cache b3).
            let tree = if d.opts.no_cache {
                Tree::default()
            } else {
                d.cache.cache_mounts.get(&id).cloned().unwrap_or_default()
            };
            fs.attach_mount(FsMount::cache(target, &id, tree));
        }
        MountKind::Bind => {
            if let Some(tree) = &m.tree {
                fs.attach_mount(FsMount::bind(
                    target,
                    tree.clone(),
                    &m.source,
                    m.spec.readonly,
                ));
            }
        }
        MountKind::Tmpfs => fs.attach_mount(FsMount::tmpfs(target)),
        MountKind::Secret => {
            let id = m.spec.id.clone().unwrap_or_default();
            fs.attach_mount(FsMount::secret(
                target,
                &id,
                Content::empty(),
                Meta::root(0o400),
            ));
        }
        MountKind::Ssh => {}
    }
}

/// A heredoc's body as the build sees it: for `<<-`, leading tabs removed from every line
/// (BuildKit `parser.ChompHeredocContent`; idempotent when the parser already did it).
pub fn heredoc_body(h: &crate::syntax::Heredoc) -> String {
    if !h.chomp {
        return h.content.clone();
    }
    h.content
        .split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

/// The `# layerlab:` pragmas on the comment lines right above this RUN (see
/// `crate::shell::pragma` for the syntax); a malformed one becomes a warning on the RUN.
fn pragmas_of(d: &mut Driver, instr: &Instruction) -> Vec<crate::shell::pragma::PragmaEffect> {
    let (effects, errors) =
        crate::shell::pragma::pragmas_above(d.dockerfile, instr.range.start as usize);
    for e in errors {
        d.report
            .diagnostics
            .push(crate::diagnostic::Diagnostic::warning(
                "layerlab-pragma",
                instr.range,
                format!("# layerlab: pragma above this RUN ignored: {e}"),
            ));
    }
    effects
}
