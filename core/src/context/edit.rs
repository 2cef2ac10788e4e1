//! Edits between builds, mirroring buildkit-truth `steps.json` ops (write text or size+seed,
//! `keep_mtime`, append, delete file-or-dir, touch, chmod, mkdir, rename). Every write and
//! touch takes a new mtime from the context's logical clock, unless `keep_mtime` restores the
//! old one: that is how "same size AND same mtime" edits stay CACHED with stale content
//! (buildkit-truth cache_same_size_same_mtime_edit).

use super::tree::{DirEntry, Entry, FileEntry, SymlinkEntry, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE};
use super::{normalize_path, parent_of, BuildContext};
use crate::content::Content;
use std::fmt;

/// One edit of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Create or overwrite a file (parents are created); `keep_mtime` restores the previous
    /// mtime of an overwritten file.
    Write {
        path: String,
        content: Content,
        keep_mtime: bool,
    },
    /// Append to a file (created if missing).
    Append { path: String, text: String },
    /// Remove a file, a symlink or a whole directory.
    Delete { path: String },
    /// New mtime, same content (creates an empty file if missing, as `touch` does).
    Touch { path: String },
    /// Change the permission bits.
    Chmod { path: String, mode: u32 },
    /// Create a directory and its parents.
    Mkdir { path: String },
    /// Move a file or a directory with everything in it.
    Rename { from: String, to: String },
    /// Create a symlink.
    Symlink { path: String, target: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// Empty, the root itself, or outside the context (`../x`).
    InvalidPath(String),
    NotFound(String),
    /// A parent of the path is a file or a symlink.
    NotADirectory(String),
    /// A file operation on a directory.
    IsADirectory(String),
    /// A steps.json edit this model does not know, or a malformed one.
    BadEdit(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::InvalidPath(p) => write!(f, "invalid context path {p:?}"),
            EditError::NotFound(p) => write!(f, "{p}: no such file or directory"),
            EditError::NotADirectory(p) => write!(f, "{p}: not a directory"),
            EditError::IsADirectory(p) => write!(f, "{p}: is a directory"),
            EditError::BadEdit(m) => write!(f, "bad edit: {m}"),
        }
    }
}

impl std::error::Error for EditError {}

impl Edit {
    /// Reads one `steps.json` edit. `None` for the Dockerfile ops (`dockerfile`,
    /// `dockerfile_replace`), which are not the context's business.
    pub fn from_step_json(v: &serde_json::Value) -> Option<Result<Edit, EditError>> {
        let op = v.get("op").and_then(|o| o.as_str()).unwrap_or("");
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        let need = |k: &str| s(k).ok_or_else(|| EditError::BadEdit(format!("{op}: missing {k:?}")));
        let res = match op {
            "dockerfile" | "dockerfile_replace" => return None,
            "write" => (|| {
                let path = need("path")?;
                let keep_mtime = v
                    .get("keep_mtime")
                    .and_then(|b| b.as_bool())
                    .unwrap_or(false);
                let content = match (s("text"), v.get("size").and_then(|n| n.as_u64())) {
                    (Some(text), _) => Content::from_text(&text),
                    (None, Some(size)) => {
                        Content::pattern(s("seed").unwrap_or_default().as_bytes(), size)
                    }
                    (None, None) => {
                        return Err(EditError::BadEdit("write: needs text or size".into()))
                    }
                };
                Ok(Edit::Write {
                    path,
                    content,
                    keep_mtime,
                })
            })(),
            "append" => need("path").and_then(|path| {
                Ok(Edit::Append {
                    path,
                    text: need("text")?,
                })
            }),
            "delete" => need("path").map(|path| Edit::Delete { path }),
            "touch" => need("path").map(|path| Edit::Touch { path }),
            "mkdir" => need("path").map(|path| Edit::Mkdir { path }),
            "chmod" => need("path").and_then(|path| {
                let mode = match v.get("mode") {
                    Some(serde_json::Value::String(m)) => {
                        u32::from_str_radix(m.trim_start_matches("0o"), 8).ok()
                    }
                    Some(serde_json::Value::Number(n)) => {
                        n.as_u64().and_then(|n| u32::try_from(n).ok())
                    }
                    _ => None,
                };
                let mode = mode.ok_or_else(|| EditError::BadEdit("chmod: bad mode".into()))?;
                Ok(Edit::Chmod { path, mode })
            }),
            "rename" => need("from").and_then(|from| {
                Ok(Edit::Rename {
                    from,
                    to: need("to")?,
                })
            }),
            "symlink" => need("path").and_then(|path| {
                Ok(Edit::Symlink {
                    path,
                    target: need("target")?,
                })
            }),
            other => Err(EditError::BadEdit(format!("unknown op {other:?}"))),
        };
        Some(res)
    }
}

fn key(path: &str) -> Result<String, EditError> {
    normalize_path(path).ok_or_else(|| EditError::InvalidPath(path.to_string()))
}

impl BuildContext {
    /// Applies one edit; on error the context is unchanged.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::Write {
                path,
                content,
                keep_mtime,
            } => self.write(path, content.clone(), *keep_mtime),
            Edit::Append { path, text } => self.append(path, text),
            Edit::Delete { path } => self.delete(path),
            Edit::Touch { path } => self.touch(path),
            Edit::Chmod { path, mode } => self.chmod(path, *mode),
            Edit::Mkdir { path } => self.mkdir(path),
            Edit::Rename { from, to } => self.rename(from, to),
            Edit::Symlink { path, target } => self.symlink(path, target),
        }
    }

    /// Creates or overwrites a file with `content`.
    pub fn write(
        &mut self,
        path: &str,
        content: Content,
        keep_mtime: bool,
    ) -> Result<(), EditError> {
        let key = key(path)?;
        self.check_parents(&key)?;
        let mtime = self.tick();
        match self.entries.get_mut(&key) {
            Some(Entry::Dir(_)) => return Err(EditError::IsADirectory(key)),
            Some(Entry::File(f)) => {
                f.set_content(content);
                if !keep_mtime {
                    f.mtime = mtime;
                }
            }
            Some(entry @ Entry::Symlink(_)) => {
                *entry = Entry::File(FileEntry::new(content, DEFAULT_FILE_MODE, mtime));
            }
            None => {
                self.create_parents(&key);
                self.entries.insert(
                    key,
                    Entry::File(FileEntry::new(content, DEFAULT_FILE_MODE, mtime)),
                );
            }
        }
        self.generation += 1;
        Ok(())
    }

    /// Creates or overwrites a text file. Infallible for the paths tests use; an invalid path
    /// is reported through [`BuildContext::write`].
    pub fn write_text(&mut self, path: &str, text: &str) -> bool {
        self.write(path, Content::from_text(text), false).is_ok()
    }

    pub fn append(&mut self, path: &str, text: &str) -> Result<(), EditError> {
        let key = key(path)?;
        let tail = Content::from_text(text);
        match self.entries.get(&key) {
            Some(Entry::Dir(_)) => Err(EditError::IsADirectory(key)),
            Some(Entry::File(f)) => {
                let content = f.content.append(&tail);
                self.write(&key, content, false)
            }
            _ => self.write(&key, tail, false),
        }
    }

    /// Removes a file, symlink or directory (with its contents).
    pub fn delete(&mut self, path: &str) -> Result<(), EditError> {
        let key = key(path)?;
        if self.entries.remove(&key).is_none() {
            return Err(EditError::NotFound(key));
        }
        let below: Vec<String> = self.under(&key).map(|(k, _)| k.to_string()).collect();
        for k in below {
            self.entries.remove(&k);
        }
        self.generation += 1;
        Ok(())
    }

    pub fn touch(&mut self, path: &str) -> Result<(), EditError> {
        let key = key(path)?;
        if !self.entries.contains_key(&key) {
            return self.write(&key, Content::empty(), false);
        }
        let mtime = self.tick();
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.set_mtime(mtime);
        }
        self.generation += 1;
        Ok(())
    }

    pub fn chmod(&mut self, path: &str, mode: u32) -> Result<(), EditError> {
        let key = key(path)?;
        match self.entries.get_mut(&key) {
            None => return Err(EditError::NotFound(key)),
            Some(Entry::File(f)) => f.mode = mode & 0o7777,
            Some(Entry::Dir(d)) => d.mode = mode & 0o7777,
            // chmod follows a symlink; we do not model its target here.
            Some(Entry::Symlink(_)) => {
                return Err(EditError::BadEdit(format!("chmod of symlink {key}")))
            }
        }
        self.generation += 1;
        Ok(())
    }

    /// Creates a directory and its parents (`mkdir -p`).
    pub fn mkdir(&mut self, path: &str) -> Result<(), EditError> {
        let key = key(path)?;
        self.check_parents(&key)?;
        match self.entries.get(&key) {
            Some(Entry::Dir(_)) => return Ok(()),
            Some(_) => return Err(EditError::NotADirectory(key)),
            None => {}
        }
        self.create_parents(&key);
        let mtime = self.tick();
        self.entries.insert(
            key,
            Entry::Dir(DirEntry {
                mode: DEFAULT_DIR_MODE,
                mtime,
                uid: 0,
                gid: 0,
            }),
        );
        self.generation += 1;
        Ok(())
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> Result<(), EditError> {
        let key = key(path)?;
        self.check_parents(&key)?;
        if self.entries.get(&key).is_some_and(Entry::is_dir) {
            return Err(EditError::IsADirectory(key));
        }
        self.create_parents(&key);
        let mtime = self.tick();
        let link = SymlinkEntry {
            target: target.to_string(),
            mtime,
            uid: 0,
            gid: 0,
        };
        self.entries.insert(key, Entry::Symlink(link));
        self.generation += 1;
        Ok(())
    }

    /// Moves a file or directory (contents keep their metadata, as `rename(2)` does); whatever
    /// was at `to` is replaced.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), EditError> {
        let from = key(from)?;
        let to = key(to)?;
        if !self.entries.contains_key(&from) {
            return Err(EditError::NotFound(from));
        }
        if from == to {
            return Ok(());
        }
        if to.starts_with(&format!("{from}/")) {
            return Err(EditError::InvalidPath(to));
        }
        self.check_parents(&to)?;
        let mut moved: Vec<(String, Entry)> = Vec::new();
        if let Some(e) = self.entries.remove(&from) {
            moved.push((to.clone(), e));
        }
        let below: Vec<String> = self.under(&from).map(|(k, _)| k.to_string()).collect();
        for k in below {
            if let Some(e) = self.entries.remove(&k) {
                let suffix = k.get(from.len()..).unwrap_or("");
                moved.push((format!("{to}{suffix}"), e));
            }
        }
        if self.entries.remove(&to).is_some() {
            let old: Vec<String> = self.under(&to).map(|(k, _)| k.to_string()).collect();
            for k in old {
                self.entries.remove(&k);
            }
        }
        self.create_parents(&to);
        self.entries.extend(moved);
        self.generation += 1;
        Ok(())
    }

    /// Fails if an existing ancestor of `key` is not a directory.
    fn check_parents(&self, key: &str) -> Result<(), EditError> {
        let mut cur = parent_of(key);
        while let Some(dir) = cur {
            match self.entries.get(dir) {
                Some(Entry::Dir(_)) | None => {}
                Some(_) => return Err(EditError::NotADirectory(dir.to_string())),
            }
            cur = parent_of(dir);
        }
        Ok(())
    }

    /// Creates the missing ancestors of `key` as directories (mode 0755).
    fn create_parents(&mut self, key: &str) {
        let mut missing: Vec<String> = Vec::new();
        let mut cur = parent_of(key);
        while let Some(dir) = cur {
            if self.entries.contains_key(dir) {
                break;
            }
            missing.push(dir.to_string());
            cur = parent_of(dir);
        }
        for dir in missing.into_iter().rev() {
            let mtime = self.tick();
            self.entries.insert(
                dir,
                Entry::Dir(DirEntry {
                    mode: DEFAULT_DIR_MODE,
                    mtime,
                    uid: 0,
                    gid: 0,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_tick_the_clock_unless_keep_mtime() {
        let mut ctx = BuildContext::new();
        ctx.write_text("a/b.txt", "one");
        let t1 = ctx.file("a/b.txt").unwrap().mtime;
        assert!(ctx.get("a").unwrap().is_dir());
        ctx.write("a/b.txt", Content::from_text("two"), true)
            .unwrap();
        assert_eq!(ctx.file("a/b.txt").unwrap().mtime, t1);
        ctx.touch("a/b.txt").unwrap();
        assert!(ctx.file("a/b.txt").unwrap().mtime > t1);
        ctx.append("a/b.txt", "!").unwrap();
        assert_eq!(
            ctx.file("a/b.txt").unwrap().content.as_bytes(),
            Some(&b"two!"[..])
        );
        ctx.chmod("a/b.txt", 0o755).unwrap();
        assert_eq!(ctx.file("a/b.txt").unwrap().mode, 0o755);
    }

    #[test]
    fn digest_is_cached_and_dropped_on_edit_only() {
        let mut ctx = BuildContext::new();
        ctx.write_text("x", "1");
        ctx.write_text("y", "2");
        let dx = ctx.file("x").unwrap().digest();
        ctx.file("y").unwrap().digest();
        ctx.write_text("x", "3");
        assert!(!ctx.file("x").unwrap().has_cached_digest());
        assert!(ctx.file("y").unwrap().has_cached_digest());
        assert_ne!(ctx.file("x").unwrap().digest(), dx);
    }

    #[test]
    fn rename_and_delete_move_whole_directories() {
        let mut ctx = BuildContext::new();
        ctx.write_text("d/a", "a");
        ctx.write_text("d/e/b", "b");
        ctx.write_text("d.txt", "c");
        ctx.rename("d", "n/m").unwrap();
        let paths: Vec<&str> = ctx.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["d.txt", "n", "n/m", "n/m/a", "n/m/e", "n/m/e/b"]);
        ctx.delete("n").unwrap();
        assert_eq!(ctx.len(), 1);
        assert_eq!(ctx.delete("n"), Err(EditError::NotFound("n".into())));
        assert_eq!(
            ctx.write("d.txt/x", Content::empty(), false),
            Err(EditError::NotADirectory("d.txt".into()))
        );
        assert!(matches!(
            ctx.write("../x", Content::empty(), false),
            Err(EditError::InvalidPath(_))
        ));
    }

    #[test]
    fn steps_json_edits() {
        let v: serde_json::Value =
            serde_json::json!({"op": "write", "path": "big", "size": 5, "seed": "ab"});
        let edit = Edit::from_step_json(&v).unwrap().unwrap();
        let mut ctx = BuildContext::new();
        ctx.apply(&edit).unwrap();
        assert_eq!(
            ctx.file("big").unwrap().content.as_bytes(),
            Some(&b"ababa"[..])
        );
        let chmod = serde_json::json!({"op": "chmod", "path": "big", "mode": "0755"});
        ctx.apply(&Edit::from_step_json(&chmod).unwrap().unwrap())
            .unwrap();
        assert_eq!(ctx.file("big").unwrap().mode, 0o755);
        assert!(
            Edit::from_step_json(&serde_json::json!({"op": "dockerfile", "text": ""})).is_none()
        );
    }
}
