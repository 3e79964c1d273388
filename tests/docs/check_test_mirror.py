#!/usr/bin/env python3
"""check_test_mirror.py [SOURCE_DIR] — fails (exit 1) listing every unit of exporter/
without its test file, so the rule of docs/ARCHITECTURE.md ("Tests mirror the tree")
cannot drift: each exporter/<folder>/<unit>.cc has tests/unit/<folder>/<unit>_test.cc,
listed in tests/unit/CMakeLists.txt, unless that paragraph names it as exempt
(`<folder>/<unit>.cc` in backticks; `main.cc` too). A header without a .cc that holds
logic (three or more function bodies) is a unit too: `<folder>/<unit>.h` needs the same
test file. An exempt unit that no longer
exists, and a test file the CMake list does not build, are failures as well. Pure;
prints one line per miss.
"""

import glob
import os
import re
import sys


# A line that opens a function body: "...) {", "...) const {", "...) -> T {".
BODY = re.compile(r"\)\s*(const\s*)?(noexcept\s*)?(->\s*[\w:<>]+\s*)?\{\s*$")
CONTROL = re.compile(r"\s*(//|struct|class|namespace|enum|if|for|while|switch|else|\}|return)")


def header_only_units(src):
    """exporter/<folder>/<unit>.h files without a .cc that hold three or more bodies."""
    out = []
    for path in sorted(glob.glob(os.path.join(src, "exporter", "*", "*.h"))):
        if os.path.exists(path[:-2] + ".cc"):
            continue
        lines = open(path, encoding="utf-8").read().splitlines()
        if sum(1 for l in lines if BODY.search(l) and not CONTROL.match(l)) >= 3:
            out.append(path)
    return out


def main(src):
    arch = open(os.path.join(src, "docs", "ARCHITECTURE.md"), encoding="utf-8").read()
    start = arch.find("Tests mirror the")
    paragraph = arch[start:arch.find("\n\n", start)] if start >= 0 else ""
    exempt = set(re.findall(r"`((?:[a-z0-9_]+/)?[a-z0-9_]+\.cc)`", paragraph))
    cmake = open(os.path.join(src, "tests", "unit", "CMakeLists.txt"), encoding="utf-8").read()
    listed = set(re.findall(r"^\s+([a-z0-9_]+/[a-z0-9_]+_test\.cc)\)?\s*$", cmake, re.M))
    misses = []
    if not exempt:
        misses.append("docs/ARCHITECTURE.md: no \"Tests mirror the tree\" paragraph")
    units = set()
    for path in sorted(glob.glob(os.path.join(src, "exporter", "*", "*.cc"))):
        folder, name = path.split(os.sep)[-2:]
        unit = folder + "/" + name
        units.add(unit)
        if unit in exempt or name in exempt:
            continue
        test = folder + "/" + name[:-3] + "_test.cc"
        if not os.path.exists(os.path.join(src, "tests", "unit", test)):
            misses.append("exporter/%s: no tests/unit/%s" % (unit, test))
    for path in header_only_units(src):
        folder, name = path.split(os.sep)[-2:]
        units.add(folder + "/" + name)
        test = folder + "/" + name[:-2] + "_test.cc"
        if not os.path.exists(os.path.join(src, "tests", "unit", test)):
            misses.append("exporter/%s/%s (header-only, with logic): no tests/unit/%s"
                          % (folder, name, test))
    for unit in sorted(exempt - units - {"main.cc"}):
        misses.append("docs/ARCHITECTURE.md exempts %s, which does not exist" % unit)
    for path in sorted(glob.glob(os.path.join(src, "tests", "unit", "*", "*_test.cc"))):
        test = "/".join(path.split(os.sep)[-2:])
        if test not in listed:
            misses.append("tests/unit/%s: not built (tests/unit/CMakeLists.txt)" % test)
    for miss in misses:
        print(miss)
    print("check_test_mirror: %s (%d units, %d exempt)" %
          ("FAILED" if misses else "OK", len(units), len(exempt)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")))
