//! A minimal, realistic file tree per image family: shell, users, package manager files.

use super::BaseFile;

/// Files of the unknown-image placeholder: a shell, root user, usual directories.
pub fn placeholder_files() -> Vec<BaseFile> {
    vec![
        BaseFile::dir("/bin", 0o755),
        BaseFile::symlink("/bin/sh", "dash"),
        BaseFile::dir("/etc", 0o755),
        BaseFile::text("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\n"),
        BaseFile::text("/etc/group", 0o644, "root:x:0:\n"),
        BaseFile::dir("/root", 0o700),
        BaseFile::dir("/tmp", 0o1777),
    ]
}
