//! `awk [-F FS] [-v VAR=VALUE]... [-f FILE | 'PROGRAM'] [FILE | VAR=VALUE]...` as busybox
//! 1.35 runs it (editors/awk.c): the whole POSIX language (patterns, ranges, BEGIN/END,
//! functions, arrays, printf, the string and math builtins, output to files). `getline`,
//! pipes, `system()` and record separators other than a newline are reported as not
//! modelled rather than guessed.

mod interp;
mod lexer;
mod parser;

use super::opts::parse;
use super::text::{lines_of, text_of};
use crate::content::Content;
use crate::shell::exec::{Io, Shell, Status};
use interp::{Interp, Val};
use parser::{ParseError, Parser};

/// `\t`, `\n`, `\\` in `-v` values, `-F` and command-line assignments.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('"') => out.push('"'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A `VAR=value` operand or `-v` value: (name, value) when it is one.
fn assignment(a: &str) -> Option<(String, String)> {
    let (name, value) = a.split_once('=')?;
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    ok.then(|| (name.to_string(), unescape(value)))
}

pub fn awk(sh: &mut Shell, argv: &[String], io: &mut Io) -> Status {
    let o = parse(argv, "Fvf", true);
    let mut operands = o.args.clone();
    let program_text = match o.value('f') {
        Some(path) => match sh.read_file(&sh.abs(path), None) {
            Ok(c) => text_of(sh, &c).unwrap_or_default(),
            Err(e) => {
                io.eprint(&format!("awk: can't open '{path}': {}\n", e.message()));
                return Ok(1);
            }
        },
        None => {
            if operands.is_empty() {
                io.eprint("Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n");
                return Ok(1);
            }
            operands.remove(0)
        }
    };
    let parsed = lexer::tokenize(&program_text)
        .map_err(ParseError::Syntax)
        .and_then(|toks| Parser::new(toks).program());
    let program = match parsed {
        Ok(p) => p,
        Err(ParseError::Syntax(msg)) => {
            io.eprint(&format!("awk: cmd. line:1: {msg}\n"));
            return Ok(2);
        }
        Err(ParseError::Unmodelled(what)) => {
            sh.unknown.push(format!(
                "awk program `{program_text}` ({what}) is not modelled"
            ));
            return Ok(0);
        }
    };
    let env = sh.env_pairs();
    let mut it = Interp::new(&program, &env);
    if let Some(fs) = o.value('F') {
        let fs = unescape(fs);
        // POSIX: `-Ft` is a tab.
        let fs = if fs == "t" { "\t".to_string() } else { fs };
        it.set_global("FS", Val::Str(fs));
    }
    for (f, v) in &o.flags {
        if let ('v', Some(v)) = (f, v) {
            match assignment(v) {
                Some((name, value)) => it.set_global(&name, Val::StrNum(value)),
                None => {
                    io.eprint(&format!("awk: -v {v}: not a VAR=VALUE assignment\n"));
                    return Ok(1);
                }
            }
        }
    }
    let mut code = 0;
    let mut running = it.begin();
    if running && it.needs_input() {
        let files: Vec<&String> = operands
            .iter()
            .filter(|a| assignment(a).is_none())
            .collect();
        let mut sources: Vec<Option<String>> = operands.iter().map(|a| Some(a.clone())).collect();
        if files.is_empty() {
            sources.push(None);
        }
        'inputs: for src in sources {
            let content = match src {
                None => std::mem::take(&mut io.stdin),
                Some(a) => {
                    if let Some((name, value)) = assignment(&a) {
                        it.set_global(&name, Val::StrNum(value));
                        continue;
                    }
                    if a == "-" {
                        std::mem::take(&mut io.stdin)
                    } else {
                        match sh.read_file(&sh.abs(&a), None) {
                            Ok(c) => c,
                            Err(e) => {
                                io.eprint(&format!("awk: cannot open {a} ({})\n", e.message()));
                                code = 2;
                                continue;
                            }
                        }
                    }
                }
            };
            let Some(text) = text_of(sh, &content) else {
                continue;
            };
            it.reset_fnr();
            for line in lines_of(&text) {
                if !it.record(line) {
                    running = false;
                    break 'inputs;
                }
            }
        }
    }
    let _ = running;
    it.end();
    let out = it.finish();
    if let Some(why) = out.unknown {
        sh.unknown
            .push(format!("awk program `{program_text}`: {why}"));
        return Ok(0);
    }
    io.print(&out.stdout);
    io.eprint(&out.stderr);
    for (path, text, append) in out.files {
        let p = sh.abs(&path);
        if let Err(e) = sh.write_file(&p, Content::from_text(&text), append) {
            io.eprint(&format!(
                "awk: cannot open \"{path}\" for output ({})\n",
                e.message()
            ));
            code = 2;
        }
    }
    Ok(if code != 0 { code } else { out.exit_code })
}

#[cfg(test)]
mod tests {
    use crate::fs::tests::busybox1;
    use crate::fs::Fs;
    use crate::shell::{run_script, RunContext};

    fn awk(script: &str) -> (i32, String) {
        let mut fs = Fs::from_layers(vec![busybox1()]);
        let mut ctx = RunContext::new(&mut fs);
        let o = run_script(script, &mut ctx);
        assert!(o.unknown_effects.is_empty(), "{script}: {o:?}");
        (o.exit_code, o.stdout)
    }

    #[test]
    fn awk_programs_like_busybox() {
        let data = "printf 'apple 3\\nbanana 10\\ncherry 2\\n' | busybox awk ";
        for (prog, want) in [
            ("'{print NF, $2}'", "2 3\n2 10\n2 2\n"),
            ("'{s+=$2} END{print s, NR}'", "15 3\n"),
            (
                "'{printf \"%-7s|%3d\\n\", $1, NR}'",
                "apple  |  1\nbanana |  2\ncherry |  3\n",
            ),
            ("'$2 > 2'", "apple 3\nbanana 10\n"),
            ("'$2 > \"2\"'", "apple 3\n"),
            ("'length($1) > 5 {print toupper($1)}'", "BANANA\nCHERRY\n"),
            ("'{a[$2 % 2]++} END{print a[0], a[1]}'", "2 1\n"),
            ("'NR%2==1{next} {print}'", "banana 10\n"),
            (
                "'{gsub(/a/,\"A\"); print}'",
                "Apple 3\nbAnAnA 10\ncherry 2\n",
            ),
            (
                "'{print substr($1,2,3), index($1,\"an\")}'",
                "ppl 0\nana 2\nher 0\n",
            ),
            (
                // busybox B_ss: start = int(m) - 1 clamped at 0, not POSIX rounding.
                "'NR==1{print substr($1,0,2), substr($1,-1), substr($1,4,99)}'",
                "ap apple le\n",
            ),
            ("'/banana/,/cherry/ {print $1}'", "banana\ncherry\n"),
            (
                "'{$2=$2*2; print; print NF}' OFS=-",
                "apple-6\n2\nbanana-20\n2\ncherry-4\n2\n",
            ),
            (
                "'BEGIN{x=3; y=x*2+1; print y, x/2, 7%3, 2^10, -2^2}'",
                "7 1.5 1 1024 -4\n",
            ),
            (
                "'{ if ($2+0 >= 10) print \"big\"; else print \"small\" }'",
                "small\nbig\nsmall\n",
            ),
            ("'function f(n) { return n*2 } {print f($2)}'", "6\n20\n4\n"),
            (
                "'{n=split($0, p, \"a\"); print n, p[1]}'",
                "2 \n4 b\n1 cherry 2\n",
            ),
            ("'END{for(i=1;i<=3;i++) s=s i; print s}'", "123\n"),
            (
                "'BEGIN{printf \"%5.2f|%d|%s|%c|%x\\n\", 3.14159, 42.9, \"x\", 65, 255}'",
                " 3.14|42|x|A|ff\n",
            ),
            (
                "'{print $1 > \"/out\"} END{close(\"/out\")}' && cat /out",
                "apple\nbanana\ncherry\n",
            ),
            ("-v n=2 'NR==n'", "banana 10\n"),
            (
                "'BEGIN{print 1/3, 100000 * 100000, 0.1+0.2}'",
                "0.333333 10000000000 0.3\n",
            ),
            (
                "'{print; exit 3} END{print \"end\"}'; echo $?",
                "apple 3\nend\n3\n",
            ),
            (
                "'match($0, /[0-9]+/) {print RSTART, RLENGTH}'",
                "7 1\n8 2\n8 1\n",
            ),
        ] {
            assert_eq!(
                awk(&format!("{data}{prog}")),
                (0, want.to_string()),
                "{prog}"
            );
        }
        assert_eq!(
            awk("echo 'a:b:c' | busybox awk -F: '{print $NF; print NF}'"),
            (0, "c\n3\n".to_string())
        );
        assert_eq!(
            awk("echo '010 0x1A 1e3 abc' | busybox awk '{print $1+0, $2+0, $3+0, $4+0}'"),
            (0, "8 26 1000 0\n".to_string())
        );
        // Deep recursion ends at the call bound instead of exhausting the stack.
        let mut fs = Fs::from_layers(vec![busybox1()]);
        let mut ctx = RunContext::new(&mut fs);
        let o = run_script(
            "busybox awk 'function f(n) { return f(n+1) } BEGIN { f(1) }'",
            &mut ctx,
        );
        assert!(!o.unknown_effects.is_empty(), "{o:?}");
        assert_eq!(
            awk("busybox awk 'BEGIN{print' 2>/dev/null; echo $?"),
            (0, "2\n".to_string())
        );
    }
}
