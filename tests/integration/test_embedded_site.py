"""The binary alone serves the whole site: build/bin/observd started from an empty
working directory with only --redis.addr (and a free port) answers 200 on the pages,
every /static/ asset they reference and the partials, from the copy compiled in.
--web.templates / --web.root override it and SIGHUP reloads the override; a broken
override is logged and the embedded copy keeps serving."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unittest

from itbase import ObservdTestCase, seed_default_dataset
import harness

PAGES = ("/", "/dashboard/observability", "/dashboard/uploads")
PARTIALS = ("/dashboard/api/stats-html", "/dashboard/api/recent-uploads-html",
            "/dashboard/api/metrics-html")


def embeds_a_site():
    p = harness.run_observd(["--version"])
    return p.returncode == 0 and "embedded site: none" not in p.stdout


class BareObservd:
    """observd run as a new user would: cwd an empty temp dir, no config file, no
    web flags unless `extra_args` add them."""

    def __init__(self, redis, extra_args=()):
        self.port = harness.free_port()
        self.cwd = tempfile.mkdtemp(prefix="observd-it-bare-")
        self.log_path = os.path.join(self.cwd, "stderr.log")
        args = [os.path.abspath(harness.observd_bin()), "--redis.addr=" + redis.addr,
                "--web.listen-address=127.0.0.1:%d" % self.port] + list(extra_args)
        if os.path.exists("/etc/observd/observd.yml"):  # an installed package's config
            empty = os.path.join(self.cwd, "empty.yml")
            open(empty, "w").close()
            args.append("--config.file=" + empty)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        harness.wait_until(self._ready, timeout=15,
                           message=lambda: "observd not ready:\n" + self.log())

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError("observd exited: " + self.log())
        return self.get("/-/ready", timeout=2).status == 200

    def get(self, path, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return harness.Response(r.status, r.headers, r.read())
        finally:
            conn.close()

    def log(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        shutil.rmtree(self.cwd, ignore_errors=True)


@unittest.skipUnless(embeds_a_site(), "this build embeds no site (built without the front end)")
class EmbeddedSiteTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)

    def bare(self, extra_args=()):
        o = BareObservd(self.redis, extra_args)
        self.addCleanup(o.cleanup)
        return o

    def test_version_names_the_embedded_site(self):
        p = harness.run_observd(["--version"])
        self.assertRegex(p.stdout, r"embedded site: \d+ files, \d+ KiB; embedded templates: 3")
        self.assertIn("site served: embedded; templates: embedded", p.stdout)
        p = harness.run_observd(["--version", "--web.templates=/srv/t"])
        self.assertIn("templates: /srv/t", p.stdout)

    def test_binary_alone_serves_the_whole_site(self):
        o = self.bare()
        self.assertRegex(o.log(), r"listening .*site=embedded site_files=\d+ site_kib=\d+ "
                                  r"templates=embedded")
        assets = set()
        for page in PAGES:
            r = o.get(page)
            self.assertEqual(r.status, 200, page)
            self.assertTrue(r.header("Content-Type").startswith("text/html"), page)
            assets.update(re.findall(r'(?:src|href)="(/static/[^"]+)"', r.text))
        self.assertIn("/static/vendor/htmx.min.js", assets)
        self.assertIn("/static/vendor/chart.umd.min.js", assets)
        www = os.environ.get("OBSERVD_WWW")
        for path in sorted(assets):
            r = o.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertTrue(r.header("ETag"), path)
            self.assertTrue(r.header("Cache-Control"), path)
            # The embedded bytes are those of the assembled site.
            if www and os.path.isdir(www):
                with open(os.path.join(www, path.lstrip("/")), "rb") as f:
                    self.assertEqual(r.body, f.read(), path)
            again = o.get(path, headers={"If-None-Match": r.header("ETag")})
            self.assertEqual(again.status, 304, path)
        vendor = o.get("/static/vendor/htmx.min.js")
        self.assertIn("max-age=86400", vendor.header("Cache-Control"))
        for path in PARTIALS:
            r = o.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertGreater(len(r.body), 100, path)
        self.assertEqual(o.get("/static/missing.js").status, 404)

    def test_broken_overrides_are_logged_and_the_embedded_copy_serves(self):
        tmp = tempfile.mkdtemp(prefix="observd-it-tpl-")
        self.addCleanup(shutil.rmtree, tmp, True)
        for name in ("stats", "recent_uploads", "metrics_text"):
            with open(os.path.join(tmp, name + ".mustache"), "w") as f:
                f.write("{{#unclosed}}\n")
        o = self.bare(["--web.templates=" + tmp, "--web.root=" + os.path.join(tmp, "no-such")])
        log = o.log()
        self.assertIn("web.templates override is broken, serving the embedded copy", log)
        self.assertIn("web.root override is broken, serving the embedded copy", log)
        for path in PARTIALS + PAGES:
            self.assertEqual(o.get(path).status, 200, path)

    def test_override_wins_and_sighup_reloads_it(self):
        tmp = tempfile.mkdtemp(prefix="observd-it-tpl-")
        self.addCleanup(shutil.rmtree, tmp, True)
        src = os.environ.get("OBSERVD_TEMPLATES") or os.path.join(
            harness.source_dir(), "frontend", "templates")
        for name in ("stats", "recent_uploads", "metrics_text"):
            shutil.copy(os.path.join(src, name + ".mustache"), tmp)

        def write_stats(marker):
            with open(os.path.join(tmp, "stats.mustache"), "w") as f:
                f.write(marker)

        write_stats("<p>custom-one</p>")
        o = self.bare(["--web.templates=" + tmp])
        self.assertIn("templates=" + tmp, o.log())
        self.assertIn("custom-one", o.get("/dashboard/api/stats-html").text)
        self.assertEqual(o.get("/").status, 200)  # the site stays the embedded one

        write_stats("<p>custom-two</p>")
        o.proc.send_signal(signal.SIGHUP)
        harness.wait_until(lambda: "custom-two" in o.get("/dashboard/api/stats-html").text,
                           timeout=10, message=lambda: o.log())
        # A broken edit is logged on reload and the embedded template takes over.
        write_stats("{{#unclosed}}")
        o.proc.send_signal(signal.SIGHUP)
        harness.wait_until(lambda: "custom" not in o.get("/dashboard/api/stats-html").text,
                           timeout=10, message=lambda: o.log())
        r = o.get("/dashboard/api/stats-html")
        self.assertEqual(r.status, 200)
        self.assertGreater(len(r.body), 100)
        self.assertIn("web.templates override is broken", o.log())


if __name__ == "__main__":
    unittest.main()
