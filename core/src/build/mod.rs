//! The build driver: simulate one build of a Dockerfile over a context against a cache, producing an image.
