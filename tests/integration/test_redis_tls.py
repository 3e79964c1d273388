"""TLS to Redis through the shipped stunnel recipe: Redis listens with TLS only
(tls-port, plain port off, a CA made here with openssl), stunnel4 runs the shipped
packaging/stunnel/observd-redis-tunnel.conf (only addresses and paths replaced), and
observd reads real data through the tunnel. Certificate verification is on: a tunnel
expecting another host name gets no connection. rediss:// is refused in one line."""

import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset
from observd_process import run_observd  # noqa: E402
from paths import source_dir  # noqa: E402
from polling import wait_until  # noqa: E402
from ports import free_port  # noqa: E402
from processes import stop_process  # noqa: E402
from resp import RespClient  # noqa: E402

RECIPE = os.path.join("packaging", "stunnel", "observd-redis-tunnel.conf")


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True,
                   timeout=30)


def make_ca_and_server_cert(d):
    """ca.pem + server.pem/server.key for localhost and 127.0.0.1, signed by the CA."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=observd test CA", cwd=d)
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj",
            "/CN=localhost", cwd=d)
    with open(os.path.join(d, "san.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.cnf", cwd=d)


class TlsResp(RespClient):
    def __init__(self, port, cafile):
        ctx = ssl.create_default_context(cafile=cafile)
        raw = socket.create_connection(("127.0.0.1", port), timeout=2.0)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.buf = b""


class Plain:
    """cli()/pipeline() over one RespClient, as the seeding helpers expect."""

    def __init__(self, port):
        self.c = RespClient("127.0.0.1", port, timeout=5.0)

    def cli(self, *args):
        return self.c.call(*args)

    def pipeline(self, commands):
        return self.c.pipeline(commands)


class RedisTlsTest(ObservdTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="observd-it-tls-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        make_ca_and_server_cert(self.tmp)
        self.ca = os.path.join(self.tmp, "ca.pem")
        self.tls_port = free_port()
        self.redis = self.spawn(["redis-server", "--port", "0", "--bind", "127.0.0.1",
                                 "--tls-port", str(self.tls_port),
                                 "--tls-cert-file", os.path.join(self.tmp, "server.pem"),
                                 "--tls-key-file", os.path.join(self.tmp, "server.key"),
                                 "--tls-ca-cert-file", self.ca, "--tls-auth-clients", "no",
                                 "--save", "", "--appendonly", "no", "--dir", self.tmp],
                                "redis.log")
        wait_until(self.tls_ping, timeout=10, message="redis-server did not answer over TLS")

    def spawn(self, args, log_name):
        log = open(os.path.join(self.tmp, log_name), "wb")
        self.addCleanup(log.close)
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

        self.addCleanup(stop_process, p)
        return p

    def tls_ping(self):
        try:
            c = TlsResp(self.tls_port, self.ca)
        except OSError:
            return False
        try:
            return c.call("PING") == "PONG"
        finally:
            c.close()

    def start_tunnel(self, name, check_host):
        """The shipped recipe with only accept, connect, CAfile and checkHost replaced."""
        with open(os.path.join(source_dir(), RECIPE), encoding="utf-8") as f:
            conf = f.read()
        port = free_port()
        values = {"accept": "127.0.0.1:%d" % port, "connect": "127.0.0.1:%d" % self.tls_port,
                  "CAfile": self.ca, "checkHost": check_host}
        for key, value in values.items():
            conf, n = re.subn(r"(?m)^%s = .*$" % key, "%s = %s" % (key, value), conf)
            self.assertEqual(n, 1, "the recipe must set %s exactly once" % key)
        for key in ("verifyChain = yes", "foreground = yes"):
            self.assertRegex(conf, r"(?m)^%s$" % key)
        path = os.path.join(self.tmp, name + ".conf")
        with open(path, "w") as f:
            f.write(conf)
        proc = self.spawn(["stunnel4", path], name + ".log")
        wait_until(lambda: self._listening(port, proc), timeout=10,
                   message=lambda: "stunnel did not listen:\n" + self.log(name + ".log"))
        return port

    def _listening(self, port, proc):
        if proc.poll() is not None:
            raise AssertionError("stunnel exited with %s" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    def log(self, name):
        with open(os.path.join(self.tmp, name), errors="replace") as f:
            return f.read()[-3000:]

    def test_observd_reads_through_the_tunnel(self):
        port = self.start_tunnel("tunnel", "localhost")
        expected = seed_default_dataset(Plain(port))
        o = self.start_observd(redis_addr="redis://127.0.0.1:%d/0" % port)
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1, o.stderr())
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        self.assertEqual(metric(m, "observd_app_active_users"), expected["active_users"])
        # The data really sits in the TLS-only Redis.
        c = TlsResp(self.tls_port, self.ca)
        self.addCleanup(c.close)
        self.assertEqual(c.call("ZCARD", "uploads:timeline"), expected["uploads"])

    def test_certificate_is_verified(self):
        port = self.start_tunnel("wrong-host", "not-this-host.example")
        c = RespClient("127.0.0.1", port, timeout=5.0)
        self.addCleanup(c.close)
        with self.assertRaises((ConnectionError, OSError)):
            c.call("PING")
        wait_until(lambda: re.search(r"Subject checks failed|certificate verify failed",
                                     self.log("wrong-host.log")), timeout=5,
                   message=lambda: "stunnel did not log the refused certificate:\n"
                   + self.log("wrong-host.log"))
        o = self.start_observd(redis_addr="redis://127.0.0.1:%d/0" % port)
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 0)

    def test_rediss_is_refused_in_one_line(self):
        cfg = os.path.join(self.tmp, "observd.yml")
        with open(cfg, "w") as f:
            f.write("{}\n")
        p = run_observd(["--check-config", "--config.file=" + cfg,
                                 "--redis.addr=rediss://127.0.0.1:%d/0" % self.tls_port])
        self.assertNotEqual(p.returncode, 0)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn("rediss:// (TLS) is not supported", lines[0])
        self.assertIn("stunnel", lines[0])


if __name__ == "__main__":
    unittest.main()
