//! Runs a RUN on a stage filesystem through the project's interpreter (`crate::shell`).

use crate::fs::Fs;
use crate::shell::pragma::PragmaEffect;
use crate::shell::{run_exec, run_script, RunContext};

#[derive(Debug, Clone, Default)]
pub struct ExecResult {
    pub exit_code: i32,
    /// What the command printed (stdout then stderr).
    pub output: String,
    /// Commands whose effects are not modelled (the layer size is then unknown).
    pub unknown: Vec<String>,
    pub notes: Vec<String>,
}

/// What to run: a shell-form script under `shell`, or an exec-form argv.
pub enum Form<'a> {
    Shell {
        shell: &'a [String],
        script: &'a str,
    },
    Exec(&'a [String]),
}

pub fn run(
    fs: &mut Fs,
    form: Form,
    env: &[String],
    cwd: &str,
    user: &str,
    pragmas: &[PragmaEffect],
) -> ExecResult {
    let mut ctx = RunContext::new(fs);
    // `# layerlab:` comments above the RUN state effects the interpreter cannot model.
    ctx.pragmas = pragmas.to_vec();
    ctx.env = env
        .iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .unwrap_or((e.clone(), String::new()))
        })
        .collect();
    ctx.user = user.to_string();
    ctx.workdir = cwd.to_string();
    let out = match form {
        Form::Shell { shell, script } => {
            ctx.shell = shell.to_vec();
            run_script(script, &mut ctx)
        }
        Form::Exec(argv) => run_exec(argv, &mut ctx),
    };
    let mut output = out.stdout;
    output.push_str(&out.stderr);
    ExecResult {
        exit_code: out.exit_code,
        output,
        unknown: out.unknown_effects,
        notes: out.notes,
    }
}
