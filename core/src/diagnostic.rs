//! One diagnostic type for every problem the core reports: syntax, lowering, simulation and
//! (later) lints. A diagnostic is a value with a span, never a panic or a bare string.

use crate::text::TextRange;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A problem found in the user's input, located by a byte range of the Dockerfile
/// (or of whichever text `Diagnostic::source` names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable machine code, e.g. `"unknown-instruction"`, `"empty-continuation"`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
}

impl Diagnostic {
    pub fn error(code: &'static str, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            range,
        }
    }

    pub fn warning(code: &'static str, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Warning,
            message: message.into(),
            range,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
