//! Busybox 1.35 rules probed against its source (coreutils/printf.c, coreutils/stat.c,
//! coreutils/dd.c, libbb/make_directory.c, libbb/parse_mode.c) and glibc's printf: each case is a
//! script on a fresh lab/busybox:1 (every applet run through `busybox`) and what it prints, or
//! the layer it commits.

use super::*;
use crate::fs::tests::busybox1;
use crate::fs::{Fs, Layer};
use std::sync::Arc;

fn run_on_fresh(script: &str) -> (RunOutcome, Arc<Layer>) {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.ensure_run_mount_points();
    let out = {
        let mut ctx = RunContext::new(&mut fs);
        run_script(script, &mut ctx)
    };
    let layer = fs.commit();
    (out, layer)
}

fn entry_modes(layer: &Layer) -> Vec<String> {
    layer
        .entries
        .iter()
        .map(|e| format!("{} {:04o} {}", e.path, e.mode, e.size))
        .collect()
}

#[test]
fn printed_output_matches_busybox() {
    let cases: &[(&str, &str)] = &[
        // printf: glibc conversions with flags, precision and `*`.
        (
            "printf '%5s|%-5s|%05d|%x|%o|%.2f|%c|%%|%e\\n' ab cd 42 255 8 3.14159 xyz 12345.678",
            "   ab|cd   |00042|ff|10|3.14|x|%|1.234568e+04\n",
        ),
        (
            "printf '%3d|%-3d|%+d|% d|%.3d|%#x|%#o|%X\\n' 5 5 5 5 5 255 8 255",
            "  5|5  |+5| 5|005|0xff|010|FF\n",
        ),
        ("printf '%g %g %g %G\\n' 0.5 100 1234567 0.00001", "0.5 100 1.23457e+06 1E-05\n"),
        ("printf '%*d|%-*s|%.*s\\n' 4 7 3 ab 2 xyz", "   7|ab |xy\n"),
        // Numbers are read with base 0 (`bb_strtoll(arg, NULL, 0)`) or as a character code.
        ("printf '%d %d %d %d\\n' 0x10 010 \"'A\" ' 7'", "16 8 65 7\n"),
        ("printf '%u %x\\n' -3 -1", "18446744073709551613 ffffffffffffffff\n"),
        (
            "printf '%d|\\n' abc 12x 2>/dev/null; echo $?; printf '%d' abc 2>&1 >/dev/null",
            "0|\n0|\n1\nprintf: invalid number 'abc'\n",
        ),
        ("printf '%s %s\\n' 1 2 3", "1 2\n3 \n"),
        ("printf '%ld %lld\\n' 1 2", "1 2\n"),
        ("printf '%q\\n' x 2>&1; echo $?", "printf: %q\\n: invalid format\n1\n"),
        // Format escapes: `\xHH`, up to 3 octal digits, unknown ones print the backslash.
        ("printf 'a\\x41\\101\\qz\\n'", "aAA\\qz\n"),
        ("printf 'a\\cb'; echo", "a\n"),
        // %b and echo -e skip a leading 0 of an octal escape and read up to 3 digits.
        ("printf '%b|\\n' 'x\\0101y' ; echo -e '\\1011'", "xAy|\nA1\n"),
        ("printf 2>&1; echo $?", "printf: usage: printf FORMAT [ARGUMENT...]\n2\n"),
        // stat -c: printf modifiers, times of the build's clock, blocks, raw mode.
        (
            "echo hi > /f; busybox stat -c '%-4s|%04s|%6n|%b %B %o %f|%Y|%y|%q' /f",
            "3   |0003|    /f|8 512 4096 81a4|1787270400|2026-08-21 00:00:00.000000000 +0000|q\n",
        ),
        // ls -ld: a directory's link count is 2 + its subdirectories.
        (
            "mkdir -p /m/a /m/b; ls -ld /m | busybox awk '{print $2}'",
            "4\n",
        ),
        // dd: skip= blocks are read before count= blocks; records out are counted in obs.
        (
            "dd if=/dev/zero of=/a bs=1K count=3 skip=1 seek=2 2>&1; busybox stat -c %s /a",
            "3+0 records in\n3+0 records out\n5120\n",
        ),
        (
            "dd if=/dev/zero of=/b ibs=1K obs=512 count=3 2>&1",
            "3+0 records in\n6+0 records out\n",
        ),
        // head/tail: obsolete `-N`/`+N` counts, negative head counts, `+N` tail starts, and
        // `==> name <==` headers for several inputs.
        ("busybox seq 5 > /s; head -2 /s; busybox tail -1 /s; busybox tail +4 /s", "1\n2\n5\n4\n5\n"),
        ("busybox seq 5 | head -n -3; busybox seq 5 | busybox tail -n +4", "1\n2\n4\n5\n"),
        ("printf abcdef | head -c -2; echo; printf abcdef | busybox tail -c +3; echo", "abcd\ncdef\n"),
        (
            "echo a > /a; echo b > /b; head -n 1 /a /b",
            "==> /a <==\na\n\n==> /b <==\nb\n",
        ),
        // sed: groups, back-references, ranges, text commands, in-place with a backup.
        (
            "printf '#Port 22\\n#PermitRootLogin yes\\n' > /c; busybox sed -i.orig -e 's/^#\\(Port\\)/\\1/' -e '/Root/d' /c; cat /c /c.orig",
            "Port 22\n#Port 22\n#PermitRootLogin yes\n",
        ),
        (
            "echo KEY=value | busybox sed -E 's/^([A-Z]+)=(.*)$/\\2=\\1/'",
            "value=KEY\n",
        ),
        ("busybox seq 4 | busybox sed '2,3d;1a one'", "1\none\n4\n"),
        ("busybox sed k /etc/passwd 2>&1; echo $?", "sed: unsupported command k\n1\n"),
        // grep: -n -o -w -x -h -H -e... -s -m, and fopen_or_warn's message for a missing file.
        (
            "printf 'apple 3\\nbanana 10\\ncherry 2\\n' > /f; busybox grep -n cherry /f; busybox grep -o 'a[a-z]' /f; busybox grep -w app /f; echo $?",
            "3:cherry 2\nap\nan\nan\n1\n",
        ),
        (
            "echo apple > /f; busybox grep -h root /etc/passwd /f; busybox grep -e apple -e root /f /etc/passwd | wc -l; busybox grep -xc 'appl' /f; busybox grep -nH apple /f",
            "root:x:0:0:root:/root:/bin/sh\n2\n0\n/f:1:apple\n",
        ),
        (
            "busybox grep x /nope 2>&1; echo $?; busybox grep -s x /nope; echo $?; busybox seq 9 | busybox grep -m 2 .",
            "grep: /nope: No such file or directory\n2\n2\n1\n2\n",
        ),
        // cut -b / -s, tr classes, seq -s -w and decimals.
        (
            "echo abc | busybox cut -b2; printf 'a:b\\nnodelim\\n' | busybox cut -d: -f2 -s; echo Hi | busybox tr '[:lower:]' '[:upper:]'",
            "b\nb\nHI\n",
        ),
        ("busybox seq -s, 3; busybox seq -w 8 10; busybox seq 1 0.5 2; busybox seq 5 1", "1,2,3\n08\n09\n10\n1.0\n1.5\n2.0\n"),
        // ash arithmetic (shell/math.c): every C operator, `**`, assignments, ++/--, and a
        // variable holding an expression.
        (
            "echo $((2**10)) $((1<<4)) $((0x10)) $((010)) $((5>3?7:9)) $((6&3)) $((6|1)) $((6^3)) $((~0)) $((2**3**2))",
            "1024 16 16 8 7 2 7 5 -1 512\n",
        ),
        (
            "n=5; : $((n+=2)); i=0; echo $n $((i++)) $i $((++i)) $((a=3, a*2)) $a; e=1+2; echo $((e*2)); echo $((0 && (z=1))) ${z:-unset}",
            "7 0 1 2 6 3\n6\n0 unset\n",
        ),
        // ash's bash compatibility: substrings and pattern substitution.
        (
            "v=hello; echo ${v:1:3} ${v: -2} ${v:2} ${v:1:-1} ${v/l/L} ${v//l/L} ${v/#h/H} ${v/%o/O} ${v//[el]/_}",
            "ell lo llo ell heLlo heLLo Hello hellO h___o\n",
        ),
        // trap EXIT runs at the end with the script's status kept.
        ("trap 'echo bye $?' EXIT; echo body; false", "body\nbye 1\n"),
        // find: operators, -prune, -size in bytes, -perm, -print0, -delete depth first,
        // -exec ... {} + batched at the end, busybox's errors.
        (
            "mkdir -p /w/s/d && echo abc > /w/a.txt && busybox dd if=/dev/zero of=/w/big bs=1k count=10 2>/dev/null && touch /w/s/x.log /w/s/d/y.log; busybox find /w \\( -name '*.log' -o -name '*.txt' \\) -size -2; busybox find /w -name s -prune -o -type f -print; busybox find /w -type f -perm 644 -print0 | wc -c",
            "/w/a.txt\n/w/s/d/y.log\n/w/s/x.log\n/w/a.txt\n/w/big\n40\n",
        ),
        (
            "mkdir -p /w/s/d && touch /w/s/x.log /w/f; busybox find /w/s -name '*.log' -delete; busybox find /w -type d -empty -delete; busybox find /w; busybox find /w -type f -exec echo got {} + -exec echo one {} \\;",
            "/w\n/w/f\none /w/f\ngot /w/f\n",
        ),
        ("busybox find / -bogus 2>&1; echo $?", "find: unrecognized: -bogus\n1\n"),
        // `exec` redirections stay for the rest of the shell; fds 3-9; pipes, substitutions
        // and redirected groups still get their own fd 1.
        (
            "exec 3>/f3; echo three >&3; cat /f3; exec 3>&-; echo x >&3; echo $?",
            "three\n1\n",
        ),
        (
            "exec 4>&1 >/log 2>&1; echo hidden; ls /nope; echo piped | cat; x=$(echo sub); echo $x; { echo grp; } >/g; echo back >&4; exec >&4; cat /log /g",
            "back\nhidden\nls: /nope: No such file or directory\npiped\nsub\ngrp\n",
        ),
        ("{ echo a 3>&1 1>&2 2>&3; } 2>/dev/null; echo b >&7; echo $?", "1\n"),
        // umask: printed, set (octal or symbolic), applied to what is created; ash raises
        // "illegal mode" (status 2); a subshell's umask is its own.
        (
            "umask; umask -S; umask 077; echo x > /f; mkdir /d; busybox stat -c %a /f /d; (umask 0); umask; umask u=rwx,g=rx,o=; umask; umask 999 2>&1; echo $?",
            "0022\nu=rwx,g=rx,o=rx\n600\n700\n0077\n0027\n/bin/sh: umask: line 1: illegal mode: 999\n2\n",
        ),
        // ash builtins: break/continue outside a loop do nothing; shift past the end is 1;
        // local outside a function raises (status 2) and the script goes on.
        ("break; continue; echo after; shift 3; echo $?", "after\n1\n"),
        ("for i in 1 2; do for j in a b; do break 5; done; echo no; done; echo out", "out\n"),
        ("local x=1 2>/dev/null; echo $?", "2\n"),
        // expr, base64, tac, rev, nl, cat -n/-b, cmp, groups (coreutils/expr.c and friends).
        (
            "busybox expr 3 + 4; busybox expr length hello; busybox expr substr hello 2 3; busybox expr hello : 'h\\(.*\\)o'; busybox expr abc : 'a.'; busybox expr index abc cb; busybox expr 0; echo $?; busybox expr 1 / 0 2>&1; echo $?",
            "7\n5\nell\nell\n2\n2\n0\n1\nexpr: division by zero\n2\n",
        ),
        (
            "echo hello | busybox base64; echo aGVsbG8K | busybox base64 -d; head -c 100 /dev/zero | busybox base64 | wc -c",
            "aGVsbG8K\nhello\n138\n",
        ),
        (
            "printf '1\\n\\n3\\n' > /f; busybox tac /f; echo abc | busybox rev; busybox nl /f; cat -n /f; cat -b /f",
            "3\n\n1\ncba\n     1\t1\n       \n     2\t3\n     1\t1\n     2\t\n     3\t3\n     1\t1\n       \n     2\t3\n",
        ),
        (
            "busybox cmp /etc/passwd /etc/group; echo $?; busybox cmp -s /etc/passwd /etc/passwd; echo $?; busybox groups",
            "/etc/passwd /etc/group differ: char 10, line 1\n1\n0\nroot\n",
        ),
        // read splits by IFS (a prefix `IFS=:` applies to it), keeps backslash-quoted
        // characters together without -r; type describes as ash does.
        (
            "printf 'x:y:z\\n' | { IFS=: read a b c; echo \"$a|$b|$c\"; }; printf 'k=v=w\\n' | while IFS== read -r k v; do echo \"$k -> $v\"; done; printf '  a   b  c  \\n' | { read x y; echo \"[$x][$y]\"; }",
            "x|y|z\nk -> v=w\n[a][b  c]\n",
        ),
        (
            "printf 'a\\\\ b c\\n' > /r; read x y < /r; echo \"[$x][$y]\"; read -r x y < /r; echo \"[$x][$y]\"; printf 'a,,b\\n' | { IFS=, read p q r; echo \"[$p][$q][$r]\"; }",
            "[a b][c]\n[a\\][b c]\n[a][][b]\n",
        ),
        (
            "f() { :; }; type ls cd exit f if nosuch; echo $?; command -v ls cd",
            "ls is /bin/ls\ncd is a shell builtin\nexit is a special shell builtin\nf is a function\nif is a shell keyword\nnosuch: not found\n127\n/bin/ls\ncd\n",
        ),
        // xargs -0 / -d / quotes; sort with several -k keys and their flags, -f, -u by key;
        // date -d.
        (
            "printf 'a\\0b c\\0' | busybox xargs -0 -n1 echo; echo \"'a b' c\" | busybox xargs -n1 echo; printf 'x,y' | busybox xargs -d, -n1 echo",
            "a\nb c\na b\nc\nx\ny\n",
        ),
        (
            "printf 'b\\na\\nB\\n' | busybox sort -f; printf 'a 2\\nb 10\\nc 2\\n' | busybox sort -k2,2nr -k1,1r; printf 'x 1\\ny 1\\n' | busybox sort -u -k2,2",
            "a\nB\nb\nb 10\nc 2\na 2\nx 1\n",
        ),
        (
            "busybox date -d @0 +%F; busybox date -d '2024-02-29 13:45' '+%F %T %a %s'; busybox date -d 2021-13-01 2>&1; echo $?",
            "1970-01-01\n2024-02-29 13:45:00 Thu 1709214300\ndate: invalid date '2021-13-01'\n1\n",
        ),
        // test -ef (hard links, symlinks), -nt/-ot without file times.
        (
            "echo x > /a; busybox ln /a /b; busybox ln -s /a /c; echo y > /d; [ /a -ef /b ] && echo hl; [ /a -ef /c ] && echo sl; [ /a -ef /d ] || echo diff; [ /etc -ef /etc/. ] && echo dir; [ /a -nt /nope ] && echo nt; [ /a -nt /d ] || echo same-age",
            "hl\nsl\ndiff\ndir\nnt\nsame-age\n",
        ),
        // chmod without who: the umask (022) filters the bits, `=` included.
        (
            "touch /f; chmod =rwx /f; busybox stat -c %a /f; chmod 777 /f; chmod -w /f; busybox stat -c %a /f",
            "755\n577\n",
        ),
        // mkdir -m: symbolic modes start from 0777; a bad mode is an error.
        (
            "mkdir -m g-w /q; busybox stat -c %a /q; mkdir -m zz /r 2>&1; echo $?",
            "757\nmkdir: invalid mode 'zz'\n1\n",
        ),
        // RUN has no LANG: the C locale folds case for ASCII letters only (awk's toupper is
        // libc's toupper byte by byte; grep -i and find -iname go through REG_ICASE/FNM_CASEFOLD).
        (
            "echo 'aé' | busybox awk '{print toupper($0), tolower(\"ÉZ\")}'; echo É | busybox grep -i é; echo $?; echo AB | busybox grep -i '[a]b'",
            "Aé Éz\n1\nAB\n",
        ),
        (
            "printf 'é1\\n_x\\n' | busybox grep -c '^[[:alpha:]]'; printf 'aé b\\n' | busybox sed 's/[[:alnum:]]/X/g'",
            "0\nXé X\n",
        ),
        (
            "mkdir /w; touch /w/Ab.TXT /w/é; busybox find /w -iname 'ab.txt' -o -iname 'É'",
            "/w/Ab.TXT\n",
        ),
    ];
    for (script, want) in cases {
        let (o, _) = run_on_fresh(script);
        assert_eq!(o.stdout, *want, "{script}: {o:?}");
    }
}

#[test]
fn expansion_errors_print_ash_messages_and_exit_2() {
    for (script, err) in [
        // Errors raised in special builtins end the shell with 2.
        (
            "exit abc; echo no",
            "/bin/sh: exit: line 1: Illegal number: abc\n",
        ),
        (
            "export 1a=b; echo no",
            "/bin/sh: export: line 1: 1a: bad variable name\n",
        ),
        (
            "set -o bogus; echo no",
            "/bin/sh: set: line 1: illegal option -o bogus\n",
        ),
        (
            "set -Z; echo no",
            "/bin/sh: set: line 1: illegal option -Z\n",
        ),
        (
            "echo ${zz:?custom msg}; echo no",
            "/bin/sh: zz: custom msg\n",
        ),
        ("echo ${zz?}; echo no", "/bin/sh: zz: parameter not set\n"),
        ("echo $((1/0)); echo no", "/bin/sh: divide by zero\n"),
        ("x=$((2+)); echo no", "/bin/sh: arithmetic syntax error\n"),
    ] {
        let (o, _) = run_on_fresh(script);
        assert_eq!(
            (o.exit_code, o.stdout.as_str(), o.stderr.as_str()),
            (2, "", err),
            "{script}"
        );
    }
}

#[test]
fn mkdir_p_m_sets_the_mode_of_the_last_directory_only() {
    // libbb/make_directory.c: parents get 0777 & ~umask, `-m` is chmod()ed on the last one,
    // and an existing last directory keeps its mode.
    let (o, layer) = run_on_fresh("mkdir -p -m 700 /m/n && mkdir -p -m 700 /m");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(
        entry_modes(&layer),
        [
            "dev 0755 0",
            "m 0755 0",
            "m/n 0700 0",
            "proc 0755 0",
            "sys 0755 0"
        ]
    );
}

#[test]
fn dd_skip_keeps_the_count_of_blocks_written() {
    let (o, layer) = run_on_fresh("dd if=/dev/zero of=/big bs=1M count=2 skip=3 seek=1");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(layer.size, 3 << 20);
}

/// Deterministic garbage for the never-panic checks.
fn garbage(seed: &mut u64, alphabet: &[char], len: usize) -> String {
    (0..len)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[(*seed >> 33) as usize % alphabet.len()]
        })
        .collect()
}

#[test]
fn hostile_programs_for_awk_sed_printf_and_regexes_never_panic() {
    let alphabet: Vec<char> = "ab01$(){}[]/\\|*+?^.,;:=!<>~%\"' \nNFR-&#gsubprintfifelsewhilefor"
        .chars()
        .collect();
    let mut seed = 7u64;
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.put_file(
        "/in",
        crate::content::Content::from_text("a b 1\nab 22 x\n\n0x1 b\n"),
        crate::fs::Meta::root(0o644),
    )
    .unwrap();
    for round in 0..300 {
        let len = 1 + round % 40;
        let prog = garbage(&mut seed, &alphabet, len).replace('\'', "");
        for script in [
            format!("busybox awk '{prog}' /in"),
            format!("busybox awk '{{{prog}}}' /in"),
            format!("busybox sed '{prog}' /in"),
            format!("busybox sed -E 's/{prog}/x/g' /in"),
            format!("busybox grep -E '{prog}' /in"),
            format!("busybox printf '{prog}' 1 a 2.5"),
            format!("echo $(( {prog} ))"),
            format!("v=abcabc; echo ${{v/{prog}/x}} ${{v:{}}}", round % 9),
        ] {
            let mut ctx = RunContext::new(&mut fs);
            let _ = run_script(&script, &mut ctx);
        }
    }
}

#[test]
fn deep_regexes_and_awk_programs_fit_a_small_stack() {
    // The browser's wasm stack is about 1 MiB (see tests::deep_nesting_fits_a_small_stack).
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let mut fs = Fs::from_layers(vec![busybox1()]);
            let long = "ab".repeat(20_000);
            let mut ctx = RunContext::new(&mut fs);
            for script in [
                format!("echo {long} | busybox grep -E '(ab)*c'"),
                format!("echo {long} | busybox sed -E 's/(a|b)+/x/'"),
                format!("echo x | busybox grep -E '{}x{}'", "(".repeat(60), ")".repeat(60)),
                "busybox awk 'function f(n) { return n < 1 ? 0 : 1 + f(n-1) } BEGIN { print f(60) }'"
                    .to_string(),
                "busybox awk 'function f(n) { return f(n+1) } BEGIN { f(1) }'".to_string(),
                format!("busybox awk 'BEGIN {{ x = {}1{} }}'", "(".repeat(90), ")".repeat(90)),
                format!("busybox awk 'BEGIN {{ {} }}'", "if (1) ".repeat(90) + "x=1"),
                format!("echo $(( {}1{} ))", "(".repeat(60), ")".repeat(60)),
            ] {
                let _ = run_script(&script, &mut ctx);
            }
        })
        .unwrap();
    assert!(handle.join().is_ok());
}

/// Scripts whose data grows without end stop at a bound instead of taking the learner's tab
/// with them: a word doubled per turn, a positional list doubled per turn, a `${v//x/xx}`
/// chain (its pattern search was cubic), a sed loop that lengthens the line on every branch.
#[test]
fn growing_data_is_bounded() {
    for script in [
        "a=x; for i in $(busybox seq 1 40); do a=$a$a; done",
        "set -- x; for i in $(busybox seq 1 40); do set -- \"$@\" \"$@\"; done",
        "a=x; for i in $(busybox seq 1 40); do a=${a//x/xx}; done",
    ] {
        let (out, _) = run_on_fresh(script);
        assert_eq!(out.exit_code, 2, "{script}");
        assert!(
            out.notes.iter().any(|n| n.contains("script was stopped")),
            "{script}: {:?}",
            out.notes
        );
    }
    let (out, _) = run_on_fresh("echo x > /f; busybox sed -e :a -e 's/x/xx/;ta' /f > /g");
    assert_eq!(out.exit_code, 0);
    // A long value with a fixed-length pattern is one comparison per position.
    let (out, _) = run_on_fresh("a=$(busybox seq 1 40000); b=${a//1/z}; echo ${#a} ${#b}");
    assert_eq!(out.stdout, "228893 228893\n");
}
