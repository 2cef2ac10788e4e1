//! .dockerignore patterns and matching with moby/patternmatcher semantics: a leaf.
