//! User-defined base images (filled in below).
