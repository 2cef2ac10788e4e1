//! A minimal, realistic file tree per image family: the shell (busybox on alpine/busybox, dash
//! on debian/ubuntu), the package manager's files (apk / dpkg + apt), users and groups,
//! os-release, the language runtime on PATH (python, node, go, cargo, java, nginx).
//!
//! The simulated fs needs these to resolve commands and users; their sizes are nominal (close to
//! the real binaries, but not measured here). They never change an image's published size:
//! [`LayerBuilder::finish`] puts the remainder of each layer's size into one opaque
//! `.layerlab-rest-of-layer-N` file in the layer's main directory (and scales the nominal
//! binaries down if a layer is smaller than its skeleton).

use super::lab_busybox;
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

    fn env(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find_map(|e| e.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
    }

    /// `major.minor` of the runtime version (`3.12.14` → `3.12`).
    fn major_minor(&self) -> String {
        self.version
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".")
    }

    fn debian_major(&self) -> u32 {
        self.distro_version
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12)
    }

    /// Debian ≥ 12 and all Ubuntu images have merged /usr (`/bin` → `usr/bin`).
    fn merged_usr(&self) -> bool {
        match self.distro {
            Distro::Ubuntu => true,
            Distro::Debian => self.debian_major() >= 12,
            _ => false,
        }
    }

    fn passwd_text(&self) -> String {
        self.passwd.iter().map(|l| format!("{l}\n")).collect()
    }

    fn group_text(&self) -> String {
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
    fn version_at_least(&self, major: u64, minor: u64) -> bool {
        let mut it = self
            .version
            .split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let (a, b) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
        (a, b) >= (major, minor)
    }

    /// JDK (not JRE) images: eclipse-temurin's `-jdk` builds and maven (built on them).
    fn family_flavour_jdk(&self) -> bool {
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
fn nominal_size(cmd: &str) -> u64 {
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

/// Commands every Debian/Ubuntu image has in /usr/bin (coreutils, util-linux, grep, sed…).
const DEBIAN_BIN: &str = "bash cat chgrp chmod chown cp date dd df dir echo false ln ls mkdir mknod mktemp mv pwd readlink rm rmdir sleep \
stty sync touch true uname vdir grep egrep fgrep sed tar gzip gunzip zcat hostname login more mount umount su wc head tail tr cut sort uniq \
xargs find env id whoami tee du basename dirname nproc expr seq test [ printf stat md5sum sha256sum base64 install realpath timeout \
yes nohup nice chroot awk mawk diff cmp perl dpkg dpkg-query dpkg-deb dpkg-divert apt apt-get apt-cache apt-config apt-mark getent \
which run-parts tempfile savelog";

const DEBIAN_SBIN: &str = "useradd groupadd usermod userdel groupdel adduser addgroup deluser delgroup chpasswd ldconfig start-stop-daemon";

/// Commands an Alpine image has as busybox applets, by directory.
const ALPINE_BIN: &str = "ash cat chgrp chmod chown cp date dd df echo egrep false fgrep grep gunzip gzip hostname kill ln login ls mkdir \
mknod mktemp more mount mv netstat nice pidof ping ps pwd rm rmdir sed sleep stat su sync tar touch true umount uname usleep watch zcat";
const ALPINE_USR_BIN: &str = "env wget which wc head tail tr cut sort uniq xargs find awk id whoami tee du basename dirname nproc expr seq \
test [ [[ printf md5sum sha256sum base64 install realpath timeout yes nohup less vi unzip nc nslookup diff cmp getent";
const ALPINE_SBIN: &str = "adduser addgroup deluser delgroup chroot";

fn os_layer(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
    match ctx.distro {
        Distro::Alpine => alpine_os(ctx, b),
        Distro::Busybox => busybox_os(ctx, b),
        Distro::Distroless => distroless(ctx, b, "static"),
        _ => debian_os(ctx, b),
    }
}

fn common_dirs(b: &mut LayerBuilder) {
    b.dirs(&[
        "/dev",
        "/etc",
        "/home",
        "/media",
        "/mnt",
        "/opt",
        "/proc",
        "/run",
        "/srv",
        "/sys",
        "/usr",
        "/usr/local",
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/local/lib",
        "/usr/local/share",
        "/var",
        "/var/log",
        "/var/lib",
        "/var/cache",
    ]);
    b.dir("/root", 0o700);
    b.dir("/tmp", 0o1777);
    b.dir("/var/tmp", 0o1777);
}

fn debian_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
    common_dirs(b);
    b.dirs(&[
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/lib/x86_64-linux-gnu",
        "/boot",
    ]);
    if ctx.merged_usr() {
        b.link("/bin", "usr/bin")
            .link("/sbin", "usr/sbin")
            .link("/lib", "usr/lib")
            .link("/lib64", "usr/lib64");
        b.dir("/usr/lib64", 0o755);
    } else {
        b.dirs(&["/bin", "/sbin", "/lib", "/lib64"]);
    }
    // Where a command lives: /usr/bin when merged (reached through /bin too), else /bin.
    let bindir = if ctx.merged_usr() { "/usr/bin" } else { "/bin" };
    for cmd in DEBIAN_BIN.split_ascii_whitespace() {
        let dir = if [
            "apt",
            "apt-get",
            "apt-cache",
            "apt-config",
            "apt-mark",
            "perl",
            "dpkg-query",
            "dpkg-deb",
            "dpkg-divert",
            "awk",
            "mawk",
            "diff",
            "cmp",
            "find",
            "xargs",
            "env",
            "id",
            "whoami",
            "tee",
            "du",
            "basename",
            "dirname",
            "nproc",
            "expr",
            "seq",
            "test",
            "[",
            "printf",
            "stat",
            "md5sum",
            "sha256sum",
            "base64",
            "install",
            "realpath",
            "timeout",
            "yes",
            "nohup",
            "nice",
            "chroot",
            "head",
            "tail",
            "tr",
            "cut",
            "sort",
            "uniq",
            "wc",
            "getent",
            "which",
            "tempfile",
            "savelog",
        ]
        .contains(&cmd)
        {
            "/usr/bin"
        } else {
            bindir
        };
        if cmd == "awk" {
            b.link("/usr/bin/awk", "/etc/alternatives/awk");
            continue;
        }
        b.bin(&format!("{dir}/{cmd}"), nominal_size(cmd));
    }
    b.bin(&format!("{bindir}/dash"), nominal_size("dash"));
    b.link(&format!("{bindir}/sh"), "dash");
    b.link("/etc/alternatives/awk", "/usr/bin/mawk");
    for cmd in DEBIAN_SBIN.split_ascii_whitespace() {
        b.bin(&format!("/usr/sbin/{cmd}"), nominal_size(cmd));
    }
    b.bin("/usr/lib/x86_64-linux-gnu/libc.so.6", 1_922_136);
    let (passwd, group) = (ctx.passwd_text(), ctx.group_text());
    b.text("/etc/passwd", 0o644, &passwd);
    b.text("/etc/group", 0o644, &group);
    // Account files as Debian ships them: shadow/gshadow 0640 root:shadow(42), empty subuid/
    // subgid and login logs (useradd appends to all of them).
    b.push(BaseFile::text("/etc/shadow", 0o640, &shadow_for(&passwd)).owned(0, 42));
    let gshadow: String = group
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|g| format!("{g}:*::\n"))
        .collect();
    b.push(BaseFile::text("/etc/gshadow", 0o640, &gshadow).owned(0, 42));
    let sub = if passwd.contains("\nubuntu:") {
        "ubuntu:100000:65536\n"
    } else {
        ""
    };
    b.text("/etc/subuid", 0o644, sub);
    b.text("/etc/subgid", 0o644, sub);
    b.push(BaseFile::text("/var/log/lastlog", 0o664, "").owned(0, 43));
    b.text("/var/log/faillog", 0o644, "");
    b.text("/etc/hostname", 0o644, "");
    b.dirs(&[
        "/etc/apt",
        "/etc/apt/apt.conf.d",
        "/etc/apt/sources.list.d",
        "/etc/apt/trusted.gpg.d",
        "/etc/dpkg",
        "/etc/alternatives",
        "/etc/skel",
        "/etc/profile.d",
    ]);
    b.dirs(&[
        "/var/lib/apt",
        "/var/lib/apt/lists",
        "/var/cache/apt",
        "/var/cache/apt/archives",
        "/var/lib/dpkg",
        "/var/lib/dpkg/info",
        "/var/cache/debconf",
    ]);
    b.dir("/var/lib/apt/lists/partial", 0o700);
    b.dir("/var/cache/apt/archives/partial", 0o700);
    b.bin("/var/lib/dpkg/status", 90_000);
    // /etc/skel and root's dotfiles at their real sizes (bash 5.2 / Ubuntu's longer .bashrc):
    // `useradd -m` copies the skel files, so a user's home layer weighs what it does for real.
    let skel_bashrc = if ctx.distro == Distro::Ubuntu {
        3_771
    } else {
        3_526
    };
    b.text(
        "/etc/skel/.bashrc",
        0o644,
        &sized_text(SKEL_BASHRC, skel_bashrc),
    );
    b.text("/etc/skel/.profile", 0o644, &sized_text(SKEL_PROFILE, 807));
    b.text(
        "/etc/skel/.bash_logout",
        0o644,
        &sized_text(SKEL_LOGOUT, 220),
    );
    b.text("/root/.bashrc", 0o644, &sized_text(SKEL_BASHRC, 571));
    b.text("/root/.profile", 0o644, &sized_text(SKEL_PROFILE, 161));
    let (pretty, id, version_id, codename) = os_release_fields(ctx);
    let os_release = format!(
        "PRETTY_NAME=\"{pretty}\"\nNAME=\"{}\"\nVERSION_ID=\"{version_id}\"\nVERSION_CODENAME={codename}\nID={id}\n",
        if id == "ubuntu" { "Ubuntu" } else { "Debian GNU/Linux" }
    );
    b.text("/usr/lib/os-release", 0o644, &os_release);
    b.link("/etc/os-release", "../usr/lib/os-release");
    if ctx.distro == Distro::Debian {
        b.text("/etc/debian_version", 0o644, &format!("{version_id}\n"));
        if ctx.debian_major() >= 12 {
            b.text("/etc/apt/sources.list.d/debian.sources", 0o644, &format!(
                "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: {codename} {codename}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: {codename}-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            ));
        } else {
            b.text("/etc/apt/sources.list", 0o644, &format!(
                "deb http://deb.debian.org/debian {codename} main\ndeb http://deb.debian.org/debian-security {codename}-security main\ndeb http://deb.debian.org/debian {codename}-updates main\n"
            ));
        }
    } else {
        b.text("/etc/apt/sources.list", 0o644, &format!(
            "deb http://archive.ubuntu.com/ubuntu/ {codename} main restricted universe multiverse\ndeb http://security.ubuntu.com/ubuntu/ {codename}-security main restricted universe multiverse\n"
        ));
    }
    // The docker-* apt configs debuerreotype ships (package-sizes README, "apt metadata").
    b.text("/etc/apt/apt.conf.d/docker-clean", 0o644, "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\nAPT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\nDir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n");
    b.text(
        "/etc/apt/apt.conf.d/docker-gzip-indexes",
        0o644,
        "Acquire::GzipIndexes \"true\";\n",
    );
    b.text(
        "/etc/apt/apt.conf.d/docker-no-languages",
        0o644,
        "Acquire::Languages \"none\";\n",
    );
    b.text(
        "/etc/apt/apt.conf.d/docker-autoremove-suggests",
        0o644,
        "Apt::AutoRemove::SuggestsImportant \"false\";\n",
    );
    // The slim variants' dpkg excludes (debuerreotype `slimify`); Ubuntu images are minimized
    // the same way (`unminimize` undoes it). The apt model keeps docs only without them.
    if ctx.distro == Distro::Ubuntu {
        b.text("/etc/dpkg/dpkg.cfg.d/excludes", 0o644, DPKG_EXCLUDES);
    } else if ctx.slim {
        b.text("/etc/dpkg/dpkg.cfg.d/docker", 0o644, DPKG_EXCLUDES);
    }
    "/usr/lib/x86_64-linux-gnu".to_string()
}

fn os_release_fields(ctx: &SkeletonCtx) -> (String, &'static str, String, String) {
    let dv = &ctx.distro_version;
    if ctx.distro == Distro::Ubuntu {
        let codename = match dv.as_str() {
            "20.04" => "focal",
            "22.04" => "jammy",
            "24.04" => "noble",
            "26.04" => "resolute",
            _ => "noble",
        };
        return (
            format!("Ubuntu {dv} LTS"),
            "ubuntu",
            dv.clone(),
            codename.to_string(),
        );
    }
    let major = ctx.debian_major();
    let codename = dv
        .split('(')
        .nth(1)
        .map(|s| s.trim_end_matches(')').to_string())
        .unwrap_or_else(|| "bookworm".into());
    (
        format!("Debian GNU/Linux {major} ({codename})"),
        "debian",
        major.to_string(),
        codename,
    )
}

fn shadow_for(passwd: &str) -> String {
    passwd
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|u| format!("{u}:*:20000:0:99999:7:::\n"))
        .collect()
}

fn alpine_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
    common_dirs(b);
    b.dirs(&[
        "/bin",
        "/sbin",
        "/lib",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/etc/apk",
        "/etc/apk/keys",
        "/lib/apk",
        "/lib/apk/db",
        "/var/cache/apk",
        "/etc/profile.d",
    ]);
    b.bin("/bin/busybox", 800_000);
    for a in ALPINE_BIN.split_ascii_whitespace() {
        b.link(&format!("/bin/{a}"), "/bin/busybox");
    }
    b.link("/bin/sh", "/bin/busybox");
    for a in ALPINE_USR_BIN.split_ascii_whitespace() {
        b.link(&format!("/usr/bin/{a}"), "/bin/busybox");
    }
    for a in ALPINE_SBIN.split_ascii_whitespace() {
        b.link(&format!("/usr/sbin/{a}"), "/bin/busybox");
    }
    b.bin("/sbin/apk", 70_000);
    b.bin("/lib/ld-musl-x86_64.so.1", 650_000);
    b.link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1");
    b.bin("/lib/apk/db/installed", 20_000);
    let v = &ctx.distro_version;
    let branch: String = v.split('.').take(2).collect::<Vec<_>>().join(".");
    b.text("/etc/apk/repositories", 0o644, &format!("https://dl-cdn.alpinelinux.org/alpine/v{branch}/main\nhttps://dl-cdn.alpinelinux.org/alpine/v{branch}/community\n"));
    b.text(
        "/etc/apk/world",
        0o644,
        "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n",
    );
    b.text("/etc/apk/arch", 0o644, "x86_64\n");
    b.text("/etc/alpine-release", 0o644, &format!("{v}\n"));
    b.text("/etc/os-release", 0o644, &format!(
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={v}\nPRETTY_NAME=\"Alpine Linux v{branch}\"\nHOME_URL=\"https://alpinelinux.org/\"\n"
    ));
    let passwd = ctx.passwd_text();
    b.text("/etc/passwd", 0o644, &passwd);
    b.text("/etc/group", 0o644, &ctx.group_text());
    b.push(BaseFile::text("/etc/shadow", 0o640, &shadow_for(&passwd)).owned(0, 42));
    "/lib".to_string()
}

fn busybox_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
    b.dirs(&[
        "/bin",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/proc",
        "/sys",
        "/usr",
        "/usr/sbin",
        "/var",
        "/var/spool",
        "/var/spool/mail",
        "/var/www",
    ]);
    b.dir("/root", 0o700);
    b.dir("/tmp", 0o1777);
    b.bin("/bin/busybox", 1_100_000);
    for a in lab_busybox::applets() {
        b.link(&format!("/bin/{a}"), "busybox");
    }
    b.text("/etc/passwd", 0o644, &ctx.passwd_text());
    b.text("/etc/group", 0o644, &ctx.group_text());
    "/lib".to_string()
}

fn distroless(ctx: &SkeletonCtx, b: &mut LayerBuilder, kind: &str) -> String {
    b.dirs(&[
        "/etc",
        "/etc/ssl",
        "/etc/ssl/certs",
        "/usr",
        "/usr/share",
        "/usr/share/zoneinfo",
        "/var",
        "/bin",
        "/sbin",
        "/usr/bin",
        "/lib",
        "/usr/lib",
    ]);
    b.dir("/root", 0o700);
    b.dir("/tmp", 0o1777);
    b.dir("/home", 0o755);
    b.push(BaseFile::dir("/home/nonroot", 0o700).owned(65532, 65532));
    b.text("/etc/passwd", 0o644, &ctx.passwd_text());
    b.text("/etc/group", 0o644, &ctx.group_text());
    let major = ctx.debian_major();
    b.text("/etc/os-release", 0o644, &format!("PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"{major}\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n"));
    b.bin("/etc/ssl/certs/ca-certificates.crt", 220_000);
    if kind != "static" {
        b.dir("/lib/x86_64-linux-gnu", 0o755);
        b.bin("/lib/x86_64-linux-gnu/libc.so.6", 1_922_136);
        b.bin("/lib64/ld-linux-x86-64.so.2", 210_000);
    }
    match kind {
        "cc" => {
            b.bin("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", 2_300_000);
        }
        "python3" => {
            b.bin("/usr/bin/python3.11", 6_800_000);
            b.link("/usr/bin/python3", "python3.11");
        }
        "nodejs" => {
            b.dirs(&["/nodejs", "/nodejs/bin"]);
            b.bin("/nodejs/bin/node", 110_000_000);
        }
        "java" => {
            b.dirs(&[
                "/usr/lib/jvm",
                "/usr/lib/jvm/temurin21_jre_amd64",
                "/usr/lib/jvm/temurin21_jre_amd64/bin",
            ]);
            b.bin("/usr/lib/jvm/temurin21_jre_amd64/bin/java", 12_000);
            b.link("/usr/bin/java", "/usr/lib/jvm/temurin21_jre_amd64/bin/java");
        }
        _ => {}
    }
    "/usr/lib".to_string()
}

/// /etc/passwd and /etc/group of each family's base (the usual system users).
fn base_users(distro: Distro, distro_version: &str) -> (&'static str, &'static str) {
    match distro {
        Distro::Alpine => (ALPINE_PASSWD, ALPINE_GROUP),
        Distro::Busybox => (BUSYBOX_PASSWD, BUSYBOX_GROUP),
        Distro::Distroless => (DISTROLESS_PASSWD, DISTROLESS_GROUP),
        // Ubuntu 23.04+ images ship a `ubuntu` user with uid 1000.
        Distro::Ubuntu if distro_version >= "23.04" => (UBUNTU_NOBLE_PASSWD, UBUNTU_NOBLE_GROUP),
        _ => (DEBIAN_PASSWD, DEBIAN_GROUP),
    }
}

const DEBIAN_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
";

const DEBIAN_GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
";

const UBUNTU_NOBLE_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash
";

const UBUNTU_NOBLE_GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:ubuntu
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:ubuntu
cdrom:x:24:ubuntu
floppy:x:25:ubuntu
sudo:x:27:ubuntu
audio:x:29:ubuntu
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:ubuntu
plugdev:x:46:ubuntu
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
ubuntu:x:1000:
";

const ALPINE_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
";

const ALPINE_GROUP: &str = "root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
";

const BUSYBOX_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
";

const BUSYBOX_GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
";

const DISTROLESS_PASSWD: &str = "root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
";

const DISTROLESS_GROUP: &str = "root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
";

const DPKG_EXCLUDES: &str = "# Drop docs, man pages and translations (slim image)\npath-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/groff/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/linda/*\npath-exclude /usr/share/lintian/overrides/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\npath-exclude /usr/share/man/*\n";

const SKEL_LOGOUT: &str = "# ~/.bash_logout: executed by bash(1) when login shell exits.\n\n# when leaving the console clear the screen to increase privacy\n\nif [ \"$SHLVL\" = 1 ]; then\n    [ -x /usr/bin/clear_console ] && /usr/bin/clear_console -q\nfi\n";

/// `text` cut or padded with comment lines to exactly `size` bytes (real files' sizes, our
/// own shortened content).
fn sized_text(text: &str, size: usize) -> String {
    let mut out: String = text.chars().take(size).collect();
    while out.len() > size {
        out.pop();
    }
    while out.len() < size {
        let room = size - out.len();
        if room >= 2 {
            out.push('#');
            out.push_str(&" ".repeat(room.min(72) - 2));
            out.push('\n');
        } else {
            out.push('\n');
        }
    }
    out
}

const SKEL_BASHRC: &str = "# ~/.bashrc: executed by bash(1) for non-login shells.\n\n# If not running interactively, don't do anything\n[ -z \"$PS1\" ] && return\n\nHISTCONTROL=ignoreboth\nshopt -s histappend\nHISTSIZE=1000\nHISTFILESIZE=2000\nshopt -s checkwinsize\n";
const SKEL_PROFILE: &str = "# ~/.profile: executed by the command interpreter for login shells.\n\nif [ -n \"$BASH_VERSION\" ]; then\n    if [ -f \"$HOME/.bashrc\" ]; then\n        . \"$HOME/.bashrc\"\n    fi\nfi\n\nif [ -d \"$HOME/bin\" ] ; then\n    PATH=\"$HOME/bin:$PATH\"\nfi\n";

const NGINX_CONF: &str = "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n";
const NGINX_DEFAULT_CONF: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n";
const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";

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
