//! The learner's work kept aside when a shared link was opened: a short list, newest first, so
//! opening several links in a row never pushes out the learner's own work, and every entry can
//! be restored later (not only from the notice shown when the link was opened).

use crate::model::Project;
use serde::{Deserialize, Serialize};

/// How many earlier projects are kept (each is a whole project, so the list stays short).
pub const MAX_BACKUPS: usize = 8;

/// One project kept aside, and when (milliseconds since the epoch, as `Date.now()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub project: Project,
    pub at: f64,
}

/// Keeps `project` as the newest entry unless an equal project is already kept (then that entry
/// becomes the newest); the oldest entries beyond [`MAX_BACKUPS`] drop out.
pub fn push(list: &mut Vec<Backup>, project: Project, at: f64) {
    list.retain(|b| b.project != project);
    list.insert(0, Backup { project, at });
    list.truncate(MAX_BACKUPS);
}

/// A line that lets the learner recognise a kept project: its first instruction, its size and
/// how long ago it was kept.
pub fn label(b: &Backup, now: f64) -> String {
    let first = b
        .project
        .dockerfile
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("(empty Dockerfile)");
    let first: String = first.chars().take(40).collect();
    let lines = b.project.dockerfile.lines().count();
    let files = b.project.files.len();
    format!(
        "{first} · {lines} line{} · {files} file{} · {}",
        plural(lines),
        plural(files),
        ago(now - b.at)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
fn ago(ms: f64) -> String {
    let min = (ms / 60_000.0).max(0.0) as u64;
    match min {
        0 => "just now".to_string(),
        1..=59 => format!("{min} min ago"),
        60..=2879 => format!("{} h ago", min / 60),
        _ => format!("{} days ago", min / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(df: &str) -> Project {
        Project {
            dockerfile: df.to_string(),
            ..Project::default()
        }
    }

    #[test]
    fn newest_first_without_duplicates_and_bounded() {
        let mut list = Vec::new();
        push(&mut list, project("FROM a"), 1.0);
        push(&mut list, project("FROM b"), 2.0);
        push(&mut list, project("FROM a"), 3.0);
        let order: Vec<&str> = list.iter().map(|b| b.project.dockerfile.as_str()).collect();
        assert_eq!(order, ["FROM a", "FROM b"]);
        assert_eq!(list[0].at, 3.0);
        for i in 0..20 {
            push(
                &mut list,
                project(&format!("FROM x{i}")),
                10.0 + f64::from(i),
            );
        }
        assert_eq!(list.len(), MAX_BACKUPS);
        assert_eq!(list[0].project.dockerfile, "FROM x19");
    }

    #[test]
    fn a_label_names_the_first_instruction_and_the_age() {
        let b = Backup {
            project: project("# build\n\nFROM golang:1.22 AS build\nRUN go build\n"),
            at: 0.0,
        };
        let text = label(&b, 5.0 * 60_000.0);
        assert!(
            text.starts_with("FROM golang:1.22 AS build · 4 lines · "),
            "{text}"
        );
        assert!(text.ends_with("5 min ago"), "{text}");
        assert!(label(&b, 3.0 * 86_400_000.0).ends_with("3 days ago"));
    }
}
