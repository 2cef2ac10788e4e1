//! A layered filesystem like overlayfs: per-layer diffs, whiteouts, opaque dirs, sizes as BuildKit stores them.
