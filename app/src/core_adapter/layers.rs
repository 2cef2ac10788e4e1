//! Per-layer file changes (added / modified / removed) and dive's efficiency score over the
//! image's layers, from the entries the core's layer commits hold.
//!
//! Mirrors wagoodman/dive `dive/filetree/efficiency.go` (`Efficiency`): every leaf path is
//! counted once per layer it appears in (a whiteout counts the bytes it hides); the score is
//! Σ smallest size per path / Σ all sizes, and a path met in two or more layers is "wasted"
//! with its cumulative size (`image/analysis.go` sums `CumulativeSize`).

use super::{Change, FileChangeView, WastedPath};
use layerlab_core::fs::{EntryKind, LayerEntry};
use std::collections::{BTreeMap, HashMap};

/// The changes of every layer, bottom first.
pub(super) fn layer_changes(layers: &[&[LayerEntry]]) -> Vec<Vec<FileChangeView>> {
    let mut present: BTreeMap<String, u64> = BTreeMap::new();
    let mut res = Vec::with_capacity(layers.len());
    for entries in layers {
        let mut changes = Vec::new();
        for e in entries.iter() {
            match e.kind {
                EntryKind::Whiteout => {
                    let path = unwhiteout(&e.path);
                    let size = remove_under(&mut present, &path);
                    changes.push(FileChangeView {
                        path: format!("/{path}"),
                        change: Change::Removed,
                        size,
                        kind: "whiteout",
                    });
                }
                EntryKind::Opaque => {}
                kind => {
                    let existed = present.insert(e.path.clone(), e.size).is_some();
                    if kind == EntryKind::Dir && existed {
                        // A directory entry re-written only for its mtime is noise.
                        continue;
                    }
                    let change = if existed {
                        Change::Modified
                    } else {
                        Change::Added
                    };
                    changes.push(FileChangeView {
                        path: format!("/{}", e.path),
                        change,
                        size: e.size,
                        kind: kind.as_str(),
                    });
                }
            }
        }
        res.push(changes);
    }
    res
}

/// `a/.wh.b` → `a/b`.
fn unwhiteout(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/{}", name.trim_start_matches(".wh.")),
        None => path.trim_start_matches(".wh.").to_string(),
    }
}

/// Removes `path` and everything under it; returns the bytes they held.
fn remove_under(present: &mut BTreeMap<String, u64>, path: &str) -> u64 {
    let prefix = format!("{path}/");
    let keys: Vec<String> = present
        .range(path.to_string()..)
        .take_while(|(k, _)| *k == path || k.starts_with(&prefix))
        .map(|(k, _)| k.clone())
        .collect();
    let mut bytes = 0;
    for k in keys {
        bytes += present.remove(&k).unwrap_or(0);
    }
    bytes
}

/// dive's score (1.0 = nothing stored twice) and the paths stored more than once, largest first.
pub(super) fn efficiency(layers: &[&[LayerEntry]]) -> (f64, Vec<WastedPath>) {
    struct Data {
        cumulative: u64,
        min: u64,
        copies: usize,
    }
    let mut map: HashMap<String, Data> = HashMap::new();
    let mut present: BTreeMap<String, u64> = BTreeMap::new();
    for entries in layers {
        for e in entries.iter() {
            let (path, size) = match e.kind {
                EntryKind::Dir | EntryKind::Opaque => continue,
                EntryKind::Whiteout => {
                    let p = unwhiteout(&e.path);
                    let s = remove_under(&mut present, &p);
                    (p, s)
                }
                _ => {
                    present.insert(e.path.clone(), e.size);
                    (e.path.clone(), e.size)
                }
            };
            let d = map.entry(path).or_insert(Data {
                cumulative: 0,
                min: u64::MAX,
                copies: 0,
            });
            d.cumulative += size;
            d.min = d.min.min(size);
            d.copies += 1;
        }
    }
    let (mut min_sum, mut all_sum) = (0u64, 0u64);
    let mut wasted = Vec::new();
    for (path, d) in &map {
        min_sum += d.min;
        all_sum += d.cumulative;
        if d.copies >= 2 {
            wasted.push(WastedPath {
                path: format!("/{path}"),
                bytes: d.cumulative,
                copies: d.copies,
            });
        }
    }
    layerlab_core::sorting::sort_by(&mut wasted, |a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    let score = if all_sum == 0 {
        1.0
    } else {
        min_sum as f64 / all_sum as f64
    };
    (score, wasted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, size: u64) -> LayerEntry {
        LayerEntry {
            path: p.into(),
            kind: EntryKind::File,
            size,
            mode: 0o644,
            uid: 0,
            gid: 0,
            link_target: None,
            digest: layerlab_core::fs::EntryDigest::none(),
            sha256: layerlab_core::fs::EntrySha256::none(),
        }
    }

    fn whiteout(p: &str) -> LayerEntry {
        LayerEntry {
            kind: EntryKind::Whiteout,
            size: 0,
            mode: 0,
            ..file(p, 0)
        }
    }

    #[test]
    fn a_file_deleted_later_is_wasted_and_marked_removed() {
        // dive's efficiency_test: a 2000-byte file added then deleted.
        let l1 = vec![file("etc/nginx.conf", 2000), file("bin/sh", 1000)];
        let l2 = vec![whiteout("etc/.wh.nginx.conf")];
        let l3 = vec![file("bin/sh", 1000)];
        let layers: Vec<&[LayerEntry]> = vec![&l1, &l2, &l3];
        let ch = layer_changes(&layers);
        assert_eq!(ch[0][0].change, Change::Added);
        assert_eq!(
            (ch[1][0].path.as_str(), ch[1][0].change, ch[1][0].size),
            ("/etc/nginx.conf", Change::Removed, 2000)
        );
        assert_eq!(ch[2][0].change, Change::Modified);
        let (score, wasted) = efficiency(&layers);
        // The whiteout counts the 2000 bytes it hides: min sizes 2000 + 1000, cumulative 4000 + 2000.
        assert!((score - 0.5).abs() < 1e-9, "{score}");
        assert_eq!(wasted[0].path, "/etc/nginx.conf");
        assert_eq!(wasted[0].bytes, 4000);
        assert_eq!(wasted[1].bytes, 2000);
    }
}
