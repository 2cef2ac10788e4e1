//! Typed instructions lowered from syntax nodes, with arity and flag errors as diagnostics.
