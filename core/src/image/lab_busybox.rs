//! `lab/busybox:1` and `lab/busybox:2`: the two deterministic base images every BuildKit truth
//! scenario starts from, reproduced exactly (../shared/buildkit-truth/README.md, "The base
//! images"): one layer, empty config, and these files:
//!
//! - `/bin/busybox`: Debian `busybox-static` 1:1.35.0-4+deb12u1 (1982256 B, sha256 3d9f2889d678…);
//! - `:1`: 18 symlinks to it in `/bin` (`adduser`/`addgroup` are dead: this busybox has no such
//!   applet); `:2`: one symlink per applet, all 268 (`busybox --list` of that binary minus
//!   `busybox` itself);
//! - `/etc/passwd` (30 B, root only), `/etc/group` (10 B), `/tmp` 0755 (not 1777);
//! - `:2` only: `/etc/lab-release` = `lab/busybox:2\n` (14 B).
//!
//! Sizes: 1982256 + 30 + 10 = 1982296 (`:1`), + 14 = 1982310 (`:2`). The history row texts are
//! the ones recorded in the truth files (`history_oldest_first[0]`).

use super::{BaseFile, BaseImage, BaseLayer, Distro, ImageConfig};
use crate::content::Content;

/// Size of Debian's busybox-static 1.35.0 binary.
pub const BUSYBOX_BYTES: u64 = 1_982_256;
/// Identity of that binary's bytes (first bytes of its sha256), shared by both images so a
/// `COPY --from` of it from either is content-identical.
const BUSYBOX_CONTENT_ID: u64 = 0x3d9f_2889_d678;

/// The symlinks of `lab/busybox:1`, in `/bin`.
pub const LAB1_APPLETS: [&str; 18] = [
    "sh", "ls", "rm", "mkdir", "cat", "echo", "dd", "cp", "mv", "chmod", "chown", "touch", "head",
    "tar", "wc", "adduser", "addgroup", "id",
];

/// Every applet of Debian busybox-static 1:1.35.0-4+deb12u1 (`busybox --list`, 268 names without
/// `busybox` itself), read from the binary itself (downloaded with `apt-get download
/// busybox-static` on bookworm; its sha256 matches the truth README's 3d9f2889d678).
pub const BUSYBOX_1_35_APPLETS: &str = "[ [[ acpid adjtimex ar arch arp arping ascii ash awk base64 basename bc \
blkdiscard blockdev brctl bunzip2 bzcat bzip2 cal cat chgrp chmod chown chroot chvt clear cmp cp cpio crc32 crond \
crontab cttyhack cut date dc dd deallocvt depmod devmem df diff dirname dmesg dnsdomainname dos2unix dpkg dpkg-deb \
du dumpkmap dumpleases echo ed egrep env expand expr factor fallocate false fatattr fdisk fgrep find findfs fold \
free freeramdisk fsfreeze fstrim ftpget ftpput getopt getty grep groups gunzip gzip halt head hexdump hostid \
hostname httpd hwclock i2cdetect i2cdump i2cget i2cset i2ctransfer id ifconfig ifdown ifup init insmod ionice ip \
ipcalc ipneigh kill killall klogd last less link linux32 linux64 linuxrc ln loadfont loadkmap logger login logname \
logread losetup ls lsmod lsscsi lzcat lzma lzop md5sum mdev microcom mim mkdir mkdosfs mke2fs mkfifo mknod mkpasswd \
mkswap mktemp modinfo modprobe more mount mt mv nameif nc netstat nl nologin nproc nsenter nslookup nuke od openvt \
partprobe passwd paste patch pidof ping ping6 pivot_root poweroff printf ps pwd rdate readlink realpath reboot \
renice reset resume rev rm rmdir rmmod route rpm rpm2cpio run-init run-parts sed seq setkeycodes setpriv setsid sh \
sha1sum sha256sum sha3sum sha512sum shred shuf sleep sort ssl_client start-stop-daemon stat strings stty su sulogin \
svc svok swapoff swapon switch_root sync sysctl syslogd tac tail tar taskset tc tee telnet telnetd test tftp time \
timeout top touch tr traceroute traceroute6 true truncate ts tty tunctl ubirename udhcpc udhcpd uevent umount uname \
uncompress unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime usleep uudecode uuencode vconfig vi w \
watch watchdog wc wget which who whoami xargs xxd xz xzcat yes zcat";

/// The applets of busybox 1.35 (268 names).
pub fn applets() -> impl Iterator<Item = &'static str> {
    BUSYBOX_1_35_APPLETS.split_ascii_whitespace()
}

/// True when `name` is an applet the lab busybox binary implements (a dead symlink like `:1`'s
/// `adduser` is not).
pub fn is_applet(name: &str) -> bool {
    applets().any(|a| a == name)
}

pub const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n";
pub const GROUP: &str = "root:x:0:\n";
pub const LAB_RELEASE_2: &str = "lab/busybox:2\n";

/// The busybox binary's content (opaque bytes of known size and identity).
pub fn busybox_binary() -> Content {
    Content::opaque(BUSYBOX_BYTES, BUSYBOX_CONTENT_ID)
}

/// `lab/busybox:1` or `lab/busybox:2`; `None` for any other tag.
pub fn image(tag: &str) -> Option<BaseImage> {
    let (links, release, created_by): (Vec<&str>, bool, &str) = match tag {
        "1" => (
            LAB1_APPLETS.to_vec(),
            false,
            "lab base: /bin/busybox (sha256 3d9f2889d678, 1982256 B) + 18 applet symlinks + /etc/passwd + /etc/group + /tmp",
        ),
        "2" => (
            applets().collect(),
            true,
            "lab base: /bin/busybox (sha256 3d9f2889d678, 1982256 B) + 268 applet symlinks (all) + /etc/passwd + /etc/group + /etc/lab-release + /tmp",
        ),
        _ => return None,
    };
    let mut files = vec![
        BaseFile::dir("/bin", 0o755),
        BaseFile::file("/bin/busybox", 0o755, busybox_binary()),
    ];
    files.extend(
        links
            .iter()
            .map(|a| BaseFile::symlink(&format!("/bin/{a}"), "/bin/busybox")),
    );
    files.push(BaseFile::dir("/etc", 0o755));
    files.push(BaseFile::text("/etc/passwd", 0o644, PASSWD));
    files.push(BaseFile::text("/etc/group", 0o644, GROUP));
    if release {
        files.push(BaseFile::text("/etc/lab-release", 0o644, LAB_RELEASE_2));
    }
    // /tmp is 0755 in these images (not the usual 1777): truth README, "The base images".
    files.push(BaseFile::dir("/tmp", 0o755));
    let reference = format!("lab/busybox:{tag}");
    let layer = BaseLayer::content(
        created_by,
        &format!("lab base image {reference}"),
        files,
        None,
    );
    Some(BaseImage {
        resolved: reference.clone(),
        reference,
        layers: vec![layer],
        config: ImageConfig::new(),
        distro: Distro::Busybox,
        distro_version: "1.35.0".to_string(),
        estimated: false,
        layer_sizes_estimated: false,
        note: "deterministic lab image, exact (BuildKit truth scenarios)".to_string(),
        source:
            "shared/buildkit-truth/README.md \"The base images\"; truth history_oldest_first[0]"
                .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_exactly_the_truth_figures() {
        let one = image("1").unwrap();
        let two = image("2").unwrap();
        assert_eq!(one.size(), 1_982_296);
        assert_eq!(two.size(), 1_982_310);
        assert_eq!(one.layers.len(), 1);
        assert_eq!(one.layer_count(), 1);
        assert_eq!(one.config, ImageConfig::new());
        assert!(image("3").is_none());
    }

    #[test]
    fn applet_lists_match_the_binary() {
        assert_eq!(applets().count(), 268);
        let two = image("2").unwrap();
        let links = two
            .files()
            .filter(|f| matches!(f.kind, super::super::BaseFileKind::Symlink { .. }))
            .count();
        assert_eq!(links, 268);
        assert!(is_applet("sh") && is_applet("[[") && is_applet("wget"));
        assert!(!is_applet("adduser") && !is_applet("busybox"));
        let one = image("1").unwrap();
        assert!(one.files().any(|f| f.path == "/bin/adduser"));
        assert!(one.files().any(|f| f.path == "/tmp" && f.mode == 0o755));
        assert!(two.files().any(|f| f.path == "/etc/lab-release"));
        assert!(!one.files().any(|f| f.path == "/etc/lab-release"));
    }

    #[test]
    fn history_rows_are_the_recorded_ones() {
        let one = image("1").unwrap();
        assert_eq!(
            one.layers[0].created_by,
            "lab base: /bin/busybox (sha256 3d9f2889d678, 1982256 B) + 18 applet symlinks + /etc/passwd + /etc/group + /tmp"
        );
        assert_eq!(one.layers[0].comment, "lab base image lab/busybox:1");
        assert!(!one.layers[0].empty_layer);
    }

    /// The base rows recorded by BuildKit, read in place from the shared truth files.
    #[test]
    fn base_rows_agree_with_every_truth_file() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/buildkit-truth/truth"
        );
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            for build in json["builds"].as_array().unwrap() {
                let Some(row) = build["image"]["history_oldest_first"].get(0) else {
                    continue;
                };
                let tag = if row["comment"] == "lab base image lab/busybox:2" {
                    "2"
                } else {
                    "1"
                };
                let img = image(tag).unwrap();
                assert_eq!(row["created_by"], img.layers[0].created_by.as_str());
                assert_eq!(row["size"].as_u64(), Some(img.size()));
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} builds checked");
    }
}
