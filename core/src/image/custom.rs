//! User-defined base images: a learner can describe an image the catalog does not have by putting
//! a JSON file in the virtual build context, conventionally `.layerlab/images/<name>.json`
//! ([`CUSTOM_IMAGE_DIR`]). `FROM <name>` then builds on it.
//!
//! # Format
//!
//! ```json
//! {
//!   "name": "mycorp/base:1",
//!   "distro": "debian",
//!   "config": { "Env": ["PATH=/usr/bin:/bin"], "Cmd": ["sh"], "WorkingDir": "/app", "User": "app" },
//!   "layers": [
//!     { "created_by": "ADD rootfs.tar.gz /", "size": 30000000 },
//!     { "created_by": "RUN make install", "size": 5000000, "compressed_size": 2000000,
//!       "files": [
//!         { "path": "/usr/local/bin/app", "size": 4000000, "mode": "0755" },
//!         { "path": "/etc/app.conf", "text": "port=80\n" },
//!         { "path": "/usr/local/bin/app-cli", "type": "symlink", "target": "app" },
//!         { "path": "/srv/data", "type": "dir", "mode": "0750", "uid": 1000, "gid": 1000 } ] },
//!     { "created_by": "ENV MODE=prod", "empty_layer": true }
//!   ]
//! }
//! ```
//!
//! - `name` (required): the reference `FROM` uses; normalised like any reference (`mycorp/base`
//!   means `mycorp/base:latest`).
//! - `distro` (optional): `debian`, `ubuntu`, `alpine`, `busybox`, `distroless`: the first layer gets
//!   that family's skeleton (shell, users, package manager) when it lists no files itself.
//!   `distro_version` (optional) picks e.g. `12 (bookworm)` or `3.22`.
//! - `config` (optional): image config with Docker's field names (`Env`, `Cmd`, `Entrypoint`,
//!   `WorkingDir`, `User`, `ExposedPorts` as a list or object, `Labels`, `Volumes`, `StopSignal`, `Shell`).
//! - `layers` (required, oldest first): `created_by` (history text), `size` (uncompressed bytes;
//!   when larger than the files listed, the rest goes into one opaque file; when absent, the sum of
//!   the files), `compressed_size`, `empty_layer` (a metadata-only row), `files`.
//! - a file: `path` (absolute), `type` (`file` default, `dir`, `symlink`), `size` or `text`,
//!   `target` (symlinks), `mode` (octal string or number; default 0644 files, 0755 dirs), `uid`, `gid`.
//!
//! Problems are returned as [`Diagnostic`]s located in the JSON text, never panics.

use super::config::ImageConfig;
use super::skeleton::{self, LayerBuilder, SkeletonCtx};
use super::{reference, BaseFile, BaseFileKind, BaseImage, BaseLayer, Distro};
use crate::content::{Content, Hasher};
use crate::diagnostic::Diagnostic;
use crate::text::TextRange;
use serde_json::Value;

/// Where custom images live in the build context.
pub const CUSTOM_IMAGE_DIR: &str = ".layerlab/images";

/// Limits that keep a hostile file from costing the page (files are user input).
const MAX_LAYERS: usize = 256;
const MAX_FILES: usize = 20_000;
/// 1 TB: larger sizes are typos.
const MAX_SIZE: u64 = 1 << 40;

/// Parses a custom image description (`text` is the JSON file's content).
pub fn parse(text: &str) -> Result<BaseImage, Vec<Diagnostic>> {
    let value: Value = serde_json::from_str(text).map_err(|e| vec![json_error(text, &e)])?;
    let mut errors = Vec::new();
    let image = from_value(text, &value, &mut errors);
    match image {
        Some(img) if errors.is_empty() => Ok(img),
        _ => Err(errors),
    }
}

/// The reference a custom image file declares, if it parses that far (for indexing a context's
/// `.layerlab/images/*.json` without building every image).
pub fn declared_name(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text).ok()?;
    let name = v.get("name")?.as_str()?;
    reference::parse(name).ok().map(|r| r.normalized())
}

/// Finds the custom image `reference` among a context's files (`(path, text)` pairs; only
/// `.layerlab/images/*.json` are considered). `None` when no file declares that name; a file
/// that declares it but does not parse gives its diagnostics.
pub fn find<'a>(
    reference: &str,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Result<BaseImage, Vec<Diagnostic>>> {
    let wanted = reference::parse(reference).ok()?.normalized();
    for (path, text) in files {
        let path = path.trim_start_matches("./").trim_start_matches('/');
        if !(path.starts_with(CUSTOM_IMAGE_DIR) && path.ends_with(".json")) {
            continue;
        }
        if declared_name(text).as_deref() == Some(wanted.as_str()) {
            return Some(parse(text));
        }
    }
    None
}

fn from_value(text: &str, v: &Value, errors: &mut Vec<Diagnostic>) -> Option<BaseImage> {
    let Some(obj) = v.as_object() else {
        errors.push(err(
            text,
            "",
            "a custom image is a JSON object with \"name\" and \"layers\"",
        ));
        return None;
    };
    let name = match obj.get("name").and_then(Value::as_str) {
        Some(n) => match reference::parse(n) {
            Ok(r) => r.normalized(),
            Err(e) => {
                errors.push(err(text, n, &format!("\"name\": {}", e.message)));
                return None;
            }
        },
        None => {
            errors.push(err(
                text,
                "",
                "missing \"name\" (the reference FROM uses, e.g. \"mycorp/base:1\")",
            ));
            return None;
        }
    };
    let distro = match obj.get("distro") {
        None => Distro::Unknown,
        Some(Value::String(d)) => match Distro::from_name(d) {
            Distro::Unknown | Distro::Scratch => {
                errors.push(err(
                    text,
                    d,
                    &format!(
                        "unknown distro \"{d}\" (debian, ubuntu, alpine, busybox, distroless)"
                    ),
                ));
                Distro::Unknown
            }
            known => known,
        },
        Some(_) => {
            errors.push(err(text, "\"distro\"", "\"distro\" must be a string"));
            Distro::Unknown
        }
    };
    let distro_version =
        obj.get("distro_version")
            .and_then(Value::as_str)
            .unwrap_or(match distro {
                Distro::Alpine => "3.22",
                Distro::Ubuntu => "24.04",
                _ => "12 (bookworm)",
            });
    let config = obj
        .get("config")
        .map(|c| config_of(text, c, errors))
        .unwrap_or_default();
    let Some(layers_v) = obj.get("layers").and_then(Value::as_array) else {
        errors.push(err(text, "", "missing \"layers\" (a list, oldest first)"));
        return None;
    };
    if layers_v.len() > MAX_LAYERS {
        errors.push(err(
            text,
            "\"layers\"",
            &format!("too many layers (at most {MAX_LAYERS})"),
        ));
        return None;
    }
    let mut ctx = SkeletonCtx::new(
        distro,
        distro_version,
        "custom",
        "",
        config.env.clone(),
        &name,
    );
    let mut layers = Vec::new();
    let mut file_count = 0usize;
    let mut content_no = 0usize;
    // True once a layer's size comes from our nominal skeleton rather than from the file.
    let mut nominal = false;
    for (i, l) in layers_v.iter().enumerate() {
        let Some(lo) = l.as_object() else {
            errors.push(err(
                text,
                "\"layers\"",
                &format!("layers[{i}] must be an object"),
            ));
            continue;
        };
        let created_by = lo
            .get("created_by")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if lo
            .get("empty_layer")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            layers.push(BaseLayer::metadata(&created_by));
            continue;
        }
        content_no += 1;
        let size = match lo.get("size") {
            None => None,
            Some(s) => match s.as_u64().filter(|n| *n <= MAX_SIZE) {
                Some(n) => Some(n),
                None => {
                    errors.push(err(
                        text,
                        &s.to_string(),
                        &format!("layers[{i}].size must be a byte count (0 to 1 TB)"),
                    ));
                    None
                }
            },
        };
        let compressed_size = lo.get("compressed_size").and_then(Value::as_u64);
        let mut b = LayerBuilder::new(&format!("{name}#{content_no}"));
        let files_v = lo.get("files").and_then(Value::as_array);
        if let Some(fs) = files_v {
            file_count += fs.len();
            if file_count > MAX_FILES {
                errors.push(err(
                    text,
                    "\"files\"",
                    &format!("too many files (at most {MAX_FILES})"),
                ));
                return None;
            }
            for (j, f) in fs.iter().enumerate() {
                if let Some(file) = file_of(text, f, &name, i, j, errors) {
                    b.push(file);
                }
            }
        }
        let files = if files_v.is_none() && content_no == 1 && distro != Distro::Unknown {
            // The first layer of a declared distro gets its skeleton (shell, users, apt/apk),
            // filled up to the layer's size.
            match size {
                Some(s) => skeleton::layer_files(&mut ctx, "os", &created_by, s, content_no),
                None => {
                    nominal = true;
                    skeleton::role_files(&mut ctx, "os", &created_by)
                }
            }
        } else {
            let files_sum = b_sum(&b);
            match size {
                Some(s) if s < files_sum => {
                    errors.push(err(
                        text,
                        &created_by,
                        &format!(
                            "layers[{i}]: its files hold {files_sum} bytes, more than its size {s}"
                        ),
                    ));
                    continue;
                }
                Some(s) => b.finish(s, &format!("/.layerlab-rest-of-layer-{content_no}")),
                None => b.finish(files_sum, "/"),
            }
        };
        layers.push(BaseLayer::content(
            &created_by,
            "user-defined image",
            files,
            compressed_size,
        ));
    }
    Some(BaseImage {
        reference: name.clone(),
        resolved: name.clone(),
        layers,
        config,
        distro,
        distro_version: if distro == Distro::Unknown {
            String::new()
        } else {
            distro_version.to_string()
        },
        estimated: nominal,
        layer_sizes_estimated: nominal,
        note: if nominal {
            format!("{name} is user-defined; its first layer has no size, so the {} skeleton's nominal sizes are used (estimate)", distro.name())
        } else {
            format!("{name} is user-defined: its sizes are the ones its file gives")
        },
        source: CUSTOM_IMAGE_DIR.to_string(),
    })
}

fn b_sum(b: &LayerBuilder) -> u64 {
    b.files().iter().map(BaseFile::size).sum()
}

fn file_of(
    text: &str,
    f: &Value,
    image: &str,
    i: usize,
    j: usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<BaseFile> {
    let at = format!("layers[{i}].files[{j}]");
    let Some(o) = f.as_object() else {
        errors.push(err(text, "\"files\"", &format!("{at} must be an object")));
        return None;
    };
    let Some(path) = o.get("path").and_then(Value::as_str) else {
        errors.push(err(text, "\"files\"", &format!("{at}: missing \"path\"")));
        return None;
    };
    if !path.starts_with('/') || path.split('/').any(|c| c == "..") {
        errors.push(err(
            text,
            path,
            &format!("{at}: \"{path}\" must be an absolute path without \"..\""),
        ));
        return None;
    }
    let kind = o.get("type").and_then(Value::as_str).unwrap_or("file");
    let mode = match o.get("mode") {
        None => None,
        Some(Value::Number(n)) => n.as_u64().map(|m| m as u32),
        Some(Value::String(s)) => u32::from_str_radix(s.trim_start_matches("0o"), 8).ok(),
        Some(_) => None,
    };
    if o.contains_key("mode") && mode.is_none_or(|m| m > 0o7777) {
        errors.push(err(
            text,
            path,
            &format!("{at}: \"mode\" must be octal like \"0755\""),
        ));
        return None;
    }
    let uid = o
        .get("uid")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(u32::MAX as u64) as u32;
    let gid = o
        .get("gid")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(u32::MAX as u64) as u32;
    let file = match kind {
        "dir" => BaseFile::dir(path, mode.unwrap_or(0o755)),
        "symlink" => match o.get("target").and_then(Value::as_str) {
            Some(t) => BaseFile::symlink(path, t),
            None => {
                errors.push(err(
                    text,
                    path,
                    &format!("{at}: a symlink needs a \"target\""),
                ));
                return None;
            }
        },
        "file" => {
            let content = match (
                o.get("text").and_then(Value::as_str),
                o.get("size").and_then(Value::as_u64),
            ) {
                (Some(t), _) => Content::from_text(t),
                (None, Some(s)) if s <= MAX_SIZE => {
                    let mut h = Hasher::new();
                    h.write_str(image);
                    h.write_str(path);
                    Content::opaque(s, h.finish() as u64)
                }
                (None, Some(_)) => {
                    errors.push(err(
                        text,
                        path,
                        &format!("{at}: \"size\" is larger than 1 TB"),
                    ));
                    return None;
                }
                (None, None) => Content::empty(),
            };
            BaseFile {
                path: path.to_string(),
                kind: BaseFileKind::File { content },
                mode: mode.unwrap_or(0o644),
                uid: 0,
                gid: 0,
            }
        }
        other => {
            errors.push(err(
                text,
                other,
                &format!("{at}: unknown type \"{other}\" (file, dir, symlink)"),
            ));
            return None;
        }
    };
    Some(file.owned(uid, gid))
}

fn config_of(text: &str, c: &Value, errors: &mut Vec<Diagnostic>) -> ImageConfig {
    let mut cfg = ImageConfig::new();
    let Some(o) = c.as_object() else {
        errors.push(err(
            text,
            "\"config\"",
            "\"config\" must be an object with Docker's field names",
        ));
        return cfg;
    };
    let list = |k: &str| -> Option<Vec<String>> {
        o.get(k)?.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
    };
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    cfg.env = list("Env").unwrap_or_default();
    cfg.cmd = list("Cmd");
    cfg.entrypoint = list("Entrypoint");
    cfg.shell = list("Shell");
    cfg.working_dir = s("WorkingDir");
    cfg.user = s("User");
    cfg.stop_signal = s("StopSignal");
    for key in ["ExposedPorts", "Volumes"] {
        let items: Vec<String> = match o.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Some(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        for it in items {
            if key == "ExposedPorts" {
                cfg.expose(&it);
            } else {
                cfg.add_volume(&it);
            }
        }
    }
    if let Some(Value::Object(m)) = o.get("Labels") {
        for (k, v) in m {
            cfg.set_label(k, v.as_str().unwrap_or(""));
        }
    }
    cfg
}

/// A diagnostic at the first occurrence of `needle` in the JSON text (whole text if absent).
fn err(text: &str, needle: &str, message: &str) -> Diagnostic {
    let range = if needle.is_empty() {
        TextRange::new(0, text.len().min(1))
    } else {
        match text.find(needle) {
            Some(at) => TextRange::new(at, at + needle.len()),
            None => TextRange::new(0, text.len().min(1)),
        }
    };
    Diagnostic::error("custom-image", range, message.to_string())
}

fn json_error(text: &str, e: &serde_json::Error) -> Diagnostic {
    // serde_json lines and columns are 1-based; columns count bytes... close enough for a caret.
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == e.line() {
            offset += e.column().saturating_sub(1).min(line.len());
            break;
        }
        offset += line.len();
    }
    let offset = offset.min(text.len());
    let end = (offset + 1).min(text.len());
    let start = if text.is_char_boundary(offset) {
        offset
    } else {
        0
    };
    let end = if text.is_char_boundary(end) {
        end
    } else {
        start
    };
    Diagnostic::error(
        "custom-image-json",
        TextRange::new(start, end),
        format!("invalid JSON: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
  "name": "mycorp/base:1",
  "distro": "debian",
  "config": {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["sh"], "ExposedPorts": ["8080"]},
  "layers": [
    {"created_by": "ADD rootfs.tar.gz /", "size": 30000000},
    {"created_by": "RUN make install", "size": 5000000, "compressed_size": 2000000, "files": [
      {"path": "/usr/local/bin/app", "size": 4000000, "mode": "0755"},
      {"path": "/etc/app.conf", "text": "port=80\n"},
      {"path": "/usr/local/bin/app-cli", "type": "symlink", "target": "app"},
      {"path": "/srv/data", "type": "dir", "mode": "0750", "uid": 1000, "gid": 1000}]},
    {"created_by": "ENV MODE=prod", "empty_layer": true}
  ]
}"#;

    #[test]
    fn parses_a_full_description() {
        let img = parse(GOOD).unwrap();
        assert_eq!(img.reference, "mycorp/base:1");
        assert_eq!(img.size(), 35_000_000);
        assert_eq!(img.layers.len(), 3);
        assert_eq!(img.layer_count(), 2);
        assert_eq!(img.compressed_size(), None);
        assert!(
            img.files()
                .any(|f| f.path == "/bin/sh" || f.path == "/usr/bin/sh"),
            "debian skeleton"
        );
        assert!(img
            .files()
            .any(|f| f.path == "/srv/data" && f.mode == 0o750 && f.uid == 1000));
        assert!(img.config.exposed_ports.contains("8080/tcp"));
        assert!(
            !img.estimated,
            "sizes given by the file are not our estimates"
        );
        for l in img.content_layers() {
            assert_eq!(l.files.iter().map(BaseFile::size).sum::<u64>(), l.size);
        }
        assert_eq!(declared_name(GOOD).as_deref(), Some("mycorp/base:1"));
    }

    #[test]
    fn errors_are_values_with_positions() {
        let e = parse("{\"name\": \"x\",\n \"layers\": [}").unwrap_err();
        assert_eq!(e[0].code, "custom-image-json");
        assert!(e[0].range.start > 10);
        let e = parse(r#"{"layers": []}"#).unwrap_err();
        assert!(e[0].message.contains("missing \"name\""));
        let e = parse(r#"{"name": "Bad:1", "layers": []}"#).unwrap_err();
        assert!(e[0].message.contains("lowercase"));
        let e = parse(
            r#"{"name": "a", "layers": [{"size": 10, "files": [{"path": "/x", "size": 20}]}]}"#,
        )
        .unwrap_err();
        assert!(e[0].message.contains("more than its size"), "{:?}", e);
        let e = parse(r#"{"name": "a", "layers": [{"files": [{"path": "rel/x"}]}]}"#).unwrap_err();
        assert!(e[0].message.contains("absolute"));
        let text = r#"{"name": "a", "layers": [{"files": [{"path": "/x", "type": "fifo"}]}]}"#;
        let e = parse(text).unwrap_err();
        assert_eq!(e[0].range.slice(text), "fifo");
        let e = parse(r#"{"name": "a", "distro": "windows", "layers": []}"#).unwrap_err();
        assert!(e[0].message.contains("unknown distro"));
        let e = parse(r#"{"name": "a", "layers": [{"size": -1}]}"#).unwrap_err();
        assert!(e[0].message.contains("byte count"));
        assert!(parse("[]").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn find_looks_only_in_the_images_folder() {
        let files = [("app/x.json", GOOD), (".layerlab/images/base.json", GOOD)];
        let found = find(
            "docker.io/mycorp/base:1",
            files.iter().map(|(p, t)| (*p, *t)),
        )
        .unwrap()
        .unwrap();
        assert_eq!(found.size(), 35_000_000);
        assert!(find("mycorp/other:1", files.iter().map(|(p, t)| (*p, *t))).is_none());
        assert!(find("mycorp/base:1", [("app/x.json", GOOD)]).is_none());
    }

    #[test]
    fn size_defaults_to_the_files() {
        let img = parse(r#"{"name": "a", "layers": [{"files": [{"path": "/x", "size": 20}, {"path": "/y", "text": "hi"}]}]}"#).unwrap();
        assert_eq!(img.size(), 22);
        assert_eq!(img.reference, "a:latest");
        let skel = parse(
            r#"{"name": "b", "distro": "alpine", "layers": [{"created_by": "ADD rootfs /"}]}"#,
        )
        .unwrap();
        assert!(skel.estimated && skel.files().any(|f| f.path == "/sbin/apk"));
    }
}
