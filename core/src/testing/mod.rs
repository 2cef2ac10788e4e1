//! Deterministic input generators and mutators for the never-panic tests and the fuzz command.
