#!/usr/bin/env python3
"""Regenerates the package tables (apt.tsv, pip.tsv, npm.tsv) from shared/package-sizes.

    python3 core/src/packages/data_gen.py ../shared core/src/packages

Distils, does not copy: only the figures the simulator uses, numbers in base 36 where a table is
large (apt deps and closures), every table headed by its source. A developer tool; the product
reads the generated files with include_str!.
"""
import csv
import os
import sys

SHARED, OUT = sys.argv[1], sys.argv[2]
PS = f"{SHARED}/package-sizes"


def b36(n):
    n = int(n)
    if n == 0:
        return "0"
    s = ""
    while n:
        n, r = divmod(n, 36)
        s = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + s
    return s


def rows(name):
    with open(f"{PS}/{name}") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def apt():
    deps = rows("debian-bookworm-deps.tsv")
    index = {d["package"]: i for i, d in enumerate(deps)}
    measured = {(r["package"], r["recommends"]): r for r in rows("debian-bookworm-measured.tsv")}
    summary = {r["package"]: r for r in rows("debian-bookworm.tsv")}
    out = open(f"{OUT}/apt.tsv", "w")
    w = out.write
    w("# apt sizes, Debian 12 bookworm amd64, measured 2026-11-24 on a reconstructed debian:bookworm-slim\n")
    w("# source: shared/package-sizes (debian-bookworm*.tsv, apt-metadata.tsv); numbers in base 36.\n")
    w("# D name slim_payload_bytes full_payload_bytes py_bytes   one row per package in any closure (row number = index);\n")
    w("#   full = every regular file of the .deb (docs, man pages kept: non-slim images)\n")
    w("# R package recommends(y|n) version layer_bytes dpkg_db_bytes debconf_bytes log_bytes pyc_bytes closure(indexes)\n")
    w("#   layer_bytes = measured layer of `apt-get install -y [--no-install-recommends] PKG` (lists and archives excluded)\n")
    w("# U path bytes   /var/lib/apt/lists after apt-get update with the Debian image apt config (19,856,468 B)\n")
    for d in deps:
        py = d["py_bytes"]
        w("\t".join(["D", d["package"], b36(d["slim_payload_bytes"]), b36(d["payload_bytes"]), b36(py) if py != "0" else ""]) + "\n")
    for c in rows("debian-bookworm-closures.tsv"):
        m = measured[(c["package"], c["recommends"])]
        closure = " ".join(b36(index[p]) for p in c["added_packages"].split())
        w("\t".join(["R", c["package"], "y" if c["recommends"] == "yes" else "n", summary[c["package"]]["version"],
                     b36(m["layer_bytes"]), b36(m["dpkg_db_bytes"]), b36(m["debconf_cache_bytes"]),
                     b36(m["log_bytes"]), b36(m["pyc_bytes"]), closure]) + "\n")
    for r in rows("apt-metadata.tsv"):
        if r["variant"] == "debian-image-config" and r["item"].startswith("/var/lib/apt/lists/"):
            w("\t".join(["U", r["item"], r["bytes"]]) + "\n")
    out.close()


def pip():
    out = open(f"{OUT}/pip.tsv", "w")
    w = out.write
    w("# pip install sizes, cp312 wheels for manylinux_2_36 (glibc 2.36, Debian 12), measured 2026-11-24\n")
    w("# source: shared/package-sizes/pypi-cp312-manylinux.tsv (platform_tags = manylinux_2_36)\n")
    w("# P package version wheels wheel_bytes installed_with_pyc_bytes wheel_set(name==version,...)\n")
    for r in rows("pypi-cp312-manylinux.tsv"):
        if r["platform_tags"] != "manylinux_2_36":
            continue
        w("\t".join(["P", r["package"], r["version"], r["wheels"], r["wheel_bytes"], r["installed_with_pyc_bytes"],
                     r["wheel_set"]]) + "\n")
    out.close()


def npm():
    out = open(f"{OUT}/npm.tsv", "w")
    w = out.write
    w("# npm install sizes (node 20, npm 11, --ignore-scripts), measured 2026-11-24\n")
    w("# source: shared/package-sizes/npm.tsv\n")
    w("# N package version packages_installed node_modules_bytes npm_cache_bytes package_lock_bytes\n")
    for r in rows("npm.tsv"):
        w("\t".join(["N", r["package"], r["version"], r["packages_installed"], r["node_modules_bytes"],
                     r["npm_cache_bytes"], r["package_lock_bytes"]]) + "\n")
    out.close()


apt()
pip()
npm()
