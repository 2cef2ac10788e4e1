#!/usr/bin/env python3
"""Regenerates core/src/image/catalog.tsv from the shared base-image facts.

    python3 core/src/image/catalog_gen.py ../shared > core/src/image/catalog.tsv

Reads ../shared/base-images/catalog.json (docker-library/repo-info, linux/amd64) and adds the
images base-images.md gives only a total for. Keeps only what the simulator needs: per tag the
resolved build, distro, on-disk total, one row per history entry (per-layer on-disk size =
repo-info's compressed-proportional estimate, exact compressed size, a role telling the skeleton
which files the layer holds, history text cut to 100 chars) and the config as compact JSON.
A developer tool: the product only reads the generated TSV (include_str!).
"""
import json
import re
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared"
CUT = 100
ALL = []

APT_COMMANDS = {
    "curl": "curl", "wget": "wget", "git": "git", "gcc": "gcc", "g++": "g++", "make": "make",
    "openssh-client": "ssh", "subversion": "svn", "mercurial": "hg", "procps": "ps",
    "gnupg": "gpg", "xz-utils": "xz", "file": "file", "bzip2": "bzip2", "unzip": "unzip",
    "pkg-config": "pkg-config", "autoconf": "autoconf", "automake": "automake", "patch": "patch",
    "tzdata": "", "ca-certificates": "", "netbase": "", "tar": "tar", "dpkg-dev": "dpkg-architecture",
}

CODENAMES = {"bookworm": "12", "bullseye": "11", "buster": "10", "trixie": "13",
             "focal": "20.04", "jammy": "22.04", "noble": "24.04", "resolute": "26.04"}


def cut(text):
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= CUT else text[: CUT - 3] + "..."


def packages_in(text):
    """Package names of every `apt-get install` / `apk add` in a RUN text (options skipped)."""
    names = []
    text = text.replace("# buildkit", "")
    for m in re.finditer(r"(?:apt-get install|apk add)((?:\s+[^;&|]+?)*?)(?:;|&&|\|\||$)", text):
        for w in m.group(1).split():
            if w.startswith("-") or w.startswith("$") or "=" in w or w.startswith(".") or w.endswith("..."):
                continue
            if re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", w) and w not in names:
                names.append(w)
    return ",".join(names)


def role(image, idx, layer, first):
    t = layer["created_by"]
    fam = image.split(":")[0]
    if first:
        return "os"
    if fam == "eclipse-temurin" and "umoci" in t:
        return "rest"
    if "groupadd --gid 1000 node" in t:
        return "user:node:1000"
    if "addgroup -g 1000 node" in t:
        return "user:node:1000+node"
    if "groupadd --system --gid 101 nginx" in t or "addgroup -g 101 -S nginx" in t:
        return "user:nginx:101+nginx"
    if re.search(r"groupadd -r (-g 999 )?redis|useradd -r -g redis", t):
        return "user:redis:999"
    if "groupadd -r postgres" in t:
        return "user:postgres:999"
    m = re.match(r"COPY (?:--chmod=\d+ )?(\S+) (?:in )?(\S+)", t)
    if m:
        src, dst = m.group(1), m.group(2)
        name = src.rsplit("/", 1)[-1]
        if name.startswith("file:") or src == "/target/":
            name = "docker-entrypoint.sh"
        if src == "/target/":
            return "go"
        is_dir = dst.endswith("/") or dst.endswith(".d")
        path = dst.rstrip("/") + "/" + name if is_dir else dst
        return "copy:" + path
    if fam == "python":
        if "for src in idle3" in t:
            return "python-links"
        if "get-pip" in t:
            return "pip"
        if "python.tar.xz" in t or "savedAptMark" in t or ".build-deps" in t:
            return "python"
    if fam == "node":
        if "dpkgArch" in t or "ARCH=" in t:
            return "node"
        if "yarn" in t or "for key in" in t:
            return "yarn"
    if fam == "golang":
        if "GOPATH" in t:
            return "gopath"
        if "dl.google.com/go" in t or "golang.org/dl" in t:
            return "go"
    if fam == "rust":
        return "rust"
    if fam == "nginx" and ("nginx" in t or "apkArch" in t):
        return "rest"
    if fam == "eclipse-temurin" and "ESUM" in t:
        return "java"
    if fam == "redis" and "savedAptMark" in t:
        return "redis"
    if fam == "postgres" and "postgresql" in t and "aptRepo" in t:
        return "postgres"
    if "apt-get install" in t or "apk add" in t:
        return ("apk:" if "apk add" in t else "apt:") + packages_in(t)
    return "rest"


def flavour(tag):
    if "alpine" in tag:
        return "alpine"
    if "slim" in tag:
        return "slim"
    for f in ("jre", "jdk"):
        if f in tag:
            return f
    return "full"


def distro_of(e):
    r = e["resolved"]
    first = next(l for l in e["layers"] if not l["empty_layer"])["created_by"]
    fam = e["image"].split(":")[0]
    m = re.search(r"alpine-minirootfs-(\d+\.\d+)", first) or re.search(r"alpine(\d+\.\d+)", r)
    if fam == "alpine":
        return "alpine", r.split(":")[1]
    if m or "alpine" in r:
        if m:
            return "alpine", m.group(1)
        # Same rootfs blob as another catalogued alpine image (e.g. the Jan-2023 3.17 one).
        for other in ALL:
            if other is not e and other["layers"][0]["created_by"] == e["layers"][0]["created_by"]:
                m2 = re.search(r"alpine(\d+\.\d+)", other["resolved"])
                if m2:
                    return "alpine", m2.group(1)
        return "alpine", ""
    if fam == "busybox":
        return "busybox", r.split(":")[1]
    if fam == "ubuntu":
        return "ubuntu", e["image"].split(":")[1]
    if fam == "eclipse-temurin":
        return "ubuntu", "26.04"
    m = re.search(r"debian\.sh --arch 'amd64' out/ '(\w+)'", first)
    if m:
        return "debian", CODENAMES[m.group(1)] + " (" + m.group(1) + ")"
    for code, ver in CODENAMES.items():
        if code in r:
            return "debian", ver + " (" + code + ")"
    if fam == "debian":
        return "debian", "11 (bullseye)"
    # Jan-2023 snapshot images without a codename in the tag: bullseye, except node:14 (buster).
    if e["image"].startswith("node:14"):
        return "debian", "10 (buster)"
    return "debian", "11 (bullseye)"


def version_of(e):
    v = e["versions"] or {}
    for k in ("PYTHON_VERSION", "NODE_VERSION", "GOLANG_VERSION", "RUST_VERSION", "NGINX_VERSION",
              "REDIS_VERSION", "JAVA_VERSION", "PG_VERSION"):
        if k in v:
            s = v[k]
            s = s.replace("jdk-", "").split("+")[0].split("-")[0]
            return s
    fam, tag = e["image"].split(":")
    if fam == "debian":
        return CODENAMES.get(tag.split("-")[0], tag.split("-")[0])
    return e["resolved"].split(":")[1]


def source_of(e):
    s, r = e["source"], e["remote_source"]
    repo = "" if s["repo"] == "docker-library/repo-info" else s["repo"] + " "
    rrepo = "" if r["repo"] == "docker-library/repo-info" else r["repo"] + " "
    return (f"repo-info {repo}{s['path'].replace('repos/', '')}@{s['commit'][:7]}; "
            f"{rrepo}{r['path'].replace('repos/', '')}@{r['commit'][:7]}")


ALIASES = {"busybox:latest": "latest,stable", "nginx:latest": "latest,mainline",
           "node:22": "jod", "node:16": "gallium", "node:14": "fermium", "node:14-slim": "fermium-slim",
           "node:16-alpine": "gallium-alpine", "node:14-alpine": "fermium-alpine",
           "debian:bookworm": "12", "debian:bookworm-slim": "12-slim", "debian:11": "bullseye",
           "ubuntu:20.04": "focal", "ubuntu:22.04": "jammy", "ubuntu:24.04": "noble",
           "eclipse-temurin:21-jdk": "21", "rust:1": "latest"}


def config_json(cfg):
    out = {}
    for k, v in cfg.items():
        if v in (None, "", [], {}) and k != "Entrypoint":
            continue
        if k == "Labels" and v:
            v = {lk: (lv if len(lv) <= 80 else lv[:77] + "...") for lk, lv in v.items()}
        out[k] = v
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False)


def emit_image(tag, resolved, family, flav, version, distro, dver, size, total, source, layers, cfg):
    print("\t".join(["I", tag, ALIASES.get(tag, ""), resolved, family, flav, version, distro, dver,
                     str(size), total, source]))
    for l in layers:
        if l[0] == "M":
            print("M\t" + cut(l[1]))
        else:
            _, sz, comp, rl, text = l
            print("\t".join(["L", str(sz), "-" if comp is None else str(comp), rl, cut(text)]))
    print("C\t" + config_json(cfg))


def rows_of(e):
    out, first = [], True
    for i, l in enumerate(e["layers"]):
        if l["empty_layer"]:
            out.append(("M", l["created_by"]))
        else:
            out.append(("L", l["size_bytes_estimate"], l["compressed_bytes"], role(e["image"], i, l, first), l["created_by"]))
            first = False
    return out


def scaled(rows, total, replace=None):
    """The same history with content sizes scaled to `total` (remainder on the largest)."""
    content = [r for r in rows if r[0] == "L"]
    old = sum(r[1] for r in content)
    new, acc = [], 0
    for r in rows:
        if r[0] == "L":
            sz = r[1] * total // old
            acc += sz
            new.append(["L", sz, None, r[3], r[4]])
        else:
            new.append(list(r))
    big = max((x for x in new if x[0] == "L"), key=lambda x: x[1])
    big[1] += total - acc
    if replace:
        new = [[x[0], x[1], x[2], x[3], replace(x[4])] if x[0] == "L" else [x[0], replace(x[1])] for x in new]
    return [tuple(x) for x in new]


def main():
    data = json.load(open(f"{SHARED}/base-images/catalog.json"))
    ALL.extend(data)
    print("# Layerlab base-image catalog, generated by catalog_gen.py from shared/base-images (docker-library/repo-info, linux/amd64).")
    print("# I tag aliases resolved family flavour version distro distro_version size_bytes total source")
    print("#   total: published = repo-info 'Virtual Size' (rounded to 10 kB, 10 MB for Gb figures); est = estimated")
    print("# L size_estimate compressed role created_by   (on-disk size per layer is an ESTIMATE: total split by compressed size;")
    print("#   compressed is exact, '-' unknown; role = which skeleton files the layer holds)")
    print("# M created_by   (metadata-only history row)       C config JSON (Docker field names)")
    by_tag = {}
    for e in data:
        tag = e["image"]
        by_tag[tag] = e
        distro, dver = distro_of(e)
        fam = tag.split(":")[0]
        emit_image(tag, e["resolved"], fam, flavour(tag.split(":")[1]), version_of(e), distro, dver,
                   e["size_bytes"], "published", source_of(e), rows_of(e), e["config"])

    # Images base-images.md gives a total for but catalog.json has no layer list for: the layer
    # split of the nearest catalogued sibling, scaled to the published total (layers estimated).
    def derived(tag, template, total, resolved, version, dver, source, replace=None, env=None, cfg_extra=None):
        t = by_tag[template]
        rows = scaled(rows_of(t), total, replace)
        cfg = dict(t["config"])
        if env:
            cfg["Env"] = [x if not x.startswith(env[0] + "=") else env[0] + "=" + env[1] for x in cfg["Env"]]
        if cfg_extra:
            cfg.update(cfg_extra)
        distro = "alpine" if "alpine" in tag else "debian"
        emit_image(tag, resolved, tag.split(":")[0], flavour(tag.split(":")[1]), version, distro, dver, total,
                   "published", source + " (layer split from " + template + ", estimated)", rows, cfg)

    derived("golang:1.26", "golang:1.23", 873770000, "golang:1.26.7-trixie", "1.26.7", "13 (trixie)",
            "repo-info golang/local/1.26.md@8874cb1", lambda s: s.replace("bookworm", "trixie"),
            env=("GOLANG_VERSION", "1.26.7"))
    derived("golang:1.26-alpine", "golang:1.23-alpine", 241370000, "golang:1.26.8-alpine3.24", "1.26.8", "3.24",
            "repo-info golang/local/1.26-alpine.md@8ce86ac", lambda s: s.replace("3.21.2", "3.24.2"),
            env=("GOLANG_VERSION", "1.26.8"))
    # rust:1 = buildpack-deps:trixie (python:3.12's first four layers) + the rustup layer.
    py = rows_of(by_tag["python:3.12"])
    bp = [r for r in py if r[0] == "L"][:4]
    rust_total = 1650000000
    rust_layer = rust_total - sum(r[1] for r in bp)
    rows = [("L", r[1], r[2], r[3], r[4]) for r in bp]
    rows += [("M", "LABEL org.opencontainers.image.source=https://github.com/rust-lang/docker-rust"),
             ("M", "ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH RUST_VERSION=1.98.1"),
             ("L", rust_layer, None, "rust", "RUN set -eux; dpkgArch=\"$(dpkg --print-architecture)\"; ... rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION")]
    emit_image("rust:1", "rust:1.98.1-trixie", "rust", "full", "1.98.1", "debian", "13 (trixie)", rust_total, "published",
               "repo-info rust/local/latest.md@95ab041 (layers: buildpack-deps:trixie from python:3.12 + rust layer, estimated)",
               rows, by_tag["rust:1-slim"]["config"])
    pa = rows_of(by_tag["python:3.12-alpine"])
    os_row = [r for r in pa if r[0] == "L"][0]
    total = 1020000000
    rows = [os_row, ("M", "CMD [\"/bin/sh\"]"),
            ("M", "ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH RUST_VERSION=1.98.1"),
            ("L", total - os_row[1], None, "rust", "RUN set -eux; apk add --no-cache ca-certificates gcc; ... rustup-init -y --no-modify-path --profile minimal")]
    cfg = dict(by_tag["rust:1-slim"]["config"])
    cfg["Cmd"] = ["/bin/sh"]
    emit_image("rust:1-alpine", "rust:1.98.1-alpine3.24", "rust", "alpine", "1.98.1", "alpine", "3.24", total, "published",
               "repo-info rust/local/1.98.1-alpine.md@0842c51 (layers estimated: alpine 3.24 + rust layer)", rows, cfg)

    # maven:3.9-eclipse-temurin-21 = eclipse-temurin:21-jdk + Apache Maven (estimated layers,
    # structure of docker-library/maven's eclipse-temurin Dockerfile).
    t = by_tag["eclipse-temurin:21-jdk"]
    rows = [tuple(r) for r in rows_of(t)]
    mvn = 10_000_000
    rows += [("M", "ENV MAVEN_HOME=/usr/share/maven"),
             ("L", mvn, None, "maven", "COPY /usr/share/maven /usr/share/maven # buildkit"),
             ("L", 1_500, None, "copy:/usr/local/bin/mvn-entrypoint.sh", "COPY /usr/local/bin/mvn-entrypoint.sh /usr/local/bin/mvn-entrypoint.sh # buildkit"),
             ("L", 0, None, "maven-link", "RUN ln -s ${MAVEN_HOME}/bin/mvn /usr/bin/mvn # buildkit"),
             ("M", "ENV MAVEN_CONFIG=/root/.m2"),
             ("M", "ENTRYPOINT [\"/usr/local/bin/mvn-entrypoint.sh\"]"),
             ("M", "CMD [\"mvn\"]")]
    cfg = dict(t["config"])
    cfg["Env"] = list(cfg["Env"]) + ["MAVEN_HOME=/usr/share/maven", "MAVEN_CONFIG=/root/.m2"]
    cfg["Entrypoint"] = ["/usr/local/bin/mvn-entrypoint.sh"]
    cfg["Cmd"] = ["mvn"]
    ALIASES["maven:3.9-eclipse-temurin-21"] = "3-eclipse-temurin-21,3.9,3,latest"
    emit_image("maven:3.9-eclipse-temurin-21", "maven:3.9-eclipse-temurin-21", "maven", "full", "3.9", "ubuntu", "26.04",
               t["size_bytes"] + mvn + 1_500, "est",
               "estimate: eclipse-temurin:21-jdk (repo-info) + Apache Maven 3.9 (~10 MB unpacked)", rows, cfg)

    # Distroless: figures are rough (base-images.md): one layer each, all estimated.
    dl = [
        ("gcr.io/distroless/static-debian12", 2097152, "est", "distroless README@cd08076 ('around 2 MiB')", "static"),
        ("gcr.io/distroless/static-debian13", 2097152, "est", "distroless README@cd08076 ('around 2 MiB')", "static"),
        ("gcr.io/distroless/base-debian12", 20000000, "est", "third-party comparison table (~20 MB), low confidence", "base"),
        ("gcr.io/distroless/base-debian13", 20000000, "est", "third-party comparison table (~20 MB), low confidence", "base"),
        ("gcr.io/distroless/cc-debian12", 23000000, "est", "base + libgcc/libstdc++ (distroless README), estimated", "cc"),
        ("gcr.io/distroless/cc-debian13", 23000000, "est", "base + libgcc/libstdc++ (distroless README), estimated", "cc"),
        ("gcr.io/distroless/python3-debian12", 50000000, "est", "third-party comparison table (~50 MB), low confidence", "python3"),
        ("gcr.io/distroless/nodejs22-debian13", 150000000, "est", "third-party table (~55 MB compressed) / 0.37, low confidence", "nodejs"),
        ("gcr.io/distroless/java21-debian13", 330000000, "est", "third-party table (~220 MB compressed) / 0.67, low confidence", "java"),
    ]
    for repo, size, total, src, kind in dl:
        deb = "12 (bookworm)" if repo.endswith("12") else "13 (trixie)"
        cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"], "User": "0", "WorkingDir": "/"}
        if kind == "python3":
            cfg["Entrypoint"] = ["/usr/bin/python3.11"]
        if kind == "nodejs":
            cfg["Entrypoint"] = ["/nodejs/bin/node"]
        if kind == "java":
            cfg["Entrypoint"] = ["/usr/bin/java", "-jar"]
        ALIASES[repo + ":latest"] = "nonroot,debug,debug-nonroot"
        emit_image(repo + ":latest", repo + ":latest", repo, "full", deb.split()[0],
                   "distroless", deb, size, total, src,
                   [("L", size, None, "distroless:" + kind, "bazel build " + repo.split("/")[-1] + " (layerlab: one layer, estimated)")], cfg)


main()
