//! Per-layer file changes (added / modified / removed) and dive's efficiency score over the
//! image's layers, from the entries the core's layer commits hold.
//!
//! Mirrors wagoodman/dive `dive/filetree/efficiency.go` (`Efficiency`): every leaf path is
//! counted once per layer it appears in (a whiteout counts the bytes it hides); the score is
//! Σ smallest size per path / Σ all sizes. Wasted bytes are what a rewrite could reclaim (the
//! issue's definition, not dive's `CumulativeSize`): the copies the final image does not show.

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
                    let size = total(&remove_under(&mut present, &path));
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

/// Removes `path` and everything under it; returns what was removed, with sizes.
fn remove_under(present: &mut BTreeMap<String, u64>, path: &str) -> Vec<(String, u64)> {
    // Two ranges, not one: `a-x` and `a.x` sort between `a` and `a/`.
    let prefix = format!("{path}/");
    let mut keys: Vec<String> = present
        .get_key_value(path)
        .map(|(k, _)| k.clone())
        .into_iter()
        .collect();
    keys.extend(
        present
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone()),
    );
    keys.into_iter()
        .map(|k| {
            let size = present.remove(&k).unwrap_or(0);
            (k, size)
        })
        .collect()
}

fn total(removed: &[(String, u64)]) -> u64 {
    removed.iter().map(|(_, s)| s).sum()
}

/// dive's score (1.0 = nothing stored twice), and the bytes a rewrite could reclaim, largest
/// first: each replaced file, and the files a later layer deleted grouped by where they were
/// deleted (`rm -rf dir/*` whiteouts each file, `rm -rf dir` the directory: either way one row).
///
/// The score is dive's; the wasted bytes are not dive's `CumulativeSize` (which counts the copy
/// the image keeps, and counts a deleted file twice, once for its whiteout): a path's wasted
/// bytes are what its layers store minus what the final image still shows of it.
pub(super) fn efficiency(layers: &[&[LayerEntry]]) -> (f64, Vec<WastedPath>) {
    struct Data {
        cumulative: u64,
        min: u64,
    }
    #[derive(Default)]
    struct Stored {
        bytes: u64,
        copies: usize,
        /// The last deletion: (layer, the directory or file its row is named for).
        deleted_in: Option<(usize, String)>,
    }
    let mut dive: HashMap<String, Data> = HashMap::new();
    let mut stored: HashMap<String, Stored> = HashMap::new();
    let mut present: BTreeMap<String, u64> = BTreeMap::new();
    for (layer, entries) in layers.iter().enumerate() {
        for e in entries.iter() {
            let (path, size) = match e.kind {
                EntryKind::Dir | EntryKind::Opaque => continue,
                EntryKind::Whiteout => {
                    let p = unwhiteout(&e.path);
                    let removed = remove_under(&mut present, &p);
                    let hid_a_dir = removed.iter().any(|(k, _)| *k != p);
                    let group = if hid_a_dir {
                        p.clone()
                    } else {
                        layerlab_core::fs::path::parent_key(&p).to_string()
                    };
                    for (k, _) in &removed {
                        if let Some(st) = stored.get_mut(k) {
                            st.deleted_in = Some((layer, group.clone()));
                        }
                    }
                    (p, total(&removed))
                }
                _ => {
                    present.insert(e.path.clone(), e.size);
                    let st = stored.entry(e.path.clone()).or_default();
                    st.bytes += e.size;
                    st.copies += 1;
                    (e.path.clone(), e.size)
                }
            };
            let d = dive.entry(path).or_insert(Data {
                cumulative: 0,
                min: u64::MAX,
            });
            d.cumulative += size;
            d.min = d.min.min(size);
        }
    }
    let (min_sum, all_sum) = dive
        .values()
        .fold((0u64, 0u64), |(m, a), d| (m + d.min, a + d.cumulative));
    let mut wasted: Vec<WastedPath> = Vec::new();
    // Deleted files, sorted by where they were deleted, then folded into one row per place.
    let mut deleted: Vec<((usize, String), u64, String)> = Vec::new();
    for (path, st) in stored {
        match present.get(&path) {
            Some(&kept) => {
                let bytes = st.bytes.saturating_sub(kept);
                if bytes > 0 {
                    wasted.push(WastedPath {
                        path: format!("/{path}"),
                        bytes,
                        copies: st.copies,
                        deleted_files: 0,
                    });
                }
            }
            None if st.bytes > 0 => {
                let place = st.deleted_in.unwrap_or_else(|| (0, path.clone()));
                deleted.push((place, st.bytes, path));
            }
            None => {}
        }
    }
    layerlab_core::sorting::sort_by(&mut deleted, |a, b| a.0.cmp(&b.0));
    let mut rows = deleted.into_iter().peekable();
    while let Some((place, mut bytes, one)) = rows.next() {
        let mut files = 1;
        while let Some((_, more, _)) = rows.next_if(|r| r.0 == place) {
            bytes += more;
            files += 1;
        }
        let dir = place.1;
        let path = match (files, dir.is_empty()) {
            (1, _) => format!("/{one}"),
            (_, true) => "/".to_string(),
            (_, false) => format!("/{dir}/"),
        };
        wasted.push(WastedPath {
            path,
            bytes,
            copies: 0,
            deleted_files: files,
        });
    }
    layerlab_core::sorting::sort_by(&mut wasted, |a, b| {
        b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path))
    });
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
        // dive's score: the whiteout counts the 2000 bytes it hides: min sizes 2000 + 1000,
        // cumulative 4000 + 2000.
        assert!((score - 0.5).abs() < 1e-9, "{score}");
        // Reclaimable: all of the deleted file, the lower copy of the replaced one.
        assert_eq!(
            wasted,
            [
                WastedPath {
                    path: "/etc/nginx.conf".into(),
                    bytes: 2000,
                    copies: 0,
                    deleted_files: 1
                },
                WastedPath {
                    path: "/bin/sh".into(),
                    bytes: 1000,
                    copies: 2,
                    deleted_files: 0
                },
            ]
        );
    }

    #[test]
    fn a_deleted_directory_reclaims_its_files_and_spares_its_look_alike_siblings() {
        let l1 = vec![
            file("var/lists/a", 300),
            file("var/lists-old", 50),
            file("var/lists.bak", 70),
            file("var/lists/b/c", 200),
        ];
        let l2 = vec![whiteout("var/.wh.lists")];
        let l3 = vec![file("var/lists/a", 10)];
        let layers: Vec<&[LayerEntry]> = vec![&l1, &l2, &l3];
        let (_, wasted) = efficiency(&layers);
        let got: Vec<(&str, u64, usize)> = wasted
            .iter()
            .map(|w| (w.path.as_str(), w.bytes, w.deleted_files))
            .collect();
        assert_eq!(got, [("/var/lists/a", 300, 0), ("/var/lists/b/c", 200, 1)]);
        let ch = layer_changes(&layers);
        assert_eq!((ch[1][0].path.as_str(), ch[1][0].size), ("/var/lists", 500));
    }

    #[test]
    fn files_deleted_one_by_one_or_with_their_directory_make_one_row() {
        // `rm -rf lists/*` whiteouts each file; `rm -rf build` whiteouts the directory.
        let l1 = vec![
            file("lists/a", 100),
            file("lists/b", 200),
            file("build/x/o1", 30),
            file("build/o2", 40),
        ];
        let l2 = vec![
            whiteout("lists/.wh.a"),
            whiteout("lists/.wh.b"),
            whiteout(".wh.build"),
        ];
        let layers: Vec<&[LayerEntry]> = vec![&l1, &l2];
        let (_, wasted) = efficiency(&layers);
        let got: Vec<(&str, u64, usize)> = wasted
            .iter()
            .map(|w| (w.path.as_str(), w.bytes, w.deleted_files))
            .collect();
        assert_eq!(got, [("/lists/", 300, 2), ("/build/", 70, 2)]);
    }

    #[test]
    fn an_image_without_repeats_wastes_nothing() {
        let l1 = vec![file("a", 5), file("b", 7)];
        let l2 = vec![file("c", 9)];
        let layers: Vec<&[LayerEntry]> = vec![&l1, &l2];
        let (score, wasted) = efficiency(&layers);
        assert_eq!(score, 1.0);
        assert!(wasted.is_empty());
    }
}
