//! BuildKit's word expansion ($V, ${V:-d}, ...): a leaf that knows nothing of Dockerfiles.
