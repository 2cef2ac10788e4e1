//! `.dockerignore` conformance: moby/patternmatcher's own test tables
//! (../shared/conformance/patternmatcher_cases.json) against `ignore`, and 32 whole contexts
//! (dockerignore_contexts.json) against `context::BuildContext::sent_files`.

use layerlab_core::context::BuildContext;
use layerlab_core::ignore::{clean, read_all, IgnoreMatcher, MatchInfo};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance");

fn load(name: &str) -> Value {
    let text =
        std::fs::read_to_string(format!("{SHARED}/{name}")).expect("shared conformance data");
    serde_json::from_str(&text).expect("valid JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Go's `filepath.Dir` split into the prefixes the upstream test feeds
/// `MatchesUsingParentResults` before the path itself.
fn parent_prefixes(path: &str) -> Vec<String> {
    let dir = match path.rfind('/') {
        Some(i) => clean(&path[..i + 1]),
        None => ".".to_string(),
    };
    if dir == "." {
        return Vec::new();
    }
    let parts: Vec<&str> = dir.split('/').collect();
    (1..=parts.len()).map(|i| parts[..i].join("/")).collect()
}

/// One match case: `Ok(excluded)` or `Err(())` when BuildKit's API returns an error.
fn run_match_case(case: &Value) -> Vec<(&'static str, Result<bool, ()>)> {
    let patterns = strings(&case["patterns"]);
    let path = case["path"].as_str().unwrap_or_default();
    let (m, errors) = IgnoreMatcher::from_patterns(&patterns);
    if errors.iter().any(|e| e.is_fatal()) {
        return vec![("New", Err(()))];
    }
    let api = case["api"].as_str().unwrap_or_default();
    let cleaned = clean(path);
    let pkg = |f: &dyn Fn(&str) -> Result<bool, usize>| -> Result<bool, ()> {
        if cleaned == "." {
            return Ok(false);
        }
        f(&cleaned).map_err(|_| ())
    };
    if api.starts_with("Matches (deprecated") {
        return vec![("Matches", pkg(&|p| m.matches_single_parent(p)))];
    }
    let mut res = vec![(
        "MatchesOrParentMatches",
        pkg(&|p| m.matches_or_parent_matches(p)),
    )];
    if api.contains("MatchesUsingParentResults") {
        let mut info = MatchInfo::default();
        let mut chained = Ok(false);
        for prefix in parent_prefixes(path) {
            match m.matches_using_parent_results(&prefix, &info) {
                Ok(d) => info = d.info,
                Err(_) => chained = Err(()),
            }
        }
        if chained.is_ok() {
            chained = m
                .matches_using_parent_results(path, &info)
                .map(|d| d.excluded)
                .map_err(|_| ());
        }
        res.push(("MatchesUsingParentResults", chained));
        let no_ctx = m
            .matches_using_parent_results(path, &MatchInfo::default())
            .map(|d| d.excluded)
            .map_err(|_| ());
        res.push(("MatchesUsingParentResults(NoContext)", no_ctx));
    }
    res
}

#[test]
fn patternmatcher_match_cases() {
    let data = load("patternmatcher_cases.json");
    let cases = data["match_cases"].as_array().expect("match_cases");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let wants_error = case["error"].as_bool().unwrap_or(false);
        let want = case["match"].as_bool().unwrap_or(false);
        for (api, got) in run_match_case(case) {
            let ok = match got {
                Err(()) => wants_error,
                Ok(b) => !wants_error && b == want,
            };
            if !ok {
                failures.push(format!(
                    "#{i} {} {api} patterns={} path={}: got {got:?}, want {}",
                    case["source_test"].as_str().unwrap_or("?"),
                    case["patterns"],
                    case["path"],
                    if wants_error {
                        "error".to_string()
                    } else {
                        want.to_string()
                    }
                ));
            }
        }
    }
    println!(
        "patternmatcher match cases: {} cases, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 138);
}

#[test]
fn patternmatcher_compile_clean_and_readall_cases() {
    let data = load("patternmatcher_cases.json");
    let mut n = 0;
    for case in data["compile_cases"].as_array().expect("compile_cases") {
        let pattern = case["pattern"].as_str().unwrap_or_default();
        let (m, errors) = IgnoreMatcher::from_patterns(&[pattern]);
        assert!(errors.is_empty(), "{pattern}: {errors:?}");
        let p = &m.patterns()[0];
        let kind = format!("{}Match", p.match_kind());
        assert_eq!(
            kind,
            case["match_type"].as_str().unwrap_or_default(),
            "{pattern}"
        );
        let want_re = case["regexp"].as_str().unwrap_or_default();
        assert_eq!(p.regex_source().unwrap_or(""), want_re, "{pattern}");
        n += 1;
    }
    for case in data["clean_cases"].as_array().expect("clean_cases") {
        let patterns = strings(&case["patterns"]);
        let (m, errors) = IgnoreMatcher::from_patterns(&patterns);
        let fatal = errors.iter().any(|e| e.is_fatal());
        assert_eq!(
            fatal,
            case["error"].as_bool().unwrap_or(false),
            "{patterns:?}"
        );
        if let Some(count) = case["cleaned_count"].as_u64() {
            assert_eq!(m.patterns().len() as u64, count, "{patterns:?}");
        }
        if let Some(excl) = case["exclusions"].as_bool() {
            assert_eq!(m.has_exclusions(), excl, "{patterns:?}");
        }
        n += 1;
    }
    for case in data["readall_cases"].as_array().expect("readall_cases") {
        let content = case["content"].as_str().unwrap_or_default();
        let got: Vec<String> = read_all(content)
            .expect("readable")
            .into_iter()
            .map(|l| l.pattern)
            .collect();
        assert_eq!(got, strings(&case["expected"]));
        n += 1;
    }
    println!("patternmatcher compile/clean/readall cases: {n} passed");
    assert_eq!(n, 21 + 5 + 1);
}

#[test]
fn dockerignore_whole_contexts() {
    let data = load("dockerignore_contexts.json");
    let files = strings(&data["context_files"]);
    let cases = data["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let mut ctx = BuildContext::new();
        for f in &files {
            if f == ".dockerignore" {
                continue;
            }
            if let Some(dir) = f.strip_suffix('/') {
                ctx.mkdir(dir).expect("a valid directory");
            } else {
                ctx.write_text(f, &format!("{f}\n"));
            }
        }
        if let Some(text) = case["dockerignore"].as_str() {
            ctx.write_text(".dockerignore", text);
        }
        let want_ok = case["ok"].as_bool().unwrap_or(true);
        match (ctx.sent_files(false), ctx.sent_files(true)) {
            (Ok(sent), Ok(with_dirs)) => {
                if !want_ok {
                    failures.push(format!("{name}: expected an error"));
                    continue;
                }
                if sent != strings(&case["sent_files"]) {
                    failures.push(format!("{name}: sent_files {sent:?}"));
                }
                if with_dirs != strings(&case["sent_with_dirs"]) {
                    failures.push(format!("{name}: sent_with_dirs {with_dirs:?}"));
                }
            }
            (Err(e), _) | (_, Err(e)) => {
                let want_err = case["error"].as_str().unwrap_or_default();
                if want_ok {
                    failures.push(format!("{name}: unexpected error {e}"));
                } else if e.to_string() != want_err {
                    failures.push(format!("{name}: error {e:?} != {want_err:?}"));
                }
            }
        }
    }
    println!(
        "dockerignore contexts: {} cases, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 32);
}

/// The same contexts materialised on disk and read back with `BuildContext::load_dir` (what
/// `layerlab context-files` does).
#[test]
fn dockerignore_contexts_from_disk() {
    let data = load("dockerignore_contexts.json");
    let files = strings(&data["context_files"]);
    let root =
        std::env::temp_dir().join(format!("layerlab-ctx-conformance-{}", std::process::id()));
    let mut checked = 0;
    for case in data["cases"].as_array().expect("cases") {
        if !case["ok"].as_bool().unwrap_or(true) {
            continue;
        }
        let _ = std::fs::remove_dir_all(&root);
        for f in &files {
            let path = root.join(f.trim_end_matches('/'));
            if f.ends_with('/') {
                std::fs::create_dir_all(&path).expect("mkdir");
            } else if f != ".dockerignore" {
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(&path, format!("{f}\n")).expect("write");
            }
        }
        if let Some(text) = case["dockerignore"].as_str() {
            std::fs::write(root.join(".dockerignore"), text).expect("write");
        }
        let ctx = BuildContext::load_dir(&root).expect("readable context");
        let name = case["name"].as_str().unwrap_or("?");
        assert_eq!(
            ctx.sent_files(false).expect("sendable"),
            strings(&case["sent_files"]),
            "{name}"
        );
        assert_eq!(
            ctx.sent_files(true).expect("sendable"),
            strings(&case["sent_with_dirs"]),
            "{name}"
        );
        checked += 1;
    }
    let _ = std::fs::remove_dir_all(&root);
    println!("dockerignore contexts from disk: {checked} checked");
    assert_eq!(checked, 30);
}
