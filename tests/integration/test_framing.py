"""Request framing (RFC 9112) on raw sockets: every shape request smuggling is built
from gets exactly one answer, a 400, and a closed connection, so no byte of it is read
as a second request. A smuggled request rides behind each shape; seeing two responses
(or the smuggled 404) on one connection is the failure. Controls show that ordinary
pipelined requests still get one answer each."""

import unittest

from itbase import ObservdTestCase, seed_default_dataset  # noqa: I100 (puts tests/lib on sys.path)
from framing_corpus import CORPUS, SMUGGLED, STATUS_LINE, shape
from observd_process import Observd
from rawhttp import raw_http
from redis_server import RedisServer


def exchange(port, data, timeout=3.0):
    """Sends `data`, reads every response until the server closes or `timeout`."""
    r = raw_http(port, data, timeout=timeout, until_close=True)
    return r.raw, r.closed


class FramingTest(ObservdTestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis = RedisServer()
        seed_default_dataset(cls.redis)
        cls.o = Observd(redis_addr=cls.redis.addr)

    @classmethod
    def tearDownClass(cls):
        cls.o.cleanup()
        cls.redis.cleanup()

    def test_every_smuggling_shape_gets_one_400_and_a_close(self):
        for name, data in CORPUS.items():
            with self.subTest(name):
                got, closed = exchange(self.o.port, data + SMUGGLED)
                self.assertEqual(len(STATUS_LINE.findall(got)), 1, "%s: %r" % (name, got[:600]))
                self.assertTrue(got.startswith(b"HTTP/1.1 400"), "%s: %r" % (name, got[:300]))
                self.assertTrue(closed, "%s: connection left open" % name)
                self.assertNotIn(b"nope-smuggled", got)
        self.assertTrue(self.o.running(), self.o.stderr())

    def test_ordinary_pipelined_requests_each_get_an_answer(self):
        # The control: the same reader sees two responses when there are two requests.
        first = shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"Content-Length: 0"])
        last = shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"Connection: close"])
        got, _ = exchange(self.o.port, first + last)
        self.assertEqual(len(STATUS_LINE.findall(got)), 2, got[:600])
        self.assertEqual(got.count(b"HTTP/1.1 200"), 2, got[:600])
        # HTTP/1.0 needs no Host.
        got, _ = exchange(self.o.port, shape([b"GET /-/healthy HTTP/1.0"]))
        self.assertTrue(got.startswith(b"HTTP/1.1 200") or got.startswith(b"HTTP/1.0 200"), got)

    def test_refusals_are_counted_as_400(self):
        exchange(self.o.port, CORPUS["CL + TE chunked"])
        text = self.o.get("/metrics").body.decode()
        self.assertRegex(text, r'observd_http_requests_total\{[^}]*code="400"[^}]*\} [1-9]')


if __name__ == "__main__":
    unittest.main()
