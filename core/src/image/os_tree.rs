//! The operating-system layer of each family: Debian/Ubuntu (dash, coreutils, dpkg + apt with
//! the docker-* apt configs, merged /usr from Debian 12), Alpine (busybox applets, apk),
//! busybox, distroless. Nominal binary sizes; `LayerBuilder::finish` fills the layer's rest.

use super::skeleton::{nominal_size, LayerBuilder, SkeletonCtx};
use super::texts::*;
use super::{lab_busybox, BaseFile, Distro};

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

pub(super) fn os_layer(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
    match ctx.distro {
        Distro::Alpine => alpine_os(ctx, b),
        Distro::Busybox => busybox_os(ctx, b),
        Distro::Distroless => distroless(ctx, b, "static"),
        _ => debian_os(ctx, b),
    }
}

pub(super) fn common_dirs(b: &mut LayerBuilder) {
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

pub(super) fn debian_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
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

pub(super) fn os_release_fields(ctx: &SkeletonCtx) -> (String, &'static str, String, String) {
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

pub(super) fn shadow_for(passwd: &str) -> String {
    passwd
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|u| format!("{u}:*:20000:0:99999:7:::\n"))
        .collect()
}

pub(super) fn alpine_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
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

pub(super) fn busybox_os(ctx: &SkeletonCtx, b: &mut LayerBuilder) -> String {
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

pub(super) fn distroless(ctx: &SkeletonCtx, b: &mut LayerBuilder, kind: &str) -> String {
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
