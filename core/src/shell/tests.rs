//! Interpreter tests: scripts run on a hand-built lab/busybox:1, checking output, exit codes and
//! the committed layer against buildkit-truth.

use super::*;
use crate::fs::{EntryKind, Fs, Layer, Meta};
use std::sync::Arc;

// The fixture is shared with the layer-rule tests.
use crate::fs::tests::busybox1;

fn rows(layer: &Layer) -> Vec<String> {
    layer
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {:04o} {}:{}",
                e.path,
                e.kind.as_str(),
                e.size,
                e.mode,
                e.uid,
                e.gid
            )
        })
        .collect()
}

/// Runs one RUN like the build driver: mount points, script, commit.
fn run(fs: &mut Fs, script: &str) -> (RunOutcome, Arc<Layer>) {
    run_as(fs, script, "", "/")
}

fn run_as(fs: &mut Fs, script: &str, user: &str, workdir: &str) -> (RunOutcome, Arc<Layer>) {
    fs.ensure_run_mount_points();
    let mut ctx = RunContext::new(fs);
    ctx.user = user.to_string();
    ctx.workdir = workdir.to_string();
    let out = run_script(script, &mut ctx);
    if out.exit_code != 0 {
        fs.discard();
    }
    let layer = fs.commit();
    (out, layer)
}

fn text(fs: &Fs, path: &str) -> String {
    String::from_utf8_lossy(&fs.read(path).unwrap().to_bytes_bounded(1 << 20).unwrap()).into_owned()
}

#[test]
fn truth_layers_small_files_dirs() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let (_, l) = run(&mut fs, "mkdir -p /a/b/c");
    assert_eq!(
        rows(&l),
        [
            "a dir 0 0755 0:0",
            "a/b dir 0 0755 0:0",
            "a/b/c dir 0 0755 0:0",
            "dev dir 0 0755 0:0",
            "proc dir 0 0755 0:0",
            "sys dir 0 0755 0:0"
        ]
    );
    let (_, l) = run(&mut fs, "touch /a/b/c/empty");
    assert_eq!(
        rows(&l),
        [
            "a dir 0 0755 0:0",
            "a/b dir 0 0755 0:0",
            "a/b/c dir 0 0755 0:0",
            "a/b/c/empty file 0 0644 0:0"
        ]
    );
    let (_, l) = run(&mut fs, "echo hi > /a/hi");
    assert_eq!(
        (rows(&l), l.size),
        (
            vec![
                "a dir 0 0755 0:0".to_string(),
                "a/hi file 3 0644 0:0".to_string()
            ],
            3
        )
    );
    let (_, l) = run(&mut fs, "mkdir /a/d && echo 12345 > /a/d/f");
    assert_eq!(
        rows(&l),
        [
            "a dir 0 0755 0:0",
            "a/d dir 0 0755 0:0",
            "a/d/f file 6 0644 0:0"
        ]
    );
}

#[test]
fn truth_layers_dd_rm() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let (o, l) = run(&mut fs, "dd if=/dev/zero of=/big bs=1M count=5 && rm /big");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!((l.size, l.entries.len()), (0, 3));
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let (_, l) = run(&mut fs, "dd if=/dev/zero of=/big bs=1M count=5");
    assert_eq!(l.size, 5_242_880);
    let (_, l) = run(&mut fs, "rm /big");
    assert_eq!(rows(&l), [".wh.big whiteout 0 0000 0:0"]);
}

#[test]
fn truth_size_rules_for_existing_big_file() {
    // README: overwrite 2 MiB with 3 MiB, append, truncate; chmod/chown/touch/mv store it again.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let sizes: Vec<u64> = [
        "dd if=/dev/zero of=/big bs=1M count=2",
        "dd if=/dev/zero of=/big bs=1M count=3",
        "echo x >> /big",
        "busybox truncate -s 1K /big",
        "dd if=/dev/zero of=/big bs=1M count=3",
        "chmod 600 /big",
        "chown 1000:1000 /big",
        "touch /big",
        "mv /big /big2",
    ]
    .iter()
    .map(|s| {
        let (o, l) = run(&mut fs, s);
        assert_eq!(o.exit_code, 0, "{s}: {o:?}");
        l.size
    })
    .collect();
    assert_eq!(
        sizes,
        [2097152, 3145728, 3145730, 1024, 3145728, 3145728, 3145728, 3145728, 3145728]
    );
    assert!(fs
        .layers()
        .last()
        .unwrap()
        .entries
        .iter()
        .any(|e| e.path == ".wh.big" && e.kind == EntryKind::Whiteout));
}

#[test]
fn truth_copy_chown_and_workdir_outputs() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir("/plain", Meta::root(0o755)).unwrap();
    fs.put_file(
        "/plain/big.bin",
        Content::pattern(b"x", 200_000),
        Meta::root(0o644),
    )
    .unwrap();
    fs.commit();
    let (_, l) = run(&mut fs, "chown 1000:1000 /plain/big.bin");
    assert_eq!(
        rows(&l),
        [
            "dev dir 0 0755 0:0",
            "plain dir 0 0755 0:0",
            "plain/big.bin file 200000 0644 1000:1000",
            "proc dir 0 0755 0:0",
            "sys dir 0 0755 0:0"
        ]
    );
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir_all("/newdir/nested", Meta::root(0o755)).unwrap();
    fs.commit();
    let (_, l) = run_as(&mut fs, "pwd > /pwd1", "", "/newdir/nested");
    assert_eq!(l.size, 15);
    assert_eq!(text(&fs, "/pwd1"), "/newdir/nested\n");
}

#[test]
fn truth_heredoc_and_stat_and_cache_mount() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let mut ctx = RunContext::new(&mut fs);
    ctx.env = vec![("GREETING".into(), "hello".into())];
    let o = run_script(
        "echo one > /one\necho \"$GREETING\" > /greeting\n",
        &mut ctx,
    );
    assert_eq!(o.exit_code, 0);
    assert_eq!(fs.commit().size, 10);
    let (_, l) = run(
        &mut fs,
        "cat <<EOF > /from-shell\npiped through the shell\nEOF",
    );
    assert_eq!(l.size, 24);
    assert_eq!(text(&fs, "/greeting"), "hello\n");
    fs.put_file(
        "/run.sh",
        Content::from_text("#!/bin/sh\n"),
        Meta::root(0o644),
    )
    .unwrap();
    let (o, _) = run(&mut fs, "busybox stat -c '%A %u:%g %s' /run.sh > /run.mode");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(text(&fs, "/run.mode"), "-rw-r--r-- 0:0 10\n");
    // bk_run_mount_cache: cache contents persist outside the layer.
    fs.put_file("/input.txt", Content::from_text("v1\n"), Meta::root(0o644))
        .unwrap();
    fs.commit();
    let mut cache = crate::fs::Tree::default();
    for expect in ["run v1\n", "run v1\nrun v1\n"] {
        fs.attach_mount(crate::fs::Mount::cache("/cache", "labcache", cache.clone()));
        let (o, l) = run(
            &mut fs,
            "echo \"run $(cat /input.txt)\" >> /cache/log && cp /cache/log /runs.txt",
        );
        assert_eq!(o.exit_code, 0, "{o:?}");
        assert!(l.entries.iter().all(|e| !e.path.starts_with("cache")));
        assert_eq!(text(&fs, "/runs.txt"), expect);
        cache = fs.unmount_all().remove(0).tree;
    }
    fs.attach_mount(crate::fs::Mount::cache(
        "/var/c2",
        "c2",
        crate::fs::Tree::default(),
    ));
    let (_, l) = run(&mut fs, "ls -a /var/c2 > /c2.txt; echo x > /var/c2/x");
    fs.unmount_all();
    assert_eq!(rows(&l), ["c2.txt file 5 0644 0:0"]);
}

#[test]
fn truth_listing_formats() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    for (p, t) in [
        ("/app/README.md", "r"),
        ("/app/docs/guide.txt", "g"),
        ("/app/src/main.txt", "m"),
        ("/app/src/util.txt", "u"),
    ] {
        let parent = format!(
            "/{}",
            crate::fs::path::parent_key(&crate::fs::path::key_of(p))
        );
        fs.mkdir_all(&parent, Meta::root(0o755)).unwrap();
        fs.put_file(p, Content::from_text(t), Meta::root(0o644))
            .unwrap();
    }
    let (o, _) = run(&mut fs, "ls -1aR /app > /listing.txt");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(text(&fs, "/listing.txt"), "/app:\n.\n..\nREADME.md\ndocs\nsrc\n\n/app/docs:\n.\n..\nguide.txt\n\n/app/src:\n.\n..\nmain.txt\nutil.txt\n");
    let (_, _) = run(&mut fs, "busybox find /app/src /app/docs | busybox sort > /tree.txt; wc -c /app/README.md > /size.txt");
    assert_eq!(
        text(&fs, "/tree.txt"),
        "/app/docs\n/app/docs/guide.txt\n/app/src\n/app/src/main.txt\n/app/src/util.txt\n"
    );
    assert_eq!(text(&fs, "/size.txt"), "1 /app/README.md\n");
    fs.put_file(
        "/bin/run.sh",
        Content::from_text("#!/bin/sh\necho run\n"),
        Meta::root(0o755),
    )
    .unwrap();
    let (o, _) = run(
        &mut fs,
        "ls -ln /bin/run.sh | busybox awk '{print $1, $3, $4, $NF}' > /modes.txt",
    );
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(text(&fs, "/modes.txt"), "-rwxr-xr-x 0 0 /bin/run.sh\n");
    let (o, _) = run(&mut fs, "/bin/run.sh > /ran");
    assert_eq!((o.exit_code, text(&fs, "/ran")), (0, "run\n".to_string()));
}

#[test]
fn commands_resolve_through_the_image() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    // (script, exit code, stderr contains)
    for (script, code, err) in [
        ("adduser -D -u 1000 app", 127, "adduser: applet not found"),
        ("find /", 127, "find: not found"),
        ("busybox find /etc > /dev/null", 0, ""),
        ("nosuch", 127, "nosuch: not found"),
        ("echo unused && exit 1", 1, ""),
        (
            "cat /etc/lab-release > /release 2>/dev/null || echo none > /release",
            0,
            "",
        ),
        ("set -e; false; echo after > /after", 1, ""),
        ("false || true", 0, ""),
        // ash raises an error in cd: status 2 (ash_msg_and_raise_perror).
        ("cd /nope", 2, "cd: line 1: can't cd to /nope"),
        ("if [ -f /etc/passwd ]; then exit 3; fi", 3, ""),
        ("for i in 1 2 3; do echo $i; done > /nums", 0, ""),
        ("x=$((2 + 3 * 4)); [ \"$x\" = 14 ]", 0, ""),
        (
            "rm /missing",
            1,
            "rm: can't remove '/missing': No such file or directory",
        ),
        ("python3 train.py", 127, "python3: not found"),
    ] {
        let (o, _) = run(&mut fs, script);
        assert_eq!(o.exit_code, code, "{script}: {o:?}");
        assert!(o.stderr.contains(err), "{script}: {o:?}");
    }
    assert_eq!(text(&fs, "/release"), "none\n");
    assert_eq!(text(&fs, "/nums"), "1\n2\n3\n");
}

#[test]
fn users_permissions_and_id() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let mut ctx = RunContext::new(&mut fs);
    // busybox:2 has the adduser applet: pretend so for this image.
    let all = |_: &str| true;
    ctx.applet_available = Some(&all);
    let o = run_script("adduser -D -u 1000 app", &mut ctx);
    assert_eq!(o.exit_code, 0, "{o:?}");
    fs.commit();
    assert_eq!(
        text(&fs, "/etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:Linux User,,,:/home/app:/bin/sh\n"
    );
    assert_eq!(text(&fs, "/etc/group"), "root:x:0:\napp:x:1000:\n");
    assert_eq!(
        fs.stat("/home/app").unwrap().meta,
        Meta::new(0o2755, 1000, 1000)
    );
    // busybox adduser: -S needs group nogroup; -G adds the user to that group's members.
    let mut ctx = RunContext::new(&mut fs);
    ctx.applet_available = Some(&all);
    assert_eq!(run_script("adduser -S svc", &mut ctx).exit_code, 1);
    let o = run_script(
        "addgroup -g 2000 staff && adduser -D -G staff -h /srv/bob bob && adduser -D carol",
        &mut ctx,
    );
    assert_eq!(o.exit_code, 0, "{o:?}");
    fs.commit();
    assert_eq!(
        text(&fs, "/etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:Linux User,,,:/home/app:/bin/sh\nbob:x:1001:2000:Linux User,,,:/srv/bob:/bin/sh\ncarol:x:1002:1002:Linux User,,,:/home/carol:/bin/sh\n"
    );
    assert_eq!(
        text(&fs, "/etc/group"),
        "root:x:0:\napp:x:1000:\nstaff:x:2000:bob\ncarol:x:1002:\n"
    );
    let (o, _) = run_as(&mut fs, "id > /tmp/id.txt", "root", "/");
    assert_eq!(o.exit_code, 0);
    assert_eq!(
        text(&fs, "/tmp/id.txt"),
        "uid=0(root) gid=0(root) groups=0(root)\n"
    );
    let (o, _) = run_as(
        &mut fs,
        "id > /home/app/id && busybox whoami >> /home/app/id",
        "app",
        "/",
    );
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_eq!(
        text(&fs, "/home/app/id"),
        "uid=1000(app) gid=1000(app) groups=1000(app)\napp\n"
    );
    let (o, l) = run_as(&mut fs, "echo x > /root-owned", "app", "/");
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr.contains("Permission denied"), "{o:?}");
    assert!(l.is_empty() || l.entries.iter().all(|e| e.path != "root-owned"));
}

#[test]
fn echo_printf_and_expansion_are_byte_exact() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    for (script, want) in [
        ("echo -n hi", "hi"),
        ("echo -e 'a\\tb'", "a\tb\n"),
        ("echo 'a\\tb'", "a\\tb\n"),
        ("printf '%s-%03d\\n' a 7 b 8", "a-007\nb-008\n"),
        ("X='a  b'; echo $X \"$X\"", "a b a  b\n"),
        ("echo ${UNSET:-def} ${#PATH}", "def 60\n"),
        (
            "V=file.tar.gz; echo ${V%.gz} ${V%%.*} ${V#*.}",
            "file.tar file tar.gz\n",
        ),
        ("echo $(echo a; echo b) `echo c`", "a b c\n"),
        ("cd /etc && echo pass* gro?p", "passwd group\n"),
        ("echo /nomatch*", "/nomatch*\n"),
        ("busybox seq 3 | busybox sort -r | head -n 2", "3\n2\n"),
        ("echo hello | busybox sed 's/l/L/g'", "heLLo\n"),
        ("echo 'a b c' | wc -w", "3\n"),
        ("case foo in f*) echo yes;; *) echo no;; esac", "yes\n"),
        ("f() { echo \"arg $1\"; }; f one", "arg one\n"),
        (
            "busybox basename /a/b.txt .txt; busybox dirname /a/b.txt",
            "b\n/a\n",
        ),
    ] {
        let mut ctx = RunContext::new(&mut fs);
        let o = run_script(script, &mut ctx);
        assert_eq!(
            (o.exit_code, o.stdout.as_str()),
            (0, want),
            "{script}: {o:?}"
        );
    }
}

#[test]
fn hard_links_symlinks_and_pragmas() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let (_, l) = run(&mut fs, "dd if=/dev/zero of=/f bs=1M count=1 2>/dev/null && busybox ln /f /g && busybox ln -s /f /s");
    assert_eq!(l.size, 1 << 20);
    let (_, l) = run(&mut fs, "busybox ln /f /h");
    assert_eq!(l.size, 1 << 20);
    assert_eq!(
        l.entries
            .iter()
            .filter(|e| e.kind == EntryKind::HardLink)
            .count(),
        2
    );
    let mut ctx = RunContext::new(&mut fs);
    ctx.pragmas = parse_pragma("# layerlab: writes /app/model.bin 150MB").unwrap();
    let o = run_script("true", &mut ctx);
    assert_eq!(o.exit_code, 0);
    assert_eq!(fs.commit().size, 150_000_000);
}

#[test]
fn hostile_input_terminates() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    for script in [
        "while true; do :; done",
        "f() { f; }; f",
        "echo $(echo $(echo $(echo x)))",
        "x=1; while [ $x -lt 100000 ]; do x=$((x+1)); done",
        "${",
        "$(((",
        "echo \"",
        "for i in $(seq 100000); do :; done",
    ] {
        let mut ctx = RunContext::new(&mut fs);
        let _ = run_script(script, &mut ctx);
    }
}

#[test]
fn mutated_scripts_never_panic() {
    use crate::testing::{mutate, Rng};
    let seeds: [&[u8]; 8] = [
        b"echo hi > /a/hi && cat /a/hi | wc -c",
        b"for f in /etc/*; do [ -f \"$f\" ] && echo ${f##*/}; done",
        b"cat <<EOF > /x\n$(echo a) `b` ${C:-d}\nEOF",
        b"case $1 in (a|b) x=$((1+2*3));; *) f() { echo $@; }; f 1 2;; esac",
        b"busybox find / -name '*.txt' -type f -exec cat {} \\; | busybox sort -u",
        b"dd if=/dev/zero of=/big bs=1M count=3 2>/dev/null; busybox truncate -s -1K /big; ls -laR /",
        b"printf '%-5s|%05d|%b\\n' a 42 'x\\ty'; echo -e '\\0101\\c'",
        b"chmod -R u+x,go-w /tmp; chown -R root:root /tmp; tar cf /t.tar /etc && tar xf /t.tar -C /tmp",
    ];
    let dict: [&[u8]; 14] = [
        b"$(", b"`", b"${", b"'", b"\"", b"<<EOF\n", b"|", b"&&", b";;", b"((", b"*", b"\\", b"\n",
        b"${#",
    ];
    let base = busybox1();
    let mut rng = Rng::new(7);
    for round in 0..300 {
        let seed = seeds[round % seeds.len()];
        let input = mutate(&mut rng, seed, &dict);
        let script = String::from_utf8_lossy(&input);
        let mut fs = Fs::from_layers(vec![base.clone()]);
        fs.ensure_run_mount_points();
        let mut ctx = RunContext::new(&mut fs);
        let _ = run_script(&script, &mut ctx);
        let _ = fs.commit();
    }
}

#[test]
fn applet_table() {
    // (setup script, command, expected stdout); each on a fresh lab/busybox:1 + /d/{a.txt,b.log}.
    let cases: &[(&str, &str)] = &[
        ("busybox ls /d", "a.txt\nb.log\nsub\n"),
        ("busybox ls -A /d/sub", ".hidden\n"),
        (
            "busybox ls -ln /d/a.txt | busybox awk '{print $1, $2, $5, $NF}'",
            "-rw-r--r-- 1 6 /d/a.txt\n",
        ),
        ("busybox find /d -type f -name '*.txt'", "/d/a.txt\n"),
        ("busybox find /d -maxdepth 1 -type d", "/d\n/d/sub\n"),
        (
            "busybox find /d/sub -name '.*' -delete; busybox ls -A /d/sub",
            "",
        ),
        (
            "busybox stat -c '%n %s %a %U:%G %F' /d/a.txt /d/sub",
            "/d/a.txt 6 644 root:root regular file\n/d/sub 0 755 root:root directory\n",
        ),
        (
            "busybox wc -l /d/a.txt /d/b.log",
            "        1 /d/a.txt\n        2 /d/b.log\n        3 total\n",
        ),
        ("cat /d/b.log | busybox wc -c", "8\n"),
        (
            "busybox wc /d/b.log",
            "        2         2         8 /d/b.log\n",
        ),
        ("head -c 3 /d/a.txt; echo", "alp\n"),
        ("busybox tail -n 1 /d/b.log", "two\n"),
        ("busybox sort -r /d/b.log", "two\none\n"),
        ("busybox cut -d: -f1,3 /etc/passwd", "root:0\n"),
        ("busybox grep -c o /d/b.log", "2\n"),
        ("echo a-b | busybox tr '-' '_'", "a_b\n"),
        ("busybox sed 's/^one$/ONE/' /d/b.log", "ONE\ntwo\n"),
        (
            "cp /d/a.txt /d/c.txt && mv /d/c.txt /d/sub/ && busybox ls /d/sub",
            "c.txt\n",
        ),
        (
            "mkdir -p /x/y && cp -r /d /x/y && busybox find /x | busybox sort",
            "/x\n/x/y\n/x/y/d\n/x/y/d/a.txt\n/x/y/d/b.log\n/x/y/d/sub\n/x/y/d/sub/.hidden\n",
        ),
        (
            "chmod 0700 /d/a.txt && chmod g+r,o=x /d/a.txt && busybox stat -c %a /d/a.txt",
            "741\n",
        ),
        (
            "busybox ln -s /d/a.txt /l && cat /l && busybox readlink /l",
            "alpha\n/d/a.txt\n",
        ),
        (
            "busybox which sh ls nosuch; echo $?",
            "/bin/sh\n/bin/ls\n1\n",
        ),
        (
            "busybox env | busybox grep ^PATH=",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
        ),
        ("id -u; id -gn", "0\nroot\n"),
        ("cd /d && pwd && cd sub && pwd", "/d\n/d/sub\n"),
        ("busybox seq 2 2 6 | busybox uniq", "2\n4\n6\n"),
        (
            "echo $((7 / 2)) $((7 % 3)) $((1 < 2)) $((-(3)))",
            "3 1 1 -3\n",
        ),
        (
            "tar cf /t.tar -C /d a.txt && rm /d/a.txt && tar xf /t.tar -C /d && cat /d/a.txt",
            "alpha\n",
        ),
        (
            "tar -cf /t.tar -C /d . && tar -tf /t.tar | busybox grep a.txt && mkdir /e && tar -xf /t.tar -C /e && cat /e/a.txt",
            "./a.txt\nalpha\n",
        ),
        (
            "busybox printf '%s\\n' x y | while read v; do echo \"<$v>\"; done",
            "<x>\n<y>\n",
        ),
        ("set -- a b c; echo $# $2; shift; echo $@", "3 b\nb c\n"),
        ("x=1; (x=2; echo $x); echo $x", "2\n1\n"),
        (
            "echo a > /f 2>&1; echo b >> /f; cat /f; cat /nope 2>/dev/null || echo gone",
            "a\nb\ngone\n",
        ),
        ("ls /nope 2>&1 | busybox sed 's/:.*//'", "ls\n"),
        ("busybox du -s /d | busybox cut -f2", "/d\n"),
        (
            "echo /d/a.txt /d/b.log | busybox xargs busybox wc -c",
            "        6 /d/a.txt\n        8 /d/b.log\n       14 total\n",
        ),
        (
            // Debian's busybox has no `install` applet.
            "busybox install -m 700 /d/a.txt /inst 2>/dev/null; echo $?",
            "127\n",
        ),
        (
            "busybox date +%F; busybox date | busybox wc -c",
            "2026-08-21\n29\n",
        ),
        ("head -c 5 /dev/zero | busybox wc -c", "5\n"),
        ("echo $(cat /nope) x", "x\n"),
        ("{ echo before; exit 1; }; echo never", "before\n"),
        (
            "[[ abc == a* ]] && echo m; [ abc = 'a*' ] || echo literal",
            "m\nliteral\n",
        ),
        (
            "[ -e /dev/null ] && cp /d/a.txt /dev/null && busybox ls /dev | head -n 2",
            "fd\nfull\n",
        ),
        (
            "mkdir /e && cp -a /d/. /e/ && busybox ls -A /e",
            "a.txt\nb.log\nsub\n",
        ),
        ("set -o pipefail; false | true; echo $?", "1\n"),
        (
            "printf 'a b c' > /r; read x y < /r; echo \"$? $x|$y\"; printf 'one two\\n' > /r; read < /r; echo \"$? $REPLY\"; read p q r < /r; echo \"$p|$q|$r\"",
            "1 a|b c\n0 one two\none|two|\n",
        ),
        (
            "touch /g; busybox chgrp 5 /g; busybox stat -c %u:%g /g; busybox chown 7 /g; busybox stat -c %u:%g /g",
            "0:5\n7:5\n",
        ),
        (
            "busybox chgrp 2>&1; echo $?; busybox chgrp nosuch /d/a.txt 2>&1; echo $?",
            "chgrp: missing operand\n1\nchgrp: unknown group nosuch\n1\n",
        ),
        (
            "dd if=/dev/zero of=/huge bs=1G count=99999999999 2>/dev/null; echo $?",
            "1\n",
        ),
        ("false | true; echo $?", "0\n"),
        ("echo hi > /h; busybox sha256sum /h; busybox md5sum /h | busybox cut -c1-8", "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4  /h\n764efa88\n"),
        ("echo hi > /h; busybox sha256sum /h > /sums; busybox sha256sum -c /sums; echo x >> /h; busybox sha256sum -c /sums; echo $?", "/h: OK\n/h: FAILED\n1\n"),
        ("busybox grep -r t /d", "/d/b.log:two\n"),
        ("echo 'a   b' | busybox tr -s ' '; echo abc | busybox tr -d b", "a b\nac\n"),
        ("busybox awk -F: '{print $1\",\"$3}' /etc/passwd", "root,0\n"),
        ("busybox awk 'NR==2 {print NR, $0}' /d/b.log", "2 two\n"),
        ("busybox awk '/^o/' /d/b.log; busybox awk '$1 ~ /w/ {print \"w:\" $1}' /d/b.log", "one\nw:two\n"),
        ("busybox awk 'BEGIN {print \"start\"} {print $NF} END {print NR}' /d/b.log", "start\none\ntwo\n2\n"),
        ("echo 'a b c' | busybox awk '{print $(NF-1)}'", "b\n"),
        ("printf 'b 2\na 10\nc 1\n' | busybox sort -k2 -n", "c 1\nb 2\na 10\n"),
        ("printf 'x:3\ny:1\n' | busybox sort -t: -k2", "y:1\nx:3\n"),
        ("printf 'a\na\nb\n' | busybox uniq -c", "      2 a\n      1 b\n"),
        ("printf 'a\na\nb\n' | busybox uniq -d", "a\n"),
        ("busybox ls -p /d; busybox ls -F /bin | head -n 2", "a.txt\nb.log\nsub/\naddgroup@\nadduser@\n"),
        ("busybox dd if=/dev/zero of=/m bs=1K count=1536 2>/dev/null; busybox ls -lh /m", "-rw-r--r--    1 root     root        1.5M Jan  1 00:00 /m\n"),
        ("printf 'a b c\nlast' | { read x y; echo \"$x|$y\"; read z || echo \"eof $z\"; }", "a|b c\neof last\n"),
        ("x=out; f() { local x=in; echo $x; }; f; echo $x", "in\nout\n"),
        ("echo ~ ~/x ~root '~' a~; D=~/y; echo $D", "/root /root/x /root ~ a~\n/root/y\n"),
        ("busybox yes ok | head -n 2", "ok\nok\n"),
        ("busybox du -sh /d/a.txt; busybox dd if=/dev/zero of=/m bs=1K count=1536 2>/dev/null; busybox du -h /m", "4.0K\t/d/a.txt\n1.5M\t/m\n"),
        ("cd /d; busybox env | busybox sort", "HOME=/root\nOLDPWD=/\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nPWD=/d\nSHLVL=1\n"),
        ("set -u; echo ${X:-ok}; echo $X; echo never", "ok\n"),
    ];
    let base = busybox1();
    for (cmd, want) in cases {
        let mut fs = Fs::from_layers(vec![base.clone()]);
        fs.mkdir_all("/d/sub", Meta::root(0o755)).unwrap();
        fs.put_file("/d/a.txt", Content::from_text("alpha\n"), Meta::root(0o644))
            .unwrap();
        fs.put_file(
            "/d/b.log",
            Content::from_text("one\ntwo\n"),
            Meta::root(0o644),
        )
        .unwrap();
        fs.put_file("/d/sub/.hidden", Content::from_text(""), Meta::root(0o644))
            .unwrap();
        let mut ctx = RunContext::new(&mut fs);
        let o = run_script(cmd, &mut ctx);
        assert_eq!(o.stdout, *want, "{cmd}: {o:?}");
    }
}

#[test]
fn debian_dash_echo_and_exec_form() {
    // /bin/sh -> dash: echo interprets escapes and does not take -e.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.put_file("/bin/dash", Content::opaque(125_560, 9), Meta::root(0o755))
        .unwrap();
    fs.remove("/bin/sh", false).unwrap();
    fs.symlink("dash", "/bin/sh", Meta::root(0o777)).unwrap();
    let mut ctx = RunContext::new(&mut fs);
    let o = run_script("echo -e 'a\\tb'; nosuch", &mut ctx);
    assert_eq!(o.stdout, "-e a\tb\n");
    assert_eq!(o.stderr, "/bin/sh: 1: nosuch: not found\n");
    assert_eq!(o.exit_code, 127);
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let mut ctx = RunContext::new(&mut fs);
    let o = run_exec(&["/bin/echo".to_string(), "$HOME".to_string()], &mut ctx);
    assert_eq!(o.stdout, "$HOME\n");
    fs_install_check(&mut ctx);
    let o = run_exec(&["python".to_string()], &mut ctx);
    assert_eq!(o.exit_code, 127);
    // bash brace expansion; ash keeps the braces.
    ctx.shell = vec!["/bin/sh".into(), "-c".into()];
    let o = run_script("echo /a/{x,y} {1..3}", &mut ctx);
    assert_eq!(o.stdout, "/a/{x,y} {1..3}\n");
    ctx.fs
        .put_file(
            "/bin/bash",
            Content::opaque(1_234_000, 7),
            Meta::root(0o755),
        )
        .unwrap();
    ctx.shell = vec!["/bin/bash".into(), "-c".into()];
    let o = run_script("echo /a/{x,y} {3..1} {a..c}{1,2} '{q,r}'", &mut ctx);
    assert_eq!(o.stdout, "/a/x /a/y 3 2 1 a1 a2 b1 b2 c1 c2 {q,r}\n");
    ctx.shell = vec!["/bin/sh".into(), "-c".into()];
    // SHELL options before -c apply.
    let mut fs2 = Fs::from_layers(vec![busybox1()]);
    let mut ctx2 = RunContext::new(&mut fs2);
    ctx2.shell = vec![
        "/bin/sh".into(),
        "-o".into(),
        "pipefail".into(),
        "-c".into(),
    ];
    assert_eq!(run_script("false | cat", &mut ctx2).exit_code, 1);
    ctx2.shell = vec!["/bin/sh".into(), "-eux".into(), "-c".into()];
    let o = run_script("false; echo never", &mut ctx2);
    assert_eq!(
        (o.exit_code, o.stdout.as_str(), o.stderr.as_str()),
        (1, "", "+ false\n")
    );
    // A missing SHELL binary fails the RUN like runc.
    ctx.shell = vec!["/bin/zsh".into(), "-c".into()];
    let o = run_script("echo hi", &mut ctx);
    assert_eq!(o.exit_code, 127);
    assert!(o.stderr.contains("/bin/zsh"));
}

#[test]
fn unmodelled_commands_report_unknown_effects() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir_all("/usr/bin", Meta::root(0o755)).unwrap();
    fs.put_file(
        "/usr/bin/python3",
        Content::opaque(6_000_000, 3),
        Meta::root(0o755),
    )
    .unwrap();
    let mut ctx = RunContext::new(&mut fs);
    let o = run_script("python3 train.py && echo done", &mut ctx);
    assert_eq!((o.exit_code, o.stdout.as_str()), (0, "done\n"));
    assert_eq!(o.unknown_effects.len(), 1, "{o:?}");
    // A pragma states the effect instead.
    ctx.pragmas = parse_pragma("# layerlab: writes /app/model.bin 150MB").unwrap();
    let o = run_script("python3 train.py", &mut ctx);
    assert!(o.unknown_effects.is_empty(), "{o:?}");
    assert_eq!(fs.stat("/app/model.bin").unwrap().size, 150_000_000);
    // A download makes its file (size unknown) so later commands go on.
    let mut ctx = RunContext::new(&mut fs);
    let o = run_script("busybox wget -q -O /tmp/x.tgz https://example.com/x.tgz && tar xzf /tmp/x.tgz -C /tmp && rm /tmp/x.tgz", &mut ctx);
    assert_eq!((o.exit_code, o.unknown_effects.len()), (0, 2), "{o:?}");
    // A heredoc body with a shebang runs under that interpreter.
    let mut ctx = RunContext::new(&mut fs);
    ctx.pragmas = parse_pragma("# layerlab: fails 3").unwrap();
    assert_eq!(run_script("python3 train.py", &mut ctx).exit_code, 3);
    ctx.pragmas.clear();
    let o = run_script("#!/usr/bin/env python3\nprint('hi')\n", &mut ctx);
    assert_eq!((o.exit_code, o.unknown_effects.len()), (0, 1), "{o:?}");
    let o = run_script("#!/usr/bin/env node\nconsole.log(1)\n", &mut ctx);
    assert_eq!(o.exit_code, 127, "{o:?}");
    let o = run_script("#!/bin/sh\necho sh-body\n", &mut ctx);
    assert_eq!(o.stdout, "sh-body\n");
}

/// `install` of a coreutils image (a real binary named install) is modelled like busybox's.
fn fs_install_check(ctx: &mut RunContext) {
    ctx.fs.mkdir_all("/usr/bin", Meta::root(0o755)).unwrap();
    ctx.fs
        .put_file(
            "/usr/bin/install",
            Content::opaque(150_000, 4),
            Meta::root(0o755),
        )
        .unwrap();
    ctx.fs
        .put_file("/src.txt", Content::from_text("s"), Meta::root(0o644))
        .unwrap();
    let o = run_script(
        "install -m 700 -o 0 /src.txt /inst && busybox stat -c '%a %s' /inst",
        ctx,
    );
    assert_eq!(o.stdout, "700 1\n", "{o:?}");
}

#[test]
fn debian_useradd_rewrites_account_files_with_backups_and_logs() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    for (p, t, mode) in [
        ("/etc/shadow", "root:*:19000:0:99999:7:::\n", 0o640),
        ("/etc/gshadow", "root:*::\n", 0o640),
    ] {
        fs.put_file(p, Content::from_text(t), Meta::new(mode, 0, 42))
            .unwrap();
    }
    fs.mkdir_all("/var/log", Meta::root(0o755)).unwrap();
    fs.put_file(
        "/var/log/lastlog",
        Content::empty(),
        Meta::new(0o664, 0, 43),
    )
    .unwrap();
    fs.put_file("/var/log/faillog", Content::empty(), Meta::root(0o644))
        .unwrap();
    fs.mkdir_all("/usr/sbin", Meta::root(0o755)).unwrap();
    for b in ["useradd", "groupadd"] {
        fs.put_file(
            &format!("/usr/sbin/{b}"),
            Content::opaque(100_000, 5),
            Meta::root(0o755),
        )
        .unwrap();
    }
    fs.commit();
    let (o, l) = run(&mut fs, "groupadd -r sys1 && useradd -m -u 1000 app");
    assert_eq!(o.exit_code, 0, "{o:?}");
    let files: Vec<(String, u64)> = l
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .map(|e| (e.path.clone(), e.size))
        .collect();
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "etc/group",
            "etc/group-",
            "etc/gshadow",
            "etc/gshadow-",
            "etc/passwd",
            "etc/passwd-",
            "etc/shadow",
            "etc/shadow-",
            "var/log/faillog",
            "var/log/lastlog"
        ]
    );
    assert_eq!(
        text(&fs, "/etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"
    );
    assert_eq!(
        text(&fs, "/etc/group"),
        "root:x:0:\nsys1:x:999:\napp:x:1000:\n"
    );
    assert_eq!(fs.stat("/var/log/lastlog").unwrap().size, 1001 * 292);
    assert_eq!(
        fs.stat("/etc/shadow").unwrap().meta,
        Meta::new(0o640, 0, 42)
    );
    assert!(fs.is_dir("/home/app"));
    // -l skips the log records; a taken uid fails like shadow-utils.
    let (o, _) = run(&mut fs, "useradd -l -u 1000 other");
    assert_eq!(o.exit_code, 4);
}

#[test]
fn appending_lines_to_a_big_file_stays_fast() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let start = std::time::Instant::now();
    let (o, l) = run(&mut fs, "dd if=/dev/zero of=/big bs=1M count=1 2>/dev/null; i=0; while [ $i -lt 3000 ]; do echo line $i >> /big; i=$((i+1)); done");
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert!(l.size > 1 << 20);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    // A `while read` over a 2 MB file takes lines off the front without copying it each time.
    let (o, _) = run(&mut fs, "busybox seq 1 9000 > /nums; busybox cat /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums /nums > /big.txt; n=0; while read l; do n=$((n+1)); done < /big.txt; echo $n");
    assert_eq!(o.stdout, "10000\n", "{o:?}");
    assert!(start.elapsed().as_secs() < 40, "{:?}", start.elapsed());
    let deep = format!("{}true{}", "( ".repeat(200), " )".repeat(200));
    let mut ctx = RunContext::new(&mut fs);
    let _ = run_script(&deep, &mut ctx);
    let rec = "f() { ( g ); }; g() { x=$(f); }; f";
    let _ = run_script(rec, &mut ctx);
}

#[test]
fn deep_nesting_fits_a_small_stack() {
    // The browser's wasm stack is about 1 MiB; debug frames are bigger than release ones.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let mut fs = Fs::from_layers(vec![busybox1()]);
            let mut ctx = RunContext::new(&mut fs);
            for script in [
                format!("{}true{}", "( ".repeat(200), " )".repeat(200)),
                format!("{}true{}", "{ ".repeat(70), "; }".repeat(70)),
                "f() { f; }; f".to_string(),
                "f() { echo $(f); }; f".to_string(),
                format!("echo {}x{}", "$(echo ".repeat(40), ")".repeat(40)),
                format!("{}true{}", "if true; then ".repeat(55), "; fi".repeat(55)),
                format!(
                    "f() {{ {} x=$(f) {}; }}; f",
                    "{ ".repeat(50),
                    "; }".repeat(50)
                ),
                format!("f() {{ {} f {}; }}; f", "( ".repeat(50), " )".repeat(50)),
            ] {
                let _ = run_script(&script, &mut ctx);
            }
        })
        .unwrap();
    assert!(handle.join().is_ok());
}

/// Every truth scenario whose first build is `FROM lab/busybox:1` followed only by plain
/// one-line RUNs: each RUN layer's entries (path, type, size, mode, owner, sha256) and regular bytes
/// must be what BuildKit stored. Read in place from ../shared/buildkit-truth.
#[test]
fn truth_run_only_scenarios_reproduce_every_layer() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/buildkit-truth/truth"
    );
    let Ok(read) = std::fs::read_dir(dir) else {
        panic!("truth folder missing: {dir}")
    };
    let mut checked = 0;
    let mut paths: Vec<_> = read.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    crate::sorting::sort(&mut paths);
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let truth: serde_json::Value = serde_json::from_str(&text).unwrap();
        let build = &truth["builds"][0];
        let dockerfile = build["inputs"]["dockerfile"].as_str().unwrap_or("");
        let lines: Vec<&str> = dockerfile
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.first() != Some(&"FROM lab/busybox:1")
            || lines.len() < 2
            || !lines[1..].iter().all(|l| {
                l.starts_with("RUN ")
                    && !l.contains("--")
                    && !l.ends_with('\\')
                    && !l.contains("<<")
            })
        {
            continue;
        }
        let Some(layers) = build["image"]["layers"].as_array() else {
            continue;
        };
        let mut fs = Fs::from_layers(vec![busybox1()]);
        for (i, line) in lines[1..].iter().enumerate() {
            let (o, layer) = run(&mut fs, &line["RUN ".len()..]);
            assert_eq!(o.exit_code, 0, "{path:?} {line}: {o:?}");
            let want = &layers[i + 1];
            let want_rows: Vec<String> = want["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {} {} {}:{} {}",
                        e["path"].as_str().unwrap(),
                        e["type"].as_str().unwrap(),
                        e["size"],
                        e["mode"].as_str().unwrap(),
                        e["uid"],
                        e["gid"],
                        e["sha256"].as_str().unwrap_or("-")
                    )
                })
                .collect();
            let got_rows: Vec<String> = layer
                .entries
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {} {:04o} {}:{} {}",
                        e.path,
                        e.kind.as_str(),
                        e.size,
                        e.mode,
                        e.uid,
                        e.gid,
                        e.sha256().unwrap_or("-")
                    )
                })
                .collect();
            assert_eq!(got_rows, want_rows, "{path:?} {line}");
            assert_eq!(
                layer.size,
                want["regular_bytes"].as_u64().unwrap(),
                "{path:?} {line}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} scenarios checked");
}

#[test]
fn break_and_continue_reach_the_loop_they_name() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let script = "for a in 1 2 3; do for b in x y; do \
                  [ $a = 1 ] && continue 2; [ $b = y ] && break; [ $a = 3 ] && break 2; echo $a$b; \
                  done; done; i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i = 2 ] && continue; \
                  [ $i = 4 ] && break; echo w$i; done";
    let (out, _) = run(&mut fs, script);
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "2x\nw1\nw3\n");
}
