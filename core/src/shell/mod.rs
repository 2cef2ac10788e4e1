//! The RUN interpreter: the POSIX shell subset and busybox applets learners write, over the layered fs.
