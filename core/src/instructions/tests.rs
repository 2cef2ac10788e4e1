//! Lowering tests: every keyword, flags, arity errors with spans.

use super::*;
use crate::syntax::parse;

fn lower_text(text: &str) -> Lowered {
    lower(&parse(text))
}

fn kinds(text: &str) -> Vec<Kind> {
    let l = lower_text(text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    l.instructions.into_iter().map(|i| i.kind).collect()
}

#[test]
fn from_with_name_and_platform() {
    let k = kinds("FROM --platform=$TARGETPLATFORM lab/busybox:1 as Base\n");
    assert_eq!(
        k,
        vec![Kind::From(FromInstr {
            image: "lab/busybox:1".into(),
            name: Some("base".into()),
            platform: Some("$TARGETPLATFORM".into())
        })]
    );
}

#[test]
fn copy_flags_and_sources() {
    let k = kinds("FROM a\nCOPY --chown=1000:1000 --chmod=0640 --parents a b /dst/\n");
    let Kind::Copy(c) = &k[1] else {
        panic!("not a copy: {:?}", k[1])
    };
    assert_eq!(
        (c.chown.as_deref(), c.chmod.as_deref(), c.parents, c.link),
        (Some("1000:1000"), Some("0640"), true, false)
    );
    assert_eq!(c.sources, vec!["a", "b"]);
    assert_eq!(c.dest, "/dst/");
}

#[test]
fn run_mounts_and_forms() {
    let k = kinds("FROM a\nRUN --mount=type=cache,target=/cache,id=x echo hi\nRUN [\"/bin/sh\", \"-c\", \"echo a\"]\n");
    let Kind::Run(r) = &k[1] else { panic!() };
    assert_eq!(r.cmd, CmdLine::Shell("echo hi".into()));
    assert_eq!(
        (
            r.mounts[0].kind,
            r.mounts[0].target.as_str(),
            r.mounts[0].id.as_deref()
        ),
        (MountKind::Cache, "/cache", Some("x"))
    );
    let Kind::Run(r) = &k[2] else { panic!() };
    assert_eq!(
        r.cmd,
        CmdLine::Exec(vec!["/bin/sh".into(), "-c".into(), "echo a".into()])
    );
}

#[test]
fn config_instructions() {
    let k = kinds("FROM a\nENV A=1 B=\"two words\"\nENV C $A-x\nARG X Y=2\nEXPOSE 80 443/tcp\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"true\"]\nONBUILD RUN echo child\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\n");
    assert_eq!(
        k[1],
        Kind::Env(vec![
            ("A".into(), "1".into()),
            ("B".into(), "\"two words\"".into())
        ])
    );
    assert_eq!(k[2], Kind::Env(vec![("C".into(), "$A-x".into())]));
    assert_eq!(
        k[3],
        Kind::Arg(vec![
            ArgDecl {
                name: "X".into(),
                default: None
            },
            ArgDecl {
                name: "Y".into(),
                default: Some("2".into())
            }
        ])
    );
    assert_eq!(k[4], Kind::Expose(vec!["80".into(), "443/tcp".into()]));
    let Kind::Healthcheck(h) = &k[5] else {
        panic!()
    };
    assert_eq!(
        (h.test.clone(), h.interval, h.timeout),
        (
            vec!["CMD".to_string(), "true".to_string()],
            30_000_000_000,
            3_000_000_000
        )
    );
    assert_eq!(k[6], Kind::Onbuild("RUN echo child".into()));
    assert_eq!(
        k[7],
        Kind::Shell(vec!["/bin/sh".into(), "-e".into(), "-c".into()])
    );
}

#[test]
fn errors_are_diagnostics_with_spans() {
    let text = "FROM a\nCOPY onlyone\nRUN --bogus=1 x\nFROBNICATE x\nSHELL /bin/sh\n";
    let l = lower_text(text);
    let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "copy-arity",
            "unknown-flag",
            "unknown-instruction",
            "shell-json"
        ]
    );
    assert!(l.diagnostics.iter().all(|d| !d.range.is_empty()));
}

#[test]
fn go_durations_round_trip() {
    use meta::{format_go_duration, parse_go_duration};
    for (s, ns) in [
        ("30s", 30_000_000_000),
        ("1m30s", 90_000_000_000),
        ("500ms", 500_000_000),
        ("0s", 0),
        ("1h0m0s", 3_600_000_000_000),
    ] {
        assert_eq!(parse_go_duration(s), Some(ns));
        assert_eq!(format_go_duration(ns), s);
    }
    assert_eq!(parse_go_duration("abc"), None);
}
