"""Failed basic-auth logins are visible: counted in observd_http_auth_failures_total
by reason, and logged with the client's address at a bounded rate, in a line the
shipped fail2ban filter (packaging/fail2ban/filter.d/observd.conf) matches."""

import base64
import configparser
import os
import re
import shutil
import tempfile
import unittest

from itbase import ObservdTestCase, seed_default_dataset  # noqa: I100 (puts tests/lib on sys.path)
from paths import source_dir
from polling import wait_until

# bcrypt (cost 4) of "secret"
HASH = "$2b$04$l/0We8pJpKoCzQT2o6I6y.Vco0hE.3pmz3HPfq.OaZ0HquO3sZMlS"
LINE = re.compile(r"authentication failed: client=(\S+) reason=(\w+)(?: via=\S+)?"
                  r"(?: \(and (\d+) more)?")


def basic(creds):
    return {"Authorization": "Basic " + base64.b64encode(creds).decode()}


def fail2ban_regex():
    """The filter's failregex as a Python regex (<HOST> -> an IPv4 address group)."""
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(source_dir(), "packaging", "fail2ban", "filter.d", "observd.conf"))
    rx = cp["Definition"]["failregex"].strip()
    return re.compile(rx.replace("<HOST>", r"(?P<host>\d+\.\d+\.\d+\.\d+)"))


class AuthFailuresTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)

    def start(self, log_format):
        tmp = tempfile.mkdtemp(prefix="observd-auth-")
        self.addCleanup(shutil.rmtree, tmp, True)
        web = os.path.join(tmp, "web-config.yml")
        with open(web, "w") as f:
            f.write("basic_auth_users:\n  prometheus: %s\n" % HASH)
        o = self.start_observd(redis=self.redis, wait_ready=False,
                               extra_args=["--log.format=" + log_format,
                                           "--web.config.file=" + web])
        wait_until(lambda: o.get("/-/healthy", timeout=2).status == 200, timeout=15,
                   message=lambda: o.stderr())
        return o

    def failures(self, o):
        text = o.get("/metrics", headers=basic(b"prometheus:secret")).body.decode()
        return {m.group(1): float(m.group(2)) for m in re.finditer(
            r'observd_http_auth_failures_total\{reason="(\w+)"\} (\S+)', text)}

    def test_failures_are_counted_by_reason_and_logged_with_the_client(self):
        o = self.start("logfmt")
        for _ in range(3):
            self.assertEqual(o.get("/metrics").status, 401)
        for _ in range(2):
            self.assertEqual(o.get("/metrics", headers={"Authorization": "Basic %%"}).status, 401)
        for i in range(20):
            self.assertEqual(o.get("/metrics", headers=basic(b"prometheus:wrong%d" % i)).status,
                             401)
        self.assertEqual(self.failures(o), {"missing": 3, "malformed": 2, "rejected": 20})
        lines = [m for m in map(LINE.search, o.stderr().splitlines()) if m]
        self.assertTrue(lines, o.stderr())
        self.assertEqual({m.group(1) for m in lines}, {"127.0.0.1"})
        self.assertNotIn("missing", {m.group(2) for m in lines},
                         "a request without credentials is a browser's first try")
        # 22 logged failures in a burst: the rate bound leaves some out, and the next
        # line after the window says how many.
        self.assertLess(len(lines), 22)

        def told_how_many():
            o.get("/metrics", headers=basic(b"prometheus:again"))
            return any(m.group(3) for m in map(LINE.search, o.stderr().splitlines()) if m)
        wait_until(told_how_many, timeout=10, message=lambda: o.stderr())
        self.assertNotIn("secret", o.stderr())
        self.assertNotIn("wrong", o.stderr(), "passwords never reach the log")

    def test_behind_a_loopback_proxy_the_client_is_the_one_it_names(self):
        o = self.start("logfmt")
        rx = fail2ban_regex()
        # The shipped nginx front sets X-Real-IP; observd sees 127.0.0.1 as the peer.
        o.get("/metrics", headers=dict(basic(b"prometheus:wrong"), **{"X-Real-IP": "203.0.113.9"}))
        wait_until(lambda: "client=203.0.113.9" in o.stderr(), timeout=10,
                   message=lambda: o.stderr())
        line = next(l for l in o.stderr().splitlines() if "client=203.0.113.9" in l)
        self.assertIn("reason=rejected via=127.0.0.1", line)
        self.assertEqual(rx.search(line).group("host"), "203.0.113.9", "fail2ban bans the client")
        # Not an address: the peer is logged, never the header's text.
        o.get("/metrics", headers=dict(basic(b"prometheus:wrong2"),
                                       **{"X-Real-IP": "203.0.113.9 reason=x"}))
        o.get("/metrics", headers=dict(basic(b"prometheus:wrong3"), **{"X-Real-IP": "evil"}))
        self.assertNotIn("evil", o.stderr())
        self.assertNotIn("reason=x", o.stderr())

    def test_the_fail2ban_filter_matches_both_log_formats(self):
        rx = fail2ban_regex()
        for fmt in ("logfmt", "json"):
            with self.subTest(fmt):
                o = self.start(fmt)
                o.get("/metrics", headers=basic(b"prometheus:wrong"))
                wait_until(lambda: "authentication failed" in o.stderr(), timeout=10)
                matched = [rx.search(l) for l in o.stderr().splitlines()
                           if "authentication failed" in l]
                self.assertTrue(matched and all(matched), o.stderr())
                self.assertEqual(matched[0].group("host"), "127.0.0.1")
                self.stop_observd(o)


if __name__ == "__main__":
    unittest.main()
