//! The learner's project as plain data: the Dockerfile, the virtual build context and the build
//! settings. This is what autosave stores, what a share link carries and what examples define;
//! it knows nothing of signals or of the core.

use serde::{Deserialize, Serialize};

/// Everything a learner typed: enough to rebuild the page exactly.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Project {
    #[serde(rename = "d", default)]
    pub dockerfile: String,
    #[serde(rename = "f", default)]
    pub files: Vec<CtxFile>,
    /// True when the Dockerfile sits inside the context (`docker build .` with `./Dockerfile`),
    /// so `COPY . .` copies it too and editing it busts that COPY's cache.
    #[serde(rename = "i", default)]
    pub dockerfile_in_context: bool,
    #[serde(rename = "o", default)]
    pub settings: BuildSettings,
}

/// One entry of the virtual build context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtxFile {
    /// Slash path relative to the context root, e.g. `src/main.go`.
    #[serde(rename = "p")]
    pub path: String,
    #[serde(rename = "b")]
    pub body: FileBody,
}

impl CtxFile {
    /// A text file.
    pub fn text(path: &str, text: &str) -> CtxFile {
        CtxFile {
            path: path.to_string(),
            body: FileBody::Text(text.to_string()),
        }
    }
}

/// What a context entry holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileBody {
    /// A text file the learner can edit.
    #[serde(rename = "t")]
    Text(String),
    /// A file known only by its size (a binary, a dataset): its bytes are generated.
    #[serde(rename = "s")]
    Sized(u64),
    /// An (empty) directory.
    #[serde(rename = "d")]
    Dir,
}

/// Whether `path` cannot take a new entry: something is already there or under it, or a file
/// sits where one of its folders would be (a file `lib` beside `lib/x` is no tree). Entries at or
/// under `moving` (what a rename moves) do not count, so a folder can move inside itself.
pub fn path_taken(files: &[CtxFile], path: &str, moving: Option<&str>) -> bool {
    use layerlab_core::fs::path::is_within;
    files
        .iter()
        .filter(|f| !moving.is_some_and(|m| is_within(&f.path, m)))
        .any(|f| is_within(&f.path, path) || (!f.body.is_dir() && is_within(path, &f.path)))
}

impl FileBody {
    /// Size in bytes (0 for directories).
    pub fn size(&self) -> u64 {
        match self {
            FileBody::Text(t) => t.len() as u64,
            FileBody::Sized(n) => *n,
            FileBody::Dir => 0,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, FileBody::Dir)
    }
}

/// The `docker build` options the learner set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuildSettings {
    /// `--build-arg NAME=VALUE`, in the order typed (rows with an empty name are ignored).
    #[serde(rename = "a", default)]
    pub build_args: Vec<(String, String)>,
    /// `--target`; empty means the last stage.
    #[serde(rename = "t", default)]
    pub target: String,
    #[serde(rename = "n", default)]
    pub no_cache: bool,
    /// `-t`; empty means no tag.
    #[serde(rename = "g", default)]
    pub tag: String,
}

/// Limits on a project read from a link or from storage: anything larger is refused with a
/// message instead of freezing the page.
pub const MAX_FILES: usize = 2_000;
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;
/// Sized files may claim up to 64 GiB (a learner demonstrating a huge context).
pub const MAX_SIZED_BYTES: u64 = 64 << 30;

impl Project {
    /// Checks a project that came from outside (link, storage); `Err` says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.files.len() > MAX_FILES {
            return Err(format!(
                "it has {} context files (at most {MAX_FILES})",
                self.files.len()
            ));
        }
        let text: usize = self.dockerfile.len()
            + self
                .files
                .iter()
                .map(|f| {
                    if let FileBody::Text(t) = &f.body {
                        t.len()
                    } else {
                        0
                    }
                })
                .sum::<usize>();
        if text > MAX_TEXT_BYTES {
            return Err("its text is larger than 2 MB".into());
        }
        for f in &self.files {
            if f.path.is_empty() || f.path.len() > 1024 || f.path.contains('\0') {
                return Err("a context file has an empty or invalid name".into());
            }
            if let FileBody::Sized(n) = f.body {
                if n > MAX_SIZED_BYTES {
                    return Err(format!("context file {} claims more than 64 GiB", f.path));
                }
            }
        }
        if self.settings.build_args.len() > 200 {
            return Err("it has more than 200 build args".into());
        }
        Ok(())
    }

    /// The file at `path`, if any.
    pub fn file(&self, path: &str) -> Option<&CtxFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Cleans a path typed by the learner: trims spaces and slashes, drops `.` segments and
/// empty segments; `None` when nothing usable is left or it climbs out with `..`.
pub fn clean_path(input: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in input.trim().split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_taken_by_an_entry_a_folder_or_a_file_ancestor() {
        let files = vec![
            CtxFile::text("a.txt", "x"),
            CtxFile::text("lib/x", "y"),
            CtxFile {
                path: "d".into(),
                body: FileBody::Dir,
            },
        ];
        for (path, taken) in [
            ("a.txt", true),
            ("lib", true),
            ("lib/y", false),
            ("a.txt/b", true),
            ("d", true),
            ("d/e", false),
            ("li", false),
            ("new", false),
        ] {
            assert_eq!(path_taken(&files, path, None), taken, "{path}");
        }
        // A rename: what moves does not block its own destination.
        assert!(!path_taken(&files, "lib/inner", Some("lib")));
        assert!(path_taken(&files, "lib", Some("a.txt")));
        assert!(!path_taken(&files, "b.txt", Some("a.txt")));
    }

    #[test]
    fn cleans_paths() {
        assert_eq!(
            clean_path(" ./src//main.go/ ").as_deref(),
            Some("src/main.go")
        );
        assert_eq!(clean_path("../etc/passwd"), None);
        assert_eq!(clean_path("/"), None);
    }

    #[test]
    fn serde_round_trip_is_compact() {
        let p = Project {
            dockerfile: "FROM alpine\n".into(),
            files: vec![
                CtxFile {
                    path: "a.txt".into(),
                    body: FileBody::Text("hi".into()),
                },
                CtxFile {
                    path: "big.bin".into(),
                    body: FileBody::Sized(1 << 20),
                },
                CtxFile {
                    path: "empty".into(),
                    body: FileBody::Dir,
                },
            ],
            dockerfile_in_context: true,
            settings: BuildSettings {
                build_args: vec![("V".into(), "1".into())],
                ..Default::default()
            },
        };
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.len() < 200, "{json}");
        assert_eq!(serde_json::from_str::<Project>(&json).unwrap(), p);
        assert!(p.validate().is_ok());
    }
}
