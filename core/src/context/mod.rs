//! The virtual build context: files, dirs, symlinks, .dockerignore, edits, and what a build sends.
