//! The examples gallery: each example is a data file under `examples/` (a Dockerfile, its
//! context and a short "what to try"), in the one-string fixture format of style.md rule 13:
//!
//! ```text
//! //- meta
//! title: Multi-stage Go
//! topic: Multi-stage builds
//! try: Change the FROM of the last stage ...
//! //- settings
//! target: build            (also: in_context: true, build-arg: NAME=VALUE, tag: app:1)
//! //- Dockerfile
//! FROM golang:1.22 AS build
//! //- go.mod
//! module example.com/app
//! //- assets/logo.png size=20480
//! //- empty-dir/
//! ```

use crate::model::{BuildSettings, CtxFile, FileBody, Project};

/// One example of the gallery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Stable id (URLs, `data-example`).
    pub id: &'static str,
    pub title: String,
    pub topic: String,
    /// What to change and what to look for.
    pub try_text: String,
    source: &'static str,
}

/// Every example, in gallery order; the first one is the page's default.
const SOURCES: &[(&str, &str)] = &[
    ("go-multistage", include_str!("examples/go-multistage.txt")),
    ("cache-order", include_str!("examples/cache-order.txt")),
    (
        "node-multistage",
        include_str!("examples/node-multistage.txt"),
    ),
    (
        "python-multistage",
        include_str!("examples/python-multistage.txt"),
    ),
    (
        "apt-single-layer",
        include_str!("examples/apt-single-layer.txt"),
    ),
    ("smaller-base", include_str!("examples/smaller-base.txt")),
    ("dockerignore", include_str!("examples/dockerignore.txt")),
    ("non-root-user", include_str!("examples/non-root-user.txt")),
    ("arg-vs-env", include_str!("examples/arg-vs-env.txt")),
    ("no-secrets", include_str!("examples/no-secrets.txt")),
    ("labels", include_str!("examples/labels.txt")),
    ("healthcheck", include_str!("examples/healthcheck.txt")),
    ("target-stages", include_str!("examples/target-stages.txt")),
];

/// All examples.
pub fn all() -> Vec<Example> {
    SOURCES
        .iter()
        .map(|(id, src)| parse_meta(id, src))
        .collect()
}

pub fn by_id(id: &str) -> Option<Example> {
    SOURCES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(id, src)| parse_meta(id, src))
}

/// The example the page opens with when nothing is saved.
pub fn default_example() -> Example {
    let (id, src) = SOURCES[0];
    parse_meta(id, src)
}

/// The default Dockerfile (kept for callers that only need the text).
pub fn default_dockerfile() -> String {
    default_example().project().dockerfile
}

impl Example {
    /// The project this example loads.
    pub fn project(&self) -> Project {
        let mut p = Project::default();
        for (header, body) in sections(self.source) {
            let mut words = header.split_whitespace();
            let name = words.next().unwrap_or("");
            let size = words
                .find_map(|w| w.strip_prefix("size="))
                .and_then(|n| n.parse::<u64>().ok());
            match name {
                "meta" => {}
                "settings" => p.settings = settings(&body, &mut p.dockerfile_in_context),
                "Dockerfile" => p.dockerfile = body,
                path if path.ends_with('/') => p.files.push(CtxFile {
                    path: path.trim_end_matches('/').to_string(),
                    body: FileBody::Dir,
                }),
                path => {
                    let body = match size {
                        Some(n) => FileBody::Sized(n),
                        None => FileBody::Text(body),
                    };
                    p.files.push(CtxFile {
                        path: path.to_string(),
                        body,
                    });
                }
            }
        }
        p
    }
}

fn parse_meta(id: &'static str, source: &'static str) -> Example {
    let mut ex = Example {
        id,
        title: id.to_string(),
        topic: String::new(),
        try_text: String::new(),
        source,
    };
    for (header, body) in sections(source) {
        if header.trim() != "meta" {
            continue;
        }
        let mut key = "";
        for line in body.lines() {
            if let Some((k, v)) = line
                .split_once(": ")
                .filter(|(k, _)| matches!(*k, "title" | "topic" | "try"))
            {
                key = k;
                match k {
                    "title" => ex.title = v.trim().to_string(),
                    "topic" => ex.topic = v.trim().to_string(),
                    _ => ex.try_text = v.trim().to_string(),
                }
            } else if key == "try" && !line.trim().is_empty() {
                ex.try_text.push(' ');
                ex.try_text.push_str(line.trim());
            }
        }
    }
    ex
}

/// `(header, body)` for every `//- header` section; bodies keep their final newline.
fn sections(source: &str) -> Vec<(String, String)> {
    let mut res: Vec<(String, String)> = Vec::new();
    for line in source.split_inclusive('\n') {
        if let Some(h) = line.strip_prefix("//- ") {
            res.push((h.trim().to_string(), String::new()));
        } else if let Some((_, body)) = res.last_mut() {
            body.push_str(line);
        }
    }
    res
}

fn settings(body: &str, in_context: &mut bool) -> BuildSettings {
    let mut s = BuildSettings::default();
    for line in body.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim() {
            "target" => s.target = v.to_string(),
            "tag" => s.tag = v.to_string(),
            "no_cache" => s.no_cache = v == "true",
            "in_context" => *in_context = v == "true",
            "build-arg" => {
                let (name, value) = v.split_once('=').unwrap_or((v, ""));
                s.build_args.push((name.to_string(), value.to_string()));
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core_adapter::Engine;

    #[test]
    fn every_example_has_text_and_a_dockerfile() {
        let all = all();
        assert!(all.len() >= 12);
        for ex in &all {
            assert!(
                !ex.title.is_empty() && !ex.topic.is_empty() && ex.try_text.len() > 40,
                "{}",
                ex.id
            );
            let p = ex.project();
            assert!(
                p.dockerfile.starts_with('#')
                    || p.dockerfile.starts_with("FROM")
                    || p.dockerfile.starts_with("ARG"),
                "{}",
                ex.id
            );
            assert!(p.validate().is_ok());
        }
    }

    #[test]
    fn every_example_builds() {
        let mut failures = Vec::new();
        for ex in all() {
            let p = ex.project();
            let mut e = Engine::new();
            let b = e.build(
                &p.dockerfile,
                &p.files,
                p.dockerfile_in_context,
                &p.settings,
            );
            if !b.ok || b.image.is_none() {
                failures.push(format!("{}: {:?}", ex.id, b.error));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
