//! `.dockerignore` reading and matching with moby/patternmatcher semantics, as BuildKit applies
//! them when it sends the build context: a leaf that knows patterns and slash paths only.
//!
//! - `read.rs`: `ignorefile.ReadAll` (BOM, `#` comments at column 0, trim, clean, leading `/`);
//! - `pattern.rs`: one pattern (original line + cleaned text + compiled glob), `New`'s checks;
//! - `glob.rs` → `regex.rs`: `Pattern.compile` and a small Go-regex engine (no regex crate);
//! - `matcher.rs`: last match wins, parents' results inherited (`MatchesUsingParentResults`);
//! - `fnmatch.rs`: Go's `filepath.Match` (pattern checks, `COPY` wildcards);
//! - `walk.rs`: which entries fsutil's filtered walk sends (excluded dirs, exceptions inside).
//!
//! ```
//! use layerlab_core::ignore::{IgnoreMatcher, Match};
//! let (m, errors) = IgnoreMatcher::new("build\n!build/keep.txt\n");
//! assert!(errors.is_empty());
//! assert!(matches!(m.matched("build/out.bin", false), Match::Excluded(p) if p.line == 1));
//! assert!(matches!(m.matched("build/keep.txt", false), Match::Included(p) if p.line == 2));
//! assert_eq!(m.matched("src/main.rs", false), Match::None);
//! ```

mod clean;
mod fnmatch;
mod glob;
mod matcher;
mod pattern;
mod read;
mod regex;
mod validate;
mod walk;

pub use clean::clean;
pub use fnmatch::{filepath_match, BadPattern};
pub use matcher::{Decision, IgnoreMatcher, Match, MatchInfo};
pub use pattern::{Pattern, PatternError, PatternErrorKind};
pub use read::{read_all, PatternLine};
pub use regex::RegexError;
pub use validate::is_valid_filepath_pattern;
pub use walk::{select_sent, WalkEntry};
