//! Layer rules against buildkit-truth: each case runs filesystem operations on a hand-built
//! lab/busybox:1 and compares the committed layer's entries with what BuildKit stored.

use super::*;
use crate::content::Content;
use std::sync::Arc;

/// lab/busybox:1 as the truth README describes it (also the interpreter tests' base).
pub(crate) fn busybox1() -> Arc<Layer> {
    let mut fs = Fs::new();
    fs.mkdir("/bin", Meta::root(0o755)).unwrap();
    fs.put_file(
        "/bin/busybox",
        Content::opaque(1_982_256, 1),
        Meta::root(0o755),
    )
    .unwrap();
    for app in [
        "sh", "ls", "rm", "mkdir", "cat", "echo", "dd", "cp", "mv", "chmod", "chown", "touch",
        "head", "tar", "wc", "adduser", "addgroup", "id",
    ] {
        fs.symlink("busybox", &format!("/bin/{app}"), Meta::root(0o777))
            .unwrap();
    }
    fs.mkdir("/etc", Meta::root(0o755)).unwrap();
    fs.put_file(
        "/etc/passwd",
        Content::from_text("root:x:0:0:root:/root:/bin/sh\n"),
        Meta::root(0o644),
    )
    .unwrap();
    fs.put_file(
        "/etc/group",
        Content::from_text("root:x:0:\n"),
        Meta::root(0o644),
    )
    .unwrap();
    fs.mkdir("/tmp", Meta::root(0o755)).unwrap();
    fs.commit()
}

/// `path kind size mode uid:gid` per entry, one string per entry.
fn rows(layer: &Layer) -> Vec<String> {
    layer
        .entries
        .iter()
        .map(|e| {
            let mut s = format!(
                "{} {} {} {:04o} {}:{}",
                e.path,
                e.kind.as_str(),
                e.size,
                e.mode,
                e.uid,
                e.gid
            );
            if let Some(t) = &e.link_target {
                s.push_str(&format!(" -> {t}"));
            }
            s
        })
        .collect()
}

const F: Meta = Meta::root(0o644);
const D: Meta = Meta::root(0o755);

#[test]
fn base_image_layer_has_busybox_sizes() {
    let base = busybox1();
    assert_eq!(base.size, 1_982_296);
    assert_eq!(
        base.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Symlink)
            .count(),
        18
    );
}

#[test]
fn dd_then_rm_in_one_run_leaves_only_mount_points() {
    // layers_dd_rm_same_run
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.ensure_run_mount_points();
    fs.write("/big", Content::zeros(5 << 20), F).unwrap();
    fs.remove("/big", false).unwrap();
    let l = fs.commit();
    assert_eq!(
        rows(&l),
        [
            "dev dir 0 0755 0:0",
            "proc dir 0 0755 0:0",
            "sys dir 0 0755 0:0"
        ]
    );
    assert_eq!(l.size, 0);
}

#[test]
fn rm_in_a_later_run_is_a_whiteout() {
    // layers_dd_rm_separate
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.ensure_run_mount_points();
    fs.write("/big", Content::zeros(5 << 20), F).unwrap();
    let l1 = fs.commit();
    assert_eq!(l1.size, 5_242_880);
    assert_eq!(rows(&l1)[0], "big file 5242880 0644 0:0");
    fs.ensure_run_mount_points();
    fs.remove("/big", false).unwrap();
    let l2 = fs.commit();
    assert_eq!(rows(&l2), [".wh.big whiteout 0 0000 0:0"]);
    assert!(!fs.exists("/big"));
}

#[test]
fn small_files_and_dirs_relist_parents() {
    // layers_small_files_dirs
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.ensure_run_mount_points();
    fs.mkdir_all("/a/b/c", D).unwrap();
    let l1 = fs.commit();
    assert_eq!(
        rows(&l1),
        [
            "a dir 0 0755 0:0",
            "a/b dir 0 0755 0:0",
            "a/b/c dir 0 0755 0:0",
            "dev dir 0 0755 0:0",
            "proc dir 0 0755 0:0",
            "sys dir 0 0755 0:0"
        ]
    );
    fs.ensure_run_mount_points();
    fs.touch("/a/b/c/empty", F).unwrap();
    assert_eq!(
        rows(&fs.commit()),
        [
            "a dir 0 0755 0:0",
            "a/b dir 0 0755 0:0",
            "a/b/c dir 0 0755 0:0",
            "a/b/c/empty file 0 0644 0:0"
        ]
    );
    fs.write("/a/hi", Content::from_text("hi\n"), F).unwrap();
    let l3 = fs.commit();
    assert_eq!(rows(&l3), ["a dir 0 0755 0:0", "a/hi file 3 0644 0:0"]);
    assert_eq!(l3.size, 3);
    fs.mkdir("/a/d", D).unwrap();
    fs.write("/a/d/f", Content::from_text("12345\n"), F)
        .unwrap();
    assert_eq!(
        rows(&fs.commit()),
        [
            "a dir 0 0755 0:0",
            "a/d dir 0 0755 0:0",
            "a/d/f file 6 0644 0:0"
        ]
    );
}

#[test]
fn metadata_changes_store_the_whole_file_again() {
    // truth README: chmod / chown / touch / mv of an existing 3 MiB file, append, truncate.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.ensure_run_mount_points();
    fs.write("/big", Content::zeros(3 << 20), F).unwrap();
    fs.commit();
    fs.set_meta("/big", Meta::root(0o600), true).unwrap();
    assert_eq!(rows(&fs.commit()), ["big file 3145728 0600 0:0"]);
    fs.set_meta("/big", Meta::new(0o600, 1000, 1000), true)
        .unwrap();
    assert_eq!(rows(&fs.commit()), ["big file 3145728 0600 1000:1000"]);
    fs.touch("/big", F).unwrap();
    assert_eq!(fs.commit().size, 3 << 20);
    fs.rename("/big", "/moved").unwrap();
    assert_eq!(
        rows(&fs.commit()),
        [
            ".wh.big whiteout 0 0000 0:0",
            "moved file 3145728 0600 1000:1000"
        ]
    );
    fs.append("/moved", Content::from_text("x\n"), F).unwrap();
    assert_eq!(fs.commit().size, 3_145_730);
}

#[test]
fn unchanged_directory_and_existing_workdir_give_an_empty_layer() {
    // layers_workdir: `WORKDIR /tmp` on an existing dir is an empty tar.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir_all("/tmp", D).unwrap();
    fs.put_dir("/tmp", D).unwrap();
    let l = fs.commit();
    assert!(l.is_empty());
    fs.mkdir_all("/tmp/sub", D).unwrap();
    assert_eq!(
        rows(&fs.commit()),
        ["tmp dir 0 0755 0:0", "tmp/sub dir 0 0755 0:0"]
    );
}

#[test]
fn hard_links_store_data_once() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.write("/f", Content::zeros(1 << 20), F).unwrap();
    fs.link("/f", "/g").unwrap();
    let l = fs.commit();
    assert_eq!(
        rows(&l),
        ["f file 1048576 0644 0:0", "g hardlink 0 0644 0:0 -> f"]
    );
    assert_eq!(l.size, 1 << 20);
    // A later link to a file of an earlier layer re-emits every name; data once.
    fs.write("/x", Content::zeros(1 << 20), F).unwrap();
    fs.commit();
    fs.link("/x", "/y").unwrap();
    let l = fs.commit();
    assert_eq!(
        rows(&l),
        ["x hardlink 0 0644 0:0 -> y", "y file 1048576 0644 0:0"]
    );
    // chmod to the same mode changes nothing a layer stores.
    fs.set_meta("/y", Meta::root(0o644), true).unwrap();
    assert!(fs.diff().is_empty());
    // Writing through one name changes the other.
    fs.write("/y", Content::from_text("new\n"), F).unwrap();
    assert_eq!(fs.read("/x").unwrap(), Content::from_text("new\n"));
}

#[test]
fn deleted_then_recreated_directory_whiteouts_old_children() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir_all("/d/sub", D).unwrap();
    fs.write("/d/a", Content::from_text("a"), F).unwrap();
    fs.write("/d/keep", Content::from_text("k"), F).unwrap();
    fs.commit();
    fs.remove("/d", true).unwrap();
    assert!(!fs.exists("/d/a"));
    fs.mkdir("/d", D).unwrap();
    assert_eq!(fs.list_dir("/d").unwrap(), Vec::<String>::new());
    fs.write("/d/keep", Content::from_text("k2"), F).unwrap();
    let l = fs.commit();
    assert_eq!(
        rows(&l),
        [
            "d dir 0 0755 0:0",
            "d/.wh.a whiteout 0 0000 0:0",
            "d/.wh.sub whiteout 0 0000 0:0",
            "d/keep file 2 0644 0:0"
        ]
    );
    assert_eq!(fs.list_dir("/d").unwrap(), ["keep"]);
    assert!(!fs.exists("/d/sub"));
}

#[test]
fn symlinks_resolve_with_bounded_depth() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    assert_eq!(fs.stat("/bin/sh").unwrap().size, 1_982_256);
    assert!(fs.lstat("/bin/sh").unwrap().is_symlink());
    fs.symlink("/loop2", "/loop1", D).unwrap();
    fs.symlink("/loop1", "/loop2", D).unwrap();
    assert_eq!(fs.stat("/loop1"), Err(FsError::Loop));
    fs.symlink("tmp", "/t", D).unwrap();
    fs.write("/t/x", Content::from_text("x"), F).unwrap();
    assert!(fs.exists("/tmp/x"));
    assert_eq!(fs.canonical("/t/x").unwrap(), "/tmp/x");
    // A dead symlink: the target does not exist.
    fs.symlink("/nowhere", "/dead", D).unwrap();
    assert_eq!(fs.stat("/dead"), Err(FsError::NotFound));
}

#[test]
fn mounts_never_reach_the_layer() {
    // bk_run_mount_cache: the cache target and its missing parents are not in the layer.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.attach_mount(Mount::cache("/var/c2", "c2", Tree::default()));
    assert!(fs.is_dir("/var/c2"));
    fs.write("/var/c2/x", Content::from_text("x\n"), F).unwrap();
    fs.write("/c2.txt", Content::from_text(".\n..\n"), F)
        .unwrap();
    let mounts = fs.unmount_all();
    let l = fs.commit();
    assert_eq!(rows(&l), ["c2.txt file 5 0644 0:0"]);
    let cache = mounts.into_iter().next().unwrap();
    assert_eq!(cache.tree.children(""), ["x"]);

    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.attach_mount(Mount::secret(
        &Mount::default_secret_target("tok"),
        "tok",
        Content::from_text("s"),
        Meta::root(0o400),
    ));
    assert_eq!(
        fs.read("/run/secrets/tok").unwrap(),
        Content::from_text("s")
    );
    assert_eq!(
        fs.write("/run/secrets/tok", Content::empty(), F),
        Err(FsError::ReadOnly)
    );
    let other = Fs::from_layers(vec![busybox1()]);
    fs.attach_mount(Mount::bind("/src", other.tree().clone(), "/etc", true));
    assert_eq!(fs.read("/src/passwd").unwrap().len(), 30);
    fs.unmount_all();
    assert!(fs.commit().is_empty());
}

#[test]
fn subtree_digest_ignores_location_but_not_content() {
    let mut a = Fs::from_layers(vec![busybox1()]);
    a.mkdir_all("/out", D).unwrap();
    a.write("/out/f", Content::from_text("1"), F).unwrap();
    let mut b = Fs::new();
    b.mkdir_all("/out", D).unwrap();
    b.write("/out/f", Content::from_text("1"), F).unwrap();
    assert_eq!(
        a.subtree_digest("/out").unwrap(),
        b.subtree_digest("/out").unwrap()
    );
    b.write("/out/f", Content::from_text("2"), F).unwrap();
    assert_ne!(
        a.subtree_digest("/out").unwrap(),
        b.subtree_digest("/out").unwrap()
    );
}

#[test]
fn hash_index_answers_exactly_like_the_ordered_map() {
    // The per-layer key index is only a fast "not here": every answer must match the map's.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir("/a", D).unwrap();
    fs.mkdir("/a/b", D).unwrap();
    fs.write("/a/b/f", Content::from_text("x"), F).unwrap();
    fs.mkdir("/a/d", D).unwrap();
    fs.remove("/etc/passwd", false).unwrap();
    let layer = fs.commit();
    let base = busybox1();
    let probes = [
        "",
        "a",
        "a/b",
        "a/b/f",
        "a/b/f/under-a-file",
        "a/d",
        "a/d/x",
        "a/bb",
        "a.b/f",
        "etc/passwd",
        "etc/passwd/x",
        "bin/busybox/x",
        "bin/sh",
        "nope/deeper/still",
    ];
    for l in [&layer, &base] {
        for key in probes {
            let probe = layer::KeyProbe::new(key);
            assert_eq!(l.node_at(&probe), l.nodes.get(key), "{key}");
            assert_eq!(l.blocks(&probe), layer::blocks_in(&l.nodes, key), "{key}");
        }
    }
    assert!(base.blocks(&layer::KeyProbe::new("bin/busybox/x")));
    assert!(layer.blocks(&layer::KeyProbe::new("etc/passwd/x")));
    assert!(!fs.exists("/etc/passwd"));
    assert!(fs.exists("/a/b/f"));
}

#[test]
fn entry_sha256_is_hashed_on_request_with_the_eager_result() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.write("/hi", Content::from_text("hi\n"), F).unwrap();
    fs.remove("/etc/group", false).unwrap();
    let layer = fs.commit();
    let sha = |path: &str| {
        layer
            .entries
            .iter()
            .find(|e| e.path == path)
            .and_then(|e| e.sha256().map(str::to_string))
    };
    assert_eq!(
        sha("hi").as_deref(),
        Some("98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4")
    );
    assert_eq!(sha("hi"), sha256_hex(&Content::from_text("hi\n")));
    let hi = layer.entries.iter().find(|e| e.path == "hi");
    assert_eq!(
        hi.and_then(LayerEntry::digest),
        Some(Content::from_text("hi\n").digest())
    );
    assert_eq!(
        sha("etc/.wh.group").as_deref(),
        Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(sha("etc"), None);
    // Opaque content has no known bytes: no digest, as before.
    assert_eq!(base_sha_of_busybox(), None);
}

fn base_sha_of_busybox() -> Option<String> {
    busybox1()
        .entries
        .iter()
        .find(|e| e.path == "bin/busybox")
        .and_then(|e| e.sha256().map(str::to_string))
}

#[test]
fn key_index_answers_like_the_map_for_deep_keys_and_many_files() {
    // Past 16 ancestors a probe keeps them on the heap; blockers at several depths; a layer big
    // enough that the filter holds many keys. Every answer must match the ordered map's.
    let deep: Vec<String> = (0..20).map(|i| format!("d{i}")).collect();
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let mut path = String::new();
    for (i, d) in deep.iter().enumerate() {
        path.push('/');
        path.push_str(d);
        fs.mkdir(&path, D).unwrap();
        if i % 5 == 4 {
            fs.write(&format!("{path}.f"), Content::from_text("x"), F)
                .unwrap();
        }
    }
    for i in 0..2_000 {
        fs.write(&format!("/many/f{i}"), Content::from_text("y"), F)
            .unwrap_or_else(|_| {
                fs.mkdir("/many", D).unwrap();
                fs.write(&format!("/many/f{i}"), Content::from_text("y"), F)
                    .unwrap();
            });
    }
    let layer = fs.commit();
    let mut probes: Vec<String> = Vec::new();
    let mut key = String::new();
    for d in &deep {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(d);
        probes.push(key.clone());
        probes.push(format!("{key}.f"));
        probes.push(format!("{key}.f/below"));
        probes.push(format!("{key}.f/below/further/still"));
    }
    for i in (0..4_000).step_by(7) {
        probes.push(format!("many/f{i}"));
        probes.push(format!("many/f{i}/x"));
    }
    for key in &probes {
        let probe = layer::KeyProbe::new(key);
        assert_eq!(
            layer.node_at(&probe),
            layer.nodes.get(key.as_str()),
            "{key}"
        );
        assert_eq!(
            layer.blocks(&probe),
            layer::blocks_in(&layer.nodes, key),
            "{key}"
        );
    }
    // Through the stack: a file deep down hides what would be below it.
    let deep_file = format!("/{}.f", deep[..15].join("/"));
    assert!(fs.exists(&deep_file));
    assert!(!fs.exists(&format!("{deep_file}/below")));
    assert_eq!(fs.list_dir("/many").unwrap().len(), 2_000);
}

#[test]
fn commit_lists_each_parent_once_and_keeps_the_last_write() {
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir("/a", D).unwrap();
    fs.mkdir("/a/b", D).unwrap();
    fs.write("/a/b/one", Content::from_text("1"), F).unwrap();
    fs.write("/a/b/two", Content::from_text("2"), F).unwrap();
    fs.write("/a/b/two", Content::from_text("22"), F).unwrap();
    fs.write("/etc/motd", Content::from_text("hi"), F).unwrap();
    fs.remove("/etc/group", false).unwrap();
    let layer = fs.commit();
    assert_eq!(
        rows(&layer),
        vec![
            "a dir 0 0755 0:0",
            "a/b dir 0 0755 0:0",
            "a/b/one file 1 0644 0:0",
            "a/b/two file 2 0644 0:0",
            "etc dir 0 0755 0:0",
            "etc/.wh.group whiteout 0 0000 0:0",
            "etc/motd file 2 0644 0:0",
        ]
    );
    let mut fs = Fs::from_layers(vec![busybox1(), layer]);
    assert_eq!(fs.read("/a/b/two").unwrap(), Content::from_text("22"));
    assert!(!fs.exists("/etc/group"));
    // Replacing a directory tree by a file drops what the upper layer held below it.
    fs.write("/a/./b/../b/three", Content::from_text("3"), F)
        .unwrap();
    fs.remove("/a/b", true).unwrap();
    fs.write("/a/b", Content::from_text("file now"), F).unwrap();
    assert!(!fs.exists("/a/b/three"));
    assert!(!fs.exists("/a/b/one"));
    assert_eq!(fs.read("/a/b").unwrap(), Content::from_text("file now"));
}

#[test]
fn upper_index_stays_right_after_removals_and_replacements() {
    // The upper layer's index only grows: a stale "maybe" must still give the map's answer.
    let mut fs = Fs::from_layers(vec![busybox1()]);
    fs.mkdir("/a", D).unwrap();
    fs.write("/a/f", Content::from_text("1"), F).unwrap();
    fs.remove("/a/f", false).unwrap();
    assert!(!fs.exists("/a/f"));
    assert_eq!(fs.list_dir("/a").unwrap(), Vec::<String>::new());
    // A file (a blocker) replaced by a directory: what is below is visible again.
    fs.write("/a/b", Content::from_text("file"), F).unwrap();
    assert_eq!(
        fs.write("/a/b/c", Content::from_text("x"), F),
        Err(FsError::NotDir)
    );
    fs.remove("/a/b", false).unwrap();
    fs.mkdir("/a/b", D).unwrap();
    fs.write("/a/b/c", Content::from_text("x"), F).unwrap();
    assert_eq!(fs.read("/a/b/c").unwrap(), Content::from_text("x"));
    // A lower-layer file deleted in the upper layer is hidden (whiteout), then re-created.
    fs.remove("/etc/passwd", false).unwrap();
    assert!(!fs.exists("/etc/passwd"));
    fs.write("/etc/passwd", Content::from_text("new\n"), F)
        .unwrap();
    assert_eq!(fs.read("/etc/passwd").unwrap(), Content::from_text("new\n"));
    let layer = fs.commit();
    assert!(rows(&layer).contains(&"a/b/c file 1 0644 0:0".to_string()));
}

/// The overlay lookup as the ordered maps alone answer it (no index): the reference the
/// indexed lookups must agree with.
fn reference_get<'a>(tree: &'a stack::Tree, key: &str) -> Option<&'a node::Node> {
    let levels = std::iter::once(&tree.upper).chain(tree.layers.iter().rev().map(|l| &l.nodes));
    for nodes in levels {
        if let Some(n) = nodes.get(key) {
            return match n {
                node::Node::Whiteout => None,
                n => Some(n),
            };
        }
        if layer::blocks_in(nodes, key) {
            return None;
        }
    }
    None
}

#[test]
fn indexed_lookups_agree_with_the_maps_over_random_operations() {
    // Deterministic xorshift; names from a small alphabet so paths collide, shadow, and get
    // deleted, replaced by files or symlinks, across many committed layers.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let names = ["a", "b", "a.b", "a-c", "d"];
    let random_path = |next: &mut dyn FnMut(u64) -> u64| {
        let depth = 1 + next(4);
        (0..depth)
            .map(|_| names[next(names.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut fs = Fs::from_layers(vec![busybox1()]);
    let mut keys: Vec<String> = Vec::new();
    let (mut applied, mut found, mut hidden_or_absent) = (0, 0, 0);
    for step in 0..3_000 {
        let key = random_path(&mut next);
        let path = format!("/{key}");
        let result = match next(7) {
            0 | 1 => fs.mkdir_all(&path, D),
            2 | 3 => fs.write(&path, Content::from_text("x"), F),
            4 => fs.remove(&path, true),
            5 => fs.symlink("a", &path, Meta::root(0o777)),
            _ => fs.set_meta(&path, Meta::root(0o700), false),
        };
        applied += usize::from(result.is_ok());
        keys.push(key);
        if step % 100 == 99 {
            fs.commit();
        }
        if step % 50 == 0 {
            for k in keys.iter().rev().take(60) {
                for probe in [k.clone(), format!("{k}/a"), format!("{k}.b")] {
                    let want = reference_get(&fs.tree, &probe);
                    assert_eq!(fs.tree.get(&probe), want, "step {step}: {probe}");
                    if want.is_some() {
                        found += 1;
                    } else {
                        hidden_or_absent += 1;
                    }
                }
            }
        }
    }
    // The walk did change the tree, and probes met both answers.
    assert!(fs.layers().len() > 20);
    assert!(applied > 1_000, "{applied}");
    assert!(
        found > 500 && hidden_or_absent > 500,
        "{found} {hidden_or_absent}"
    );
}
