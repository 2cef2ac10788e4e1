//! `created_by` texts of history rows, exactly as current BuildKit writes them
//! (dockerfile2llb `convert.go` `commitToHistory` callers; formats observed in buildkit-truth,
//! see its README "What changed between BuildKit v0.8 and today").

use crate::instructions::{format_go_duration, Healthcheck};
use crate::text::go_quote;

/// Go's `%q` of a `[]string`: `["a" "b"]` (CMD, ENTRYPOINT rows).
pub fn go_quote_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| go_quote(s))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

/// Go's `%v` of a `[]string`: `[a b]` (SHELL, VOLUME, EXPOSE rows).
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// `HEALTHCHECK {Test:[CMD true] Interval:30s Timeout:3s StartPeriod:0s StartInterval:0s Retries:0}`.
pub fn healthcheck(hc: &Healthcheck) -> String {
    format!(
        "HEALTHCHECK {{Test:{} Interval:{} Timeout:{} StartPeriod:{} StartInterval:{} Retries:{}}}",
        go_list(&hc.test),
        format_go_duration(hc.interval),
        format_go_duration(hc.timeout),
        format_go_duration(hc.start_period),
        format_go_duration(hc.start_interval),
        hc.retries
    )
}

/// `RUN |2 A=1 B=2 /bin/sh -c cmd # buildkit` (BuildKit `runCommandString`).
pub fn run(args: &[String], build_args: &[(String, String)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !build_args.is_empty() {
        parts.push(format!("|{}", build_args.len()));
        parts.extend(build_args.iter().map(|(k, v)| format!("{k}={v}")));
    }
    parts.extend(args.iter().cloned());
    format!("RUN {} # buildkit", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_truth() {
        assert_eq!(
            go_quote_list(&["-c".into(), "echo hello".into()]),
            r#"["-c" "echo hello"]"#
        );
        assert_eq!(
            go_list(&["/bin/sh".into(), "-e".into(), "-c".into()]),
            "[/bin/sh -e -c]"
        );
        let hc = Healthcheck {
            test: vec!["CMD".into(), "true".into()],
            interval: 30_000_000_000,
            timeout: 3_000_000_000,
            ..Default::default()
        };
        assert_eq!(healthcheck(&hc), "HEALTHCHECK {Test:[CMD true] Interval:30s Timeout:3s StartPeriod:0s StartInterval:0s Retries:0}");
        assert_eq!(
            run(
                &["/bin/sh".into(), "-c".into(), "echo $B > /b".into()],
                &[("B".into(), "42".into())]
            ),
            "RUN |1 B=42 /bin/sh -c echo $B > /b # buildkit"
        );
    }
}
