//! BuildKit's shell-lexer cases (../shared/conformance/buildkit_shell_lex_cases.json, from
//! frontend/dockerfile/shell/lex_test.go, envVarTest and wordsTest) against `expand`.
//! Windows-only cases are skipped (we model Linux builds) and counted as such.

use layerlab_core::expand::{process, Options};
use serde_json::Value;
use std::collections::BTreeSet;

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/conformance/buildkit_shell_lex_cases.json"
);

/// What went wrong with one case, or `None` when it passed.
fn check(case: &Value) -> Option<String> {
    let input = case["input"].as_str().unwrap_or_default();
    let escape = case["escape"]
        .as_str()
        .and_then(|s| s.chars().next())
        .unwrap_or('\\');
    let env: Vec<(String, String)> = case["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let res = process(input, &env, &Options::new(escape));
    let wants_error = case["error"].as_bool().unwrap_or(false);
    match (&res.result, wants_error) {
        (Ok(v), true) => return Some(format!("expected an error, got {v:?}")),
        (Err(e), false) => return Some(format!("unexpected error: {e}")),
        (Err(e), true) => {
            if let Some(part) = case["error_contains"].as_str() {
                let msg = e.buildkit_message(input);
                if !msg.contains(part) {
                    return Some(format!("error {msg:?} lacks {part:?}"));
                }
            }
        }
        (Ok(v), false) => {
            if case["mode"] == "ProcessWords" {
                let want: Vec<&str> = case["expected_words"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if res.words != want {
                    return Some(format!("words {:?} != {want:?}", res.words));
                }
            } else if Some(v.as_str()) != case["expected"].as_str() {
                return Some(format!("value {v:?} != {}", case["expected"]));
            }
        }
    }
    if wants_error {
        // Upstream's TestProcessWithMatches returns right after `require.Error`: the names
        // listed for error cases were never checked by BuildKit, so we do not check them either.
        return None;
    }
    let names = |key: &str| -> Option<BTreeSet<String>> {
        case[key].as_array().map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
    };
    if let Some(want) = names("matches") {
        if res.used.matched != want {
            return Some(format!("matched {:?} != {want:?}", res.used.matched));
        }
    }
    if let Some(want) = names("unmatched") {
        if res.used.unmatched != want {
            return Some(format!("unmatched {:?} != {want:?}", res.used.unmatched));
        }
    }
    None
}

#[test]
fn buildkit_shell_lex_cases() {
    let text = std::fs::read_to_string(DATA).expect("shared conformance data");
    let data: Value = serde_json::from_str(&text).expect("valid JSON");
    let cases = data["cases"].as_array().expect("cases");
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for (i, case) in cases.iter().enumerate() {
        if case["platform"] == "windows" {
            skipped += 1;
            continue;
        }
        match check(case) {
            None => passed += 1,
            Some(why) => failures.push(format!(
                "#{i} {} {:?}: {why}",
                case["source_test"].as_str().unwrap_or("?"),
                case["input"].as_str().unwrap_or("?")
            )),
        }
    }
    println!(
        "expand conformance: {} cases, {passed} passed, {} failed, {skipped} skipped (windows)",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(passed + skipped, 310);
}
