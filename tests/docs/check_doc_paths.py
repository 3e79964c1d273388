#!/usr/bin/env python3
"""check_doc_paths.py [SOURCE_DIR] — fails (exit 1) listing every repository path a
Markdown file names that does not exist, so a moved or renamed file cannot leave a
stale doc behind.

Reads every *.md under SOURCE_DIR (default: this checkout) except in hidden, build*
and node_modules directories. A path is a token that starts with one of the top-level
folders in ROOTS (`exporter/...`, `tests/...`), in backticks, a link or plain prose,
and not right after a letter, digit, '.', '/' or '-' (so URLs and /etc/... paths are
not paths of this repository); or a folder of exporter/ followed by a file name with an
extension (`http/routes.cc`, as docs/ARCHITECTURE.md writes them), checked under
exporter/. Before checking: trailing punctuation and a `:line` or
`:line-line` suffix are dropped, `a/{b,c}.h` stands for a/b.h and a/c.h, and a token
with `*` or `?` must match at least one file (glob). Pure; prints one line per miss.
"""

import glob
import itertools
import os
import re
import sys

ROOTS = ("exporter", "tests", "packaging", "frontend", "systemd", "docs", "cmake")
BEFORE = r"(?<![A-Za-z0-9_./\-])"  # not inside a word, URL, absolute or relative path
CHARS = r"[A-Za-z0-9_.\-/{},*?@+]"
TOKEN = re.compile(BEFORE + r"((?:%s)/%s*)" % ("|".join(ROOTS), CHARS))
LINE_SUFFIX = re.compile(r":\d+(?:-\d+)?$")
SKIP_DIRS = ("node_modules",)


def markdown_files(src):
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and not (rel == "." and d.startswith("build")))
        for name in sorted(files):
            if name.endswith(".md"):
                yield os.path.join(top, name)


def expand_braces(token):
    """'a/{b,c}.{h,cc}' -> ['a/b.h', 'a/b.cc', 'a/c.h', 'a/c.cc']; no braces -> [token]."""
    parts = re.split(r"(\{[^{}]*\})", token)
    choices = [p[1:-1].split(",") if p.startswith("{") and p.endswith("}") else [p]
               for p in parts]
    return ["".join(c) for c in itertools.product(*choices)]


def clean(token):
    """The token without what prose puts after a path: punctuation, ':12', '...'."""
    while True:
        before = token
        token = LINE_SUFFIX.sub("", token)
        token = token.rstrip(".,;:)")
        if token.endswith("/...") or token.endswith("/…"):
            token = token.rsplit("/", 1)[0] + "/"
        if token == before:
            return token


def exists(src, path):
    full = os.path.join(src, path)
    if any(c in path for c in "*?"):
        return bool(glob.glob(full))
    return os.path.exists(full)


def layer_token(src):
    """Paths inside exporter/ named from its layer folders, as docs/ARCHITECTURE.md does
    (`http/routes.cc`): a folder of exporter/, then a file name with an extension."""
    layers = sorted(d for d in os.listdir(os.path.join(src, "exporter"))
                    if os.path.isdir(os.path.join(src, "exporter", d)))
    return re.compile(BEFORE + r"((?:%s)/%s*\.%s*)" % ("|".join(layers), CHARS, CHARS))


def named_paths(line, layer_re):
    """Repository paths (relative to the source dir) named in one line of Markdown."""
    found = [clean(m.group(1)) for m in TOKEN.finditer(line)]
    found += ["exporter/" + clean(m.group(1)) for m in layer_re.finditer(line)]
    for token in found:
        if "{" in token and "}" not in token:  # cut at a space inside braces
            continue
        yield from expand_braces(token)


def stale_paths(src, md_path, layer_re):
    """[(line number, path)] for every path `md_path` names that is missing under src."""
    misses = []
    with open(md_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            for path in named_paths(line, layer_re):
                if not exists(src, path):
                    misses.append((number, path))
    return misses


def main(argv):
    src = os.path.abspath(argv[1] if len(argv) > 1 else
                          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    checked = failures = 0
    layer_re = layer_token(src)
    for md in markdown_files(src):
        checked += 1
        for number, path in stale_paths(src, md, layer_re):
            print("%s:%d: names %s, which does not exist" % (os.path.relpath(md, src), number, path))
            failures += 1
    if checked == 0:
        print("check_doc_paths: no Markdown files under %s" % src)
        return 1
    if failures:
        print("check_doc_paths: %d stale path(s) in %d Markdown file(s)" % (failures, checked))
        return 1
    print("check_doc_paths: OK (%d Markdown files)" % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
