//! Config-only instructions: they change the image config and add an `empty_layer` history
//! row, but make no step and no layer (buildkit-truth layers_metadata_rows,
//! cache_metadata_only_edits: a LABEL/EXPOSE/ENTRYPOINT edit before a RUN leaves it CACHED).

use super::driver::Driver;
use super::history::{go_list, go_quote_list, healthcheck};
use super::state::StageState;
use super::words::Mode;
use crate::image::config::normalize_port;
use crate::image::Healthcheck as ImageHealthcheck;
use crate::instructions::{CmdLine, Instruction, Kind};

/// ARGs BuildKit never puts in the environment (`convert.go` `nonEnvArgs`).
const NON_ENV_ARGS: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

pub fn dispatch(d: &mut Driver, state: &mut StageState, instr: &Instruction) {
    let line = Some(instr.start_line);
    match &instr.kind {
        Kind::Env(pairs) => {
            let mut parts = Vec::new();
            for (k, v) in pairs {
                // Every value of one ENV line sees the env as it was before the line.
                let key = d.expand(state, k, Mode::Word);
                let value = d.expand(state, v, Mode::Word);
                parts.push((key, value));
            }
            for (k, v) in &parts {
                state.config.set_env(k, v);
                state.assign_env(k, v);
            }
            let text = parts
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            state.push_row(format!("ENV {text}"), None, line);
        }
        Kind::Arg(decls) => {
            let mut parts = Vec::new();
            for decl in decls {
                let value = match d.opts.build_args.get(&decl.name) {
                    Some(v) => Some(v.clone()),
                    None => match &decl.default {
                        Some(def) => Some(d.expand(state, def, Mode::Word)),
                        None => d.global_value(&decl.name),
                    },
                };
                parts.push(match &value {
                    Some(v) => format!("{}={}", decl.name, v),
                    None => decl.name.clone(),
                });
                // A valued ARG is set in the state's env like an ENV (BuildKit `dispatchArg`:
                // `d.state.AddEnv`), except the SBOM scan switches (`nonEnvArgs`).
                if let Some(v) = &value {
                    if !NON_ENV_ARGS.contains(&decl.name.as_str()) {
                        state.assign_env(&decl.name, v);
                    }
                }
                state.args.push((decl.name.clone(), value));
            }
            // Current BuildKit records the effective value (`ARG USED=u2`).
            state.push_row(format!("ARG {}", parts.join(" ")), None, line);
        }
        Kind::Label(pairs) => {
            let mut parts = Vec::new();
            for (k, v) in pairs {
                let key = d.expand(state, k, Mode::Word);
                let value = d.expand(state, v, Mode::Word);
                state.config.set_label(&key, &value);
                parts.push(format!("{key}={value}"));
            }
            state.push_row(format!("LABEL {}", parts.join(" ")), None, line);
        }
        Kind::Maintainer(m) => {
            state.push_row(format!("MAINTAINER {m}"), None, line);
        }
        Kind::Expose(ports) => {
            // BuildKit sorts the words as written (instructions/parse.go `parseExpose`), then
            // expands and parses each in that order, duplicates kept, into the history text
            // (convert_expose.go `dispatchExpose`: `EXPOSE %v` of the parsed list).
            let mut words: Vec<&String> = ports.iter().collect();
            crate::sorting::sort(&mut words);
            let mut list = Vec::new();
            for p in words {
                let p = d.expand(state, p, Mode::Word);
                // `ip:host:container`: the container part is the last (`splitParts`).
                let container = p.rsplit(':').next().unwrap_or(&p);
                for port in port_range(container) {
                    let n = normalize_port(&port);
                    state.config.exposed_ports.insert(n.clone());
                    list.push(n);
                }
            }
            state.push_row(format!("EXPOSE {}", go_list(&list)), None, line);
        }
        Kind::User(u) => {
            let u = d.expand(state, u, Mode::Word);
            state.config.user = u.clone();
            state.push_row(format!("USER {u}"), None, line);
        }
        Kind::Cmd(c) => {
            let argv = argv_of(state, c);
            state.config.cmd = Some(argv.clone());
            state.cmd_set = true;
            if matches!(c, CmdLine::Shell(_)) {
                state.config.args_escaped = true;
            }
            state.push_row(format!("CMD {}", go_quote_list(&argv)), None, line);
        }
        Kind::Entrypoint(c) => {
            let argv = argv_of(state, c);
            state.config.entrypoint = Some(argv.clone());
            if !state.cmd_set {
                state.config.cmd = None;
            }
            if matches!(c, CmdLine::Shell(_)) {
                state.config.args_escaped = true;
            }
            state.push_row(format!("ENTRYPOINT {}", go_quote_list(&argv)), None, line);
        }
        Kind::Shell(sh) => {
            state.config.shell = Some(sh.clone());
            state.push_row(format!("SHELL {}", go_list(sh)), None, line);
        }
        Kind::Healthcheck(hc) => {
            let row = healthcheck(hc);
            state.config.healthcheck = Some(ImageHealthcheck {
                test: hc.test.clone(),
                interval_ns: hc.interval.max(0) as u64,
                timeout_ns: hc.timeout.max(0) as u64,
                start_period_ns: hc.start_period.max(0) as u64,
                start_interval_ns: hc.start_interval.max(0) as u64,
                retries: hc.retries.max(0) as u64,
            });
            state.push_row(row, None, line);
        }
        Kind::Volume(vols) => {
            let vols: Vec<String> = vols
                .iter()
                .map(|v| d.expand(state, v, Mode::Word))
                .filter(|v| !v.is_empty())
                .collect();
            for v in &vols {
                state.config.add_volume(v);
            }
            state.push_row(format!("VOLUME {}", go_list(&vols)), None, line);
        }
        Kind::StopSignal(s) => {
            let s = d.expand(state, s, Mode::Word);
            state.config.stop_signal = s.clone();
            state.push_row(format!("STOPSIGNAL {s}"), None, line);
        }
        // ONBUILD adds no history row at all, only Config.OnBuild.
        Kind::Onbuild(expr) => state.config.on_build.push(expr.clone()),
        // Steps and FROM are dispatched elsewhere.
        Kind::From(_) | Kind::Run(_) | Kind::Copy(_) | Kind::Workdir(_) => {}
    }
}

/// CMD/ENTRYPOINT argv: exec form as written, shell form wrapped in the SHELL in effect.
pub fn argv_of(state: &StageState, c: &CmdLine) -> Vec<String> {
    match c {
        CmdLine::Exec(v) => v.clone(),
        CmdLine::Shell(s) => {
            let mut argv = shell_of(state);
            argv.push(s.clone());
            argv
        }
    }
}

pub fn shell_of(state: &StageState) -> Vec<String> {
    state
        .config
        .shell
        .clone()
        .unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into()])
}

/// `8000-8002/tcp` → each port (Docker `nat.ParsePortSpecs`), bounded to 1024 entries.
fn port_range(spec: &str) -> Vec<String> {
    let (ports, proto) = match spec.split_once('/') {
        Some((p, proto)) => (p, Some(proto)),
        None => (spec, None),
    };
    let with = |p: String| match proto {
        Some(pr) => format!("{p}/{pr}"),
        None => p,
    };
    // Port numbers are parsed and printed back (`strconv.Itoa`: `080` is `80`).
    let (start, end) = ports.split_once('-').unwrap_or((ports, ports));
    if let (Ok(a), Ok(b)) = (start.parse::<u32>(), end.parse::<u32>()) {
        if a <= b && b - a < 1024 {
            return (a..=b).map(|p| with(p.to_string())).collect();
        }
    }
    vec![with(ports.to_string())]
}
