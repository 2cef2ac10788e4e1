//! A minimal, realistic file tree per image family: the shell (busybox on alpine/busybox, dash
//! on debian/ubuntu), the package manager's files (apk / dpkg + apt), users and groups,
//! os-release, the language runtime on PATH (python, node, go, cargo, java, nginx).
//!
//! The simulated fs needs these to resolve commands and users; their sizes are nominal (close to
//! the real binaries, but not measured here). They never change an image's published size:
//! [`LayerBuilder::finish`] puts the remainder of each layer's size into one opaque
//! `.layerlab-rest-of-layer-N` file in the layer's main directory (and scales the nominal
//! binaries down if a layer is smaller than its skeleton).

use super::os_tree::{distroless, os_layer, shadow_for};
use super::texts::*;
use super::{BaseFile, BaseFileKind, Distro};
use crate::content::{Content, Hasher};

/// What the skeleton of one image needs to know (filled from the catalog row).
#[derive(Debug, Clone)]
pub struct SkeletonCtx {
    pub distro: Distro,
    /// `12 (bookworm)`, `3.22`, `24.04`…
    pub distro_version: String,
    /// `python`, `node`, `golang`… (the catalog family).
    pub family: String,
    /// The runtime version (`3.12.14`, `22.23.2`, `1.23.8`).
    pub version: String,
    /// The config's environment (`YARN_VERSION=…`).
    pub env: Vec<String>,
    /// Identity seed for opaque content (the resolved tag).
    pub seed: String,
    /// A `-slim` variant: dpkg excludes docs, man pages and translations.
    pub slim: bool,
    /// /etc/passwd and /etc/group lines so far (users added by later layers are appended).
    passwd: Vec<String>,
    group: Vec<String>,
}

impl SkeletonCtx {
    pub fn new(
        distro: Distro,
        distro_version: &str,
        family: &str,
        version: &str,
        env: Vec<String>,
        seed: &str,
    ) -> Self {
        let (passwd, group) = base_users(distro, distro_version);
        SkeletonCtx {
            distro,
            distro_version: distro_version.to_string(),
            family: family.to_string(),
            version: version.to_string(),
            env,
            seed: seed.to_string(),
            slim: false,
            passwd: passwd.lines().map(str::to_string).collect(),
            group: group.lines().map(str::to_string).collect(),
        }
    }

    pub(super) fn env(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find_map(|e| e.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
    }

    /// `major.minor` of the runtime version (`3.12.14` → `3.12`).
    pub(super) fn major_minor(&self) -> String {
        self.version
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".")
    }

    pub(super) fn debian_major(&self) -> u32 {
        self.distro_version
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12)
    }

    /// Debian ≥ 12 and all Ubuntu images have merged /usr (`/bin` → `usr/bin`).
    pub(super) fn merged_usr(&self) -> bool {
        match self.distro {
            Distro::Ubuntu => true,
            Distro::Debian => self.debian_major() >= 12,
            _ => false,
        }
    }

    pub(super) fn passwd_text(&self) -> String {
        self.passwd.iter().map(|l| format!("{l}\n")).collect()
    }

    pub(super) fn group_text(&self) -> String {
        self.group.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Adds a system user and its group (as `useradd`/`adduser` in the image's Dockerfile did).
    fn add_user(&mut self, name: &str, uid: u32) {
        let alpine = self.distro == Distro::Alpine;
        let (gecos, home, shell) = match name {
            "node" if alpine => ("Linux User,,,", "/home/node", "/bin/sh"),
            "node" => ("", "/home/node", "/bin/bash"),
            "nginx" if alpine => ("nginx", "/var/cache/nginx", "/sbin/nologin"),
            "nginx" => ("nginx user", "/nonexistent", "/bin/false"),
            "postgres" => ("", "/var/lib/postgresql", "/bin/bash"),
            _ => ("", "/home/redis", "/bin/sh"),
        };
        self.passwd
            .push(format!("{name}:x:{uid}:{uid}:{gecos}:{home}:{shell}"));
        self.group.push(format!("{name}:x:{uid}:"));
    }
}

/// Collects one layer's entries and fills it up to its size.
pub struct LayerBuilder {
    files: Vec<BaseFile>,
    /// Indexes of opaque "binary" files whose nominal size may be scaled down.
    scalable: Vec<usize>,
    seed: String,
}

impl LayerBuilder {
    pub fn new(seed: &str) -> LayerBuilder {
        LayerBuilder {
            files: Vec::new(),
            scalable: Vec::new(),
            seed: seed.to_string(),
        }
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        self.files.push(BaseFile::dir(path, mode));
        self
    }

    pub fn dirs(&mut self, paths: &[&str]) -> &mut Self {
        for p in paths {
            self.dir(p, 0o755);
        }
        self
    }

    pub fn text(&mut self, path: &str, mode: u32, text: &str) -> &mut Self {
        self.files.push(BaseFile::text(path, mode, text));
        self
    }

    pub fn link(&mut self, path: &str, target: &str) -> &mut Self {
        self.files.push(BaseFile::symlink(path, target));
        self
    }

    /// An opaque binary of nominal size (scaled down if the layer is smaller than its skeleton).
    pub fn bin(&mut self, path: &str, nominal: u64) -> &mut Self {
        self.scalable.push(self.files.len());
        let content = Content::opaque(nominal, content_id(&self.seed, path, nominal));
        self.files.push(BaseFile::file(path, 0o755, content));
        self
    }

    /// The entries so far.
    pub fn files(&self) -> &[BaseFile] {
        &self.files
    }

    pub fn push(&mut self, f: BaseFile) -> &mut Self {
        self.files.push(f);
        self
    }

    /// Completes the layer so its regular files sum to exactly `size`: nominal binaries are
    /// scaled down when they do not fit, the remainder goes to `rest_path`.
    pub fn finish(mut self, size: u64, rest_path: &str) -> Vec<BaseFile> {
        let fixed: u64 = self
            .files
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.scalable.contains(i))
            .map(|(_, f)| f.size())
            .sum();
        let nominal: u64 = self
            .scalable
            .iter()
            .filter_map(|&i| self.files.get(i))
            .map(BaseFile::size)
            .sum();
        if fixed + nominal > size {
            // Text files are real bytes; only the nominal binaries shrink (proportionally).
            let room = size.saturating_sub(fixed);
            for &i in &self.scalable {
                if let Some(f) = self.files.get_mut(i) {
                    let scaled = (f.size() as u128 * room as u128 / nominal.max(1) as u128) as u64;
                    f.kind = BaseFileKind::File {
                        content: Content::opaque(scaled, content_id(&self.seed, &f.path, scaled)),
                    };
                }
            }
        }
        let used: u64 = self.files.iter().map(BaseFile::size).sum();
        if used < size {
            let rest = size - used;
            let content = Content::opaque(rest, content_id(&self.seed, rest_path, rest));
            self.files.push(BaseFile::file(rest_path, 0o644, content));
        }
        // A text file bigger than a tiny layer cannot be shrunk: drop text files that overflow.
        while self.files.iter().map(BaseFile::size).sum::<u64>() > size {
            match self.files.iter().rposition(|f| f.size() > 0) {
                Some(i) => {
                    self.files.remove(i);
                }
                None => break,
            }
        }
        let used: u64 = self.files.iter().map(BaseFile::size).sum();
        if used < size {
            let rest = size - used;
            let content = Content::opaque(rest, content_id(&self.seed, rest_path, rest));
            self.files.retain(|f| f.path != rest_path);
            self.files.push(BaseFile::file(rest_path, 0o644, content));
        }
        self.files
    }
}

fn content_id(seed: &str, path: &str, size: u64) -> u64 {
    let mut h = Hasher::new();
    h.write_str(seed);
    h.write_str(path);
    h.write(&size.to_le_bytes());
    h.finish() as u64
}

/// The files of one content layer, from its catalog role:
/// `os`, `apt:<cmds>`, `apk:<cmds>`, `python`, `python-links`, `pip`, `node`, `yarn`,
/// `user:<name>:<uid>[+<role>]`, `copy:<path>`, `go`, `gopath`, `rust`, `java`, `redis`,
/// `postgres`, `distroless:<kind>`, `rest`.
pub fn layer_files(
    ctx: &mut SkeletonCtx,
    role: &str,
    created_by: &str,
    size: u64,
    layer_no: usize,
) -> Vec<BaseFile> {
    let mut b = LayerBuilder::new(&format!("{}#{layer_no}", ctx.seed));
    let rest_dir = fill_role(ctx, &mut b, role, created_by);
    let rest = format!("{rest_dir}/.layerlab-rest-of-layer-{layer_no}");
    b.finish(size, &rest)
}

/// A role's files at their nominal sizes, with no filling (for user-defined images without a size).
pub fn role_files(ctx: &mut SkeletonCtx, role: &str, created_by: &str) -> Vec<BaseFile> {
    let mut b = LayerBuilder::new(&ctx.seed.clone());
    fill_role(ctx, &mut b, role, created_by);
    b.files
}

/// Adds a role's files; returns the directory the layer's remaining bytes are attributed to.
fn fill_role(ctx: &mut SkeletonCtx, b: &mut LayerBuilder, role: &str, created_by: &str) -> String {
    let (head, arg) = role.split_once(':').unwrap_or((role, ""));
    match head {
        "os" => os_layer(ctx, b),
        "apt" => {
            // The packages this layer installed, with their (measured) closures, are marked
            // installed the way the apt model checks (`/var/lib/dpkg/info/<pkg>.list`), and
            // their commands exist: a later `apt-get install curl` on node:22 adds nothing.
            let requested: Vec<&str> = arg.split(',').filter(|c| !c.is_empty()).collect();
            for pkg in crate::packages::apt::with_closures(&requested) {
                b.bin(&format!("/var/lib/dpkg/info/{pkg}.list"), 2_000);
                for cmd in crate::packages::apt::commands_of(pkg) {
                    let name = cmd.rsplit('/').next().unwrap_or(cmd);
                    b.bin(cmd, nominal_size(name));
                }
            }
            b.bin("/var/lib/dpkg/status", 120_000);
            "/usr/lib/x86_64-linux-gnu".to_string()
        }
        "apk" => {
            for pkg in arg.split(',').filter(|c| !c.is_empty()) {
                b.text(&format!("/lib/apk/db/.layerlab/{pkg}"), 0o644, "world\n");
                for cmd in crate::packages::apk::commands_of(pkg) {
                    let name = cmd.rsplit('/').next().unwrap_or(cmd);
                    b.bin(cmd, nominal_size(name));
                }
            }
            b.bin("/lib/apk/db/installed", 40_000);
            "/usr/lib".to_string()
        }
        "user" => {
            // `user:node:1000+node`: the user, then optionally another role in the same layer.
            let (user, then) = arg.split_once('+').unwrap_or((arg, ""));
            let (name, uid) = user.split_once(':').unwrap_or((user, "1000"));
            let uid: u32 = uid.parse().unwrap_or(1000);
            ctx.add_user(name, uid);
            let (passwd, group) = (ctx.passwd_text(), ctx.group_text());
            b.text("/etc/passwd", 0o644, &passwd);
            b.text("/etc/group", 0o644, &group);
            // useradd/adduser rewrite the shadow files too.
            b.push(BaseFile::text("/etc/shadow", 0o640, &shadow_for(&passwd)).owned(0, 42));
            if matches!(ctx.distro, Distro::Debian | Distro::Ubuntu) {
                let gshadow: String = group
                    .lines()
                    .filter_map(|l| l.split(':').next())
                    .map(|g| format!("{g}:*::\n"))
                    .collect();
                b.push(BaseFile::text("/etc/gshadow", 0o640, &gshadow).owned(0, 42));
            }
            if name == "node" {
                b.push(BaseFile::dir("/home/node", 0o755).owned(uid, uid));
                if matches!(ctx.distro, Distro::Debian | Distro::Ubuntu) {
                    // `useradd --create-home` copies /etc/skel.
                    for (f, text, size) in [
                        (".bashrc", SKEL_BASHRC, 3_526),
                        (".profile", SKEL_PROFILE, 807),
                        (".bash_logout", SKEL_LOGOUT, 220),
                    ] {
                        b.push(
                            BaseFile::text(
                                &format!("/home/node/{f}"),
                                0o644,
                                &sized_text(text, size),
                            )
                            .owned(uid, uid),
                        );
                    }
                }
            }
            if then.is_empty() {
                "/etc".to_string()
            } else {
                fill_role(ctx, b, then, created_by)
            }
        }
        "copy" => {
            // COPY of one script: the whole layer is that file.
            b.bin(arg, u64::MAX / 4);
            parent(arg).to_string()
        }
        "python" => {
            let mm = ctx.major_minor();
            b.dirs(&["/usr/local/lib", "/usr/local/bin", "/usr/local/include"]);
            b.dir(&format!("/usr/local/lib/python{mm}"), 0o755);
            b.dir(&format!("/usr/local/lib/python{mm}/site-packages"), 0o755);
            b.bin(&format!("/usr/local/bin/python{mm}"), 17_000);
            b.bin(&format!("/usr/local/lib/libpython{mm}.so.1.0"), 24_000_000);
            b.link("/usr/local/bin/python3", &format!("python{mm}"));
            b.link("/usr/local/bin/pydoc3", &format!("pydoc{mm}"));
            b.text(&format!("/usr/local/bin/pydoc{mm}"), 0o755, &format!("#!/usr/local/bin/python{mm}\nimport pydoc\nif __name__ == '__main__':\n    pydoc.cli()\n"));
            if !created_by.contains("get-pip") && ctx.version_at_least(3, 10) {
                pip_files(ctx, b, false);
            }
            format!("/usr/local/lib/python{mm}")
        }
        "pip" => {
            pip_files(ctx, b, true);
            format!("/usr/local/lib/python{}/site-packages", ctx.major_minor())
        }
        "python-links" => {
            for (l, t) in [
                ("python", "python3"),
                ("pydoc", "pydoc3"),
                ("idle", "idle3"),
                ("python-config", "python3-config"),
            ] {
                b.link(&format!("/usr/local/bin/{l}"), t);
            }
            if created_by.contains("pip3") {
                b.link("/usr/local/bin/pip", "pip3");
            }
            "/usr/local/bin".to_string()
        }
        "node" => {
            b.dirs(&[
                "/usr/local/bin",
                "/usr/local/lib",
                "/usr/local/lib/node_modules",
                "/usr/local/lib/node_modules/npm",
                "/usr/local/lib/node_modules/npm/bin",
            ]);
            b.bin("/usr/local/bin/node", 110_000_000);
            b.text(
                "/usr/local/lib/node_modules/npm/bin/npm-cli.js",
                0o755,
                "#!/usr/bin/env node\nrequire('../lib/cli.js')(process)\n",
            );
            b.text(
                "/usr/local/lib/node_modules/npm/bin/npx-cli.js",
                0o755,
                "#!/usr/bin/env node\nrequire('../lib/cli.js')(process)\n",
            );
            b.link(
                "/usr/local/bin/npm",
                "../lib/node_modules/npm/bin/npm-cli.js",
            );
            b.link(
                "/usr/local/bin/npx",
                "../lib/node_modules/npm/bin/npx-cli.js",
            );
            if ctx.version_at_least(16, 0) {
                b.link(
                    "/usr/local/bin/corepack",
                    "../lib/node_modules/corepack/dist/corepack.js",
                );
            }
            "/usr/local/lib/node_modules".to_string()
        }
        "yarn" => {
            let v = ctx.env("YARN_VERSION").unwrap_or("1.22.22").to_string();
            let dir = format!("/opt/yarn-v{v}");
            b.dirs(&["/opt", &dir, &format!("{dir}/bin")]);
            b.text(
                &format!("{dir}/bin/yarn"),
                0o755,
                "#!/bin/sh\nexec node \"$(dirname \"$0\")/yarn.js\" \"$@\"\n",
            );
            b.link("/usr/local/bin/yarn", &format!("{dir}/bin/yarn"));
            b.link("/usr/local/bin/yarnpkg", &format!("{dir}/bin/yarnpkg"));
            dir
        }
        "go" => {
            b.dirs(&[
                "/usr/local/go",
                "/usr/local/go/bin",
                "/usr/local/go/pkg",
                "/usr/local/go/src",
            ]);
            b.bin("/usr/local/go/bin/go", 14_000_000);
            b.bin("/usr/local/go/bin/gofmt", 3_000_000);
            b.text(
                "/usr/local/go/VERSION",
                0o644,
                &format!("go{}\n", ctx.version),
            );
            "/usr/local/go/pkg".to_string()
        }
        "gopath" => {
            let mode = if created_by.contains("1777") {
                0o1777
            } else {
                0o777
            };
            b.dir("/go", mode).dir("/go/src", mode).dir("/go/bin", mode);
            "/go".to_string()
        }
        "rust" => {
            b.dirs(&[
                "/usr/local/cargo",
                "/usr/local/cargo/bin",
                "/usr/local/rustup",
                "/usr/local/rustup/toolchains",
            ]);
            b.bin("/usr/local/cargo/bin/rustup", 15_000_000);
            for p in [
                "cargo",
                "rustc",
                "rustdoc",
                "rustfmt",
                "cargo-fmt",
                "cargo-clippy",
                "clippy-driver",
                "rust-gdb",
                "rust-lldb",
            ] {
                b.link(&format!("/usr/local/cargo/bin/{p}"), "rustup");
            }
            b.bin("/usr/bin/gcc", nominal_size("gcc"));
            b.link("/usr/bin/cc", "gcc");
            format!(
                "/usr/local/rustup/toolchains/{}-x86_64-unknown-linux-gnu",
                ctx.version
            )
        }
        "java" => {
            b.dirs(&[
                "/opt/java",
                "/opt/java/openjdk",
                "/opt/java/openjdk/bin",
                "/opt/java/openjdk/lib",
            ]);
            b.bin("/opt/java/openjdk/bin/java", 12_000);
            if created_by.contains("jdk") || ctx.family_flavour_jdk() {
                for t in ["javac", "jar", "jshell", "javadoc"] {
                    b.bin(&format!("/opt/java/openjdk/bin/{t}"), 12_000);
                }
            }
            "/opt/java/openjdk/lib".to_string()
        }
        "maven" => {
            b.dirs(&[
                "/usr/share/maven",
                "/usr/share/maven/bin",
                "/usr/share/maven/lib",
                "/usr/share/maven/ref",
            ]);
            b.text("/usr/share/maven/bin/mvn", 0o755, "#!/bin/sh\n# Apache Maven start script (layerlab skeleton)\nexec java -classpath \"$MAVEN_HOME/boot/*\" org.codehaus.plexus.classworlds.launcher.Launcher \"$@\"\n");
            "/usr/share/maven/lib".to_string()
        }
        "maven-link" => {
            b.link("/usr/bin/mvn", "/usr/share/maven/bin/mvn");
            "/usr/bin".to_string()
        }
        "redis" => {
            b.bin("/usr/local/bin/redis-server", 10_000_000);
            b.link("/usr/local/bin/redis-cli", "redis-server");
            b.bin("/usr/local/bin/gosu", 2_300_000);
            "/usr/local/bin".to_string()
        }
        "postgres" => {
            let major = ctx.version.split('.').next().unwrap_or("13").to_string();
            let bin = format!("/usr/lib/postgresql/{major}/bin");
            b.dirs(&[
                "/usr/lib/postgresql",
                &format!("/usr/lib/postgresql/{major}"),
                &bin,
            ]);
            for (t, s) in [
                ("postgres", 9_000_000),
                ("psql", 700_000),
                ("initdb", 200_000),
                ("pg_ctl", 100_000),
            ] {
                b.bin(&format!("{bin}/{t}"), s);
            }
            format!("/usr/lib/postgresql/{major}")
        }
        "distroless" => distroless(ctx, b, arg),
        "nginx" => {
            nginx_files(ctx, b);
            "/usr/lib/nginx/modules".to_string()
        }
        _ => {
            // `RUN mkdir /data && chown …`: create the absolute directories it names.
            if created_by.starts_with("RUN mkdir") || created_by.contains("&& mkdir") {
                for w in created_by.split_whitespace() {
                    let w = w.trim_matches('"');
                    if w.starts_with('/') && !w.contains('$') {
                        b.dir(w, 0o755);
                    }
                }
            }
            if let Some(dir) = created_by.strip_prefix("WORKDIR ") {
                b.dir(dir.trim(), 0o755);
            }
            if ctx.family == "nginx" {
                "/usr/lib/nginx/modules".to_string()
            } else {
                "/usr/lib".to_string()
            }
        }
    }
}

/// pip's scripts; `with_pip` also writes plain `pip` (get-pip does; for 3.10+ images the
/// python-links layer makes `pip` a link to `pip3` instead).
fn pip_files(ctx: &SkeletonCtx, b: &mut LayerBuilder, with_pip: bool) {
    let mm = ctx.major_minor();
    let script = format!(
        "#!/usr/local/bin/python{mm}\nimport re, sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.exit(main())\n"
    );
    for name in ["pip", "pip3", &format!("pip{mm}")] {
        if name == "pip" && !with_pip {
            continue;
        }
        b.text(&format!("/usr/local/bin/{name}"), 0o755, &script);
    }
    b.dir(
        &format!("/usr/local/lib/python{mm}/site-packages/pip"),
        0o755,
    );
}

fn nginx_files(ctx: &SkeletonCtx, b: &mut LayerBuilder) {
    let _ = ctx;
    b.dirs(&[
        "/etc/nginx",
        "/etc/nginx/conf.d",
        "/usr/share/nginx",
        "/usr/share/nginx/html",
        "/var/cache/nginx",
        "/var/log/nginx",
        "/usr/lib/nginx",
        "/usr/lib/nginx/modules",
    ]);
    b.bin("/usr/sbin/nginx", 1_400_000);
    b.text("/etc/nginx/nginx.conf", 0o644, NGINX_CONF);
    b.text("/etc/nginx/conf.d/default.conf", 0o644, NGINX_DEFAULT_CONF);
    b.text("/usr/share/nginx/html/index.html", 0o644, NGINX_INDEX);
    b.link("/var/log/nginx/access.log", "/dev/stdout");
    b.link("/var/log/nginx/error.log", "/dev/stderr");
}

impl SkeletonCtx {
    pub(super) fn version_at_least(&self, major: u64, minor: u64) -> bool {
        let mut it = self
            .version
            .split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let (a, b) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
        (a, b) >= (major, minor)
    }

    /// JDK (not JRE) images: eclipse-temurin's `-jdk` builds and maven (built on them).
    pub(super) fn family_flavour_jdk(&self) -> bool {
        self.seed.contains("jdk") || self.seed.starts_with("maven:")
    }
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Nominal sizes of common binaries (approximate, Debian 12 amd64; default 100 kB).
pub(super) fn nominal_size(cmd: &str) -> u64 {
    match cmd {
        "bash" => 1_265_648,
        "dash" => 125_560,
        "ls" => 151_344,
        "cp" => 151_152,
        "mv" => 147_056,
        "cat" => 44_016,
        "curl" => 285_000,
        "wget" => 520_000,
        "git" => 4_000_000,
        "gcc" => 1_300_000,
        "g++" => 1_300_000,
        "make" => 250_000,
        "ssh" => 850_000,
        "gpg" => 1_100_000,
        "perl" => 3_900_000,
        "apt" | "apt-get" | "apt-cache" => 20_000,
        "dpkg" => 310_000,
        _ => 60_000,
    }
}

/// Files of the unknown-image placeholder: a shell, root user, usual directories.
pub fn placeholder_files() -> Vec<BaseFile> {
    let ctx = SkeletonCtx::new(
        Distro::Debian,
        "12 (bookworm)",
        "unknown",
        "",
        Vec::new(),
        "placeholder",
    );
    let mut b = LayerBuilder::new("placeholder");
    b.dirs(&[
        "/bin",
        "/etc",
        "/usr",
        "/usr/bin",
        "/usr/local",
        "/usr/local/bin",
        "/var",
    ]);
    b.dir("/root", 0o700);
    b.dir("/tmp", 0o1777);
    b.bin("/bin/dash", nominal_size("dash"));
    b.link("/bin/sh", "dash");
    b.text("/etc/passwd", 0o644, &ctx.passwd_text());
    b.text("/etc/group", 0o644, &ctx.group_text());
    b.files
}
