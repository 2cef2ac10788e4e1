//! The package models' read-only view (`crate::packages::FsView`) of a stage's filesystem.

use super::ops::Fs;
use crate::content::Content;
use crate::packages::FsView;

impl FsView for Fs {
    fn exists(&self, path: &str) -> bool {
        Fs::exists(self, path)
    }

    fn is_dir(&self, path: &str) -> bool {
        Fs::is_dir(self, path)
    }

    fn read(&self, path: &str) -> Option<Content> {
        Fs::read(self, path).ok()
    }

    fn list_dir(&self, path: &str) -> Vec<String> {
        Fs::list_dir(self, path).unwrap_or_default()
    }
}
