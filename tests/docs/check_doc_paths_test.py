#!/usr/bin/env python3
"""Tests of check_doc_paths.py on a throw-away tree: which tokens count as repository
paths, how they are cleaned and expanded, and that a missing one fails the check."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_doc_paths  # noqa: E402


class CheckDocPathsTest(unittest.TestCase):
    def setUp(self):
        self.src = tempfile.mkdtemp(prefix="observd-docpaths-")
        self.addCleanup(shutil.rmtree, self.src)
        for path in ("exporter/http/routes.h", "exporter/http/routes.cc", "tests/run.sh",
                     "docs/ARCHITECTURE.md", "systemd/observd@.service"):
            self.touch(path)

    def touch(self, path, text=""):
        full = os.path.join(self.src, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def misses(self, text):
        self.touch("README.md", text)
        md = os.path.join(self.src, "README.md")
        return [p for _, p in check_doc_paths.stale_paths(
            self.src, md, check_doc_paths.layer_token(self.src))]

    def test_existing_paths_pass_in_every_form(self):
        self.assertEqual(self.misses(
            "See `exporter/http/routes.cc:42`, [run](tests/run.sh), docs/ARCHITECTURE.md.\n"
            "exporter/http/routes.{h,cc} and `http/routes.cc:10-20`; exporter/... and\n"
            "systemd/observd@.service, `tests/` and exporter/http/*.cc.\n"), [])

    def test_missing_paths_are_listed(self):
        self.assertEqual(self.misses(
            "Moved: `exporter/http/old.cc`, tests/unit/x_test.cc:3 and docs/gone/\n"
            "exporter/http/routes.{h,cc,inc} and (http/nothere.h) and packaging/*.deb\n"),
            ["exporter/http/old.cc", "tests/unit/x_test.cc", "docs/gone/",
             "exporter/http/routes.inc", "packaging/*.deb", "exporter/http/nothere.h"])

    def test_urls_absolute_paths_and_words_are_not_repository_paths(self):
        self.assertEqual(self.misses(
            "https://github.com/x/y/blob/main/docs/none.md, /etc/observd/tests/x,\n"
            "/usr/share/doc/observd/docs/y.md, 20k requests/s, contests/x, ./docs/z\n"
            "and a folder listing: http/, config/.\n"), [])

    def test_main_exits_one_on_a_miss_and_zero_when_clean(self):
        self.touch("docs/a.md", "`docs/ARCHITECTURE.md`\n")
        self.assertEqual(check_doc_paths.main(["x", self.src]), 0)
        self.touch("docs/b.md", "`docs/missing.md`\n")
        self.assertEqual(check_doc_paths.main(["x", self.src]), 1)

    def test_build_hidden_and_node_modules_are_not_read(self):
        for d in ("build-it", ".git", "frontend/node_modules/pkg"):
            self.touch(d + "/README.md", "`docs/missing.md`\n")
        self.touch("README.md", "`docs/ARCHITECTURE.md`\n")
        self.assertEqual(check_doc_paths.main(["x", self.src]), 0)


if __name__ == "__main__":
    unittest.main()
