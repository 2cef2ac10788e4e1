//! Base images: the catalog (scratch, lab/busybox, official images with published sizes) and image configs.
