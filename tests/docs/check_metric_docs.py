#!/usr/bin/env python3
"""The README's Metrics table and exporter/util/metric_names.h (where observd names its
metrics, once) agree: every name there has a row, and every observd_* name a row gives
is one of them. A metric added without its documentation, or a row left behind by a
rename, fails here rather than confusing an operator.

  check_metric_docs.py SOURCE_DIR
"""

import re
import sys


def main(src):
    with open(src + "/exporter/util/metric_names.h", encoding="utf-8") as f:
        names = set(re.findall(r'"(observd_[a-z0-9_]+)"', f.read()))
    with open(src + "/README.md", encoding="utf-8") as f:
        readme = f.read()
    section = readme.split("\n## Metrics\n", 1)
    if len(section) != 2:
        print("README.md has no '## Metrics' section")
        return 1
    table = section[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    documented = set()
    for row in rows:
        first_cell = row.split(" | ", 1)[0]
        documented |= set(re.findall(r"`(observd_[a-z0-9_]+)", first_cell))
    problems = ["%s (exporter/util/metric_names.h) has no row in the README's Metrics table" % n
                for n in sorted(names - documented)]
    problems += ["the README's Metrics table documents %s, which observd does not name "
                 "(exporter/util/metric_names.h)" % n for n in sorted(documented - names)]
    for p in problems:
        print(p)
    if not problems:
        print("check_metric_docs: %d metric names, all documented" % len(names))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
