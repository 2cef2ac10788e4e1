//! BuildKit's cache model: step keys, the store that lives across builds, and why a step re-ran.
