//! Base images: the catalog (scratch, lab/busybox, official images with published sizes) and image configs.
//!
//! - [`config`]: [`ImageConfig`], the config JSON as Docker stores it;
//! - [`reference`]: parsing and normalising what follows `FROM` (`python` → `python:latest`);
//! - [`lab_busybox`]: the two deterministic images of the BuildKit truth scenarios, exact;
//! - [`catalog`] + `catalog.tsv`: official images with published sizes (our own distilled table);
//! - [`skeleton`]: a minimal, realistic file tree per image family (shell, users, package manager);
//! - [`custom`]: user-defined base images read from the virtual build context.
//!
//! A [`BaseImage`]'s content layers carry their files, and each layer's regular-file bytes sum
//! exactly to its size (an opaque "rest of the layer" file takes what the skeleton leaves), so
//! an image built on it shows the published total.

pub mod catalog;
pub mod config;
pub mod custom;
pub mod lab_busybox;
pub mod official;
mod os_tree;
pub mod reference;
pub mod skeleton;
mod texts;

pub use catalog::{lookup, placeholder};
pub use config::{Healthcheck, ImageConfig};
pub use reference::{ImageRef, RefError};

use crate::content::Content;
use std::sync::Arc;

/// What a base-image file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseFileKind {
    File { content: Content },
    Dir,
    Symlink { target: String },
}

/// One entry of a base layer (absolute path, e.g. `/bin/busybox`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseFile {
    pub path: String,
    pub kind: BaseFileKind,
    /// Permission bits only (e.g. `0o755`), no file-type bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl BaseFile {
    pub fn dir(path: &str, mode: u32) -> BaseFile {
        BaseFile {
            path: path.to_string(),
            kind: BaseFileKind::Dir,
            mode,
            uid: 0,
            gid: 0,
        }
    }

    pub fn file(path: &str, mode: u32, content: Content) -> BaseFile {
        BaseFile {
            path: path.to_string(),
            kind: BaseFileKind::File { content },
            mode,
            uid: 0,
            gid: 0,
        }
    }

    pub fn text(path: &str, mode: u32, text: &str) -> BaseFile {
        BaseFile::file(path, mode, Content::from_text(text))
    }

    pub fn symlink(path: &str, target: &str) -> BaseFile {
        BaseFile {
            path: path.to_string(),
            kind: BaseFileKind::Symlink {
                target: target.to_string(),
            },
            mode: 0o777,
            uid: 0,
            gid: 0,
        }
    }

    pub fn owned(mut self, uid: u32, gid: u32) -> BaseFile {
        self.uid = uid;
        self.gid = gid;
        self
    }

    /// Bytes this entry counts for in a layer's size (regular files only, as Docker counts).
    pub fn size(&self) -> u64 {
        match &self.kind {
            BaseFileKind::File { content } => content.len(),
            _ => 0,
        }
    }
}

/// One history row of a base image (`docker history`, oldest first). Rows with
/// `empty_layer` carry no files and size 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseLayer {
    pub created_by: String,
    /// The history comment (e.g. `lab base image lab/busybox:1`, `buildkit.dockerfile.v0`).
    pub comment: String,
    /// Uncompressed bytes (sum of the regular files of `files`).
    pub size: u64,
    /// The registry blob size when published (repo-info), `None` when unknown or empty.
    pub compressed_size: Option<u64>,
    pub empty_layer: bool,
    /// The layer's entries (empty for `empty_layer` rows); shared, so the memoised lookup of an
    /// image (catalog.rs) hands out copies without copying thousands of entries.
    pub files: Arc<[BaseFile]>,
}

impl BaseLayer {
    /// A metadata-only history row (ENV, CMD, LABEL...).
    pub fn metadata(created_by: &str) -> BaseLayer {
        BaseLayer {
            created_by: created_by.to_string(),
            comment: String::new(),
            size: 0,
            compressed_size: None,
            empty_layer: true,
            files: Arc::from(Vec::new()),
        }
    }

    /// A content layer; its size is the sum of its files.
    pub fn content(
        created_by: &str,
        comment: &str,
        files: Vec<BaseFile>,
        compressed_size: Option<u64>,
    ) -> BaseLayer {
        let size = files.iter().map(BaseFile::size).sum();
        BaseLayer {
            created_by: created_by.to_string(),
            comment: comment.to_string(),
            size,
            compressed_size,
            empty_layer: false,
            files: files.into(),
        }
    }
}

/// The operating system family of an image (drives the file skeleton and package manager).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distro {
    Debian,
    Ubuntu,
    Alpine,
    Busybox,
    Distroless,
    Scratch,
    Unknown,
}

impl Distro {
    pub fn name(self) -> &'static str {
        match self {
            Distro::Debian => "debian",
            Distro::Ubuntu => "ubuntu",
            Distro::Alpine => "alpine",
            Distro::Busybox => "busybox",
            Distro::Distroless => "distroless",
            Distro::Scratch => "scratch",
            Distro::Unknown => "unknown",
        }
    }

    pub fn from_name(name: &str) -> Distro {
        match name {
            "debian" => Distro::Debian,
            "ubuntu" => Distro::Ubuntu,
            "alpine" => Distro::Alpine,
            "busybox" => Distro::Busybox,
            "distroless" => Distro::Distroless,
            "scratch" => Distro::Scratch,
            _ => Distro::Unknown,
        }
    }
}

/// A base image the simulator can start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    /// Normalised `name:tag` as asked (`python:3.12-slim`, `lab/busybox:1`, `scratch`).
    pub reference: String,
    /// What the tag pointed to in the data used (`python:3.12.13-slim-trixie`).
    pub resolved: String,
    /// History rows oldest first, base rows of the base's own bases included.
    pub layers: Vec<BaseLayer>,
    pub config: ImageConfig,
    pub distro: Distro,
    /// e.g. `12 (bookworm)`, `3.22`, `1.35.0`; empty when unknown.
    pub distro_version: String,
    /// True when the image's total size is an estimate (tag not in the published data, a
    /// placeholder, or a user-defined image).
    pub estimated: bool,
    /// True when the per-layer split is an estimate (repo-info publishes only totals on disk).
    pub layer_sizes_estimated: bool,
    /// Which figures are estimates and where the numbers come from, for people.
    pub note: String,
    /// The cited source of the figures (repo-info file and commit, truth README ...).
    pub source: String,
}

impl BaseImage {
    /// The fully qualified name BuildKit prints in `FROM` steps (`docker.io/library/python:3.12`).
    pub fn canonical_reference(&self) -> String {
        reference::canonical(&self.reference)
    }

    /// Total uncompressed size (sum of the layers), what `docker images` shows.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// Total compressed (pull) size when every content layer's blob size is known.
    pub fn compressed_size(&self) -> Option<u64> {
        self.content_layers().map(|l| l.compressed_size).sum()
    }

    /// Layers that hold files (not `empty_layer` rows), oldest first.
    pub fn content_layers(&self) -> impl Iterator<Item = &BaseLayer> {
        self.layers.iter().filter(|l| !l.empty_layer)
    }

    pub fn layer_count(&self) -> usize {
        self.content_layers().count()
    }

    /// The file entries of each content layer, oldest first (what the fs turns into layers).
    pub fn layer_files(&self) -> Vec<&[BaseFile]> {
        self.content_layers().map(|l| &l.files[..]).collect()
    }

    /// All entries of all layers, later layers after earlier ones.
    pub fn files(&self) -> impl Iterator<Item = &BaseFile> {
        self.content_layers().flat_map(|l| l.files.iter())
    }

    /// True for `scratch` (no layer, no config).
    pub fn is_scratch(&self) -> bool {
        self.distro == Distro::Scratch
    }
}

/// The answer of [`lookup`]. (Not boxed: one lookup per FROM, and callers match on it.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(BaseImage),
    /// Not in the catalog (or not a valid reference): `message` says why, like a registry miss
    /// would; `suggestion` is the closest known reference ("did you mean").
    Unknown {
        reference: String,
        message: String,
        suggestion: Option<String>,
    },
}

impl Lookup {
    pub fn found(self) -> Option<BaseImage> {
        match self {
            Lookup::Found(i) => Some(i),
            Lookup::Unknown { .. } => None,
        }
    }
}
