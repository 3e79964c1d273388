"""SSE stream limits (internal-contracts.md, "SSE"): with web.max_sse_streams 8 and
num_threads 16, eight streams open, the ninth gets 503, /metrics stays fast while
all are open, every stream ends after web.sse_max_duration with the connection
closed, and a freed slot can be used again."""

import socket
import time
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset
from polling import timed, wait_until
from rawhttp import open_sse

MAX_STREAMS = 8
# Long enough that opening the streams and the checks below fit inside it on a loaded
# 2-core box under TSan; a plain request that had to wait for a stream slot would take
# about this long, so latencies are bounded by a fraction of it.
MAX_DURATION = 6.0


def read_until_closed(sock, deadline, chunked=False):
    """Reads until EOF/reset, the end of a chunked response, or the monotonic
    deadline. Returns (bytes, ended)."""
    buf = b""
    while True:
        if chunked and buf.endswith(b"\r\n0\r\n\r\n"):
            return buf, True
        left = deadline - time.monotonic()
        if left <= 0:
            return buf, False
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return buf, False
        except OSError:
            return buf, True
        if not chunk:
            return buf, True
        buf += chunk


class SseLimitsTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)
        self.o = self.start_observd(redis=self.redis, config={"web": {
            "max_sse_streams": MAX_STREAMS, "num_threads": 16,
            "sse_interval": "1s", "sse_max_duration": "%ds" % MAX_DURATION}})
        self.socks = []
        self.addCleanup(self._close_all)

    def _close_all(self):
        for s in self.socks:
            try:
                s.close()
            except OSError:
                pass

    def open_stream(self, path="/dashboard/api/events"):
        head, s = open_sse(self.o.port, path, timeout=5)
        self.socks.append(s)
        return head, s

    def test_cap_503_metrics_fast_and_streams_end(self):
        opened = []
        t_open = time.monotonic()
        for i in range(MAX_STREAMS):
            head, s = self.open_stream()
            self.assertEqual(head.status, 200, "stream %d: %r" % (i, head))
            self.assertTrue((head.header("Content-Type") or "").startswith("text/event-stream"),
                            head)
            chunked = "chunked" in (head.header("Transfer-Encoding") or "").lower()
            opened.append((s, head.body, chunked))
        # the next one is refused while all eight are open
        head, extra = self.open_stream()
        self.assertEqual(head.status, 503, "stream %d was not refused: %r" % (MAX_STREAMS + 1, head))
        self.assertIsNotNone(head.header("Retry-After"), head)
        self.assertEqual(head.header("X-Content-Type-Options"), "nosniff", head)
        extra.close()
        # plain requests still find a worker, quickly
        worst = 0.0
        for _ in range(8):
            for path in ("/metrics", "/dashboard/api/stats-html", "/-/healthy"):
                r, secs = timed(self.o.get, path, timeout=5)
                self.assertEqual(r.status, 200, path)
                worst = max(worst, secs)
        self.assertLess(worst, MAX_DURATION / 4, "plain requests took up to %.2fs with %d "
                        "streams open" % (worst, MAX_STREAMS))
        self.assertLess(time.monotonic() - t_open, MAX_DURATION - 0.5,
                        "the checks above took too long to be meaningful")
        m = self.o.metrics()
        self.assertGreaterEqual(metric(m, "observd_http_requests_total", 0,
                                       handler="/dashboard/api/events", code="503"), 1,
                                "the refused stream was not counted with code 503")
        # every stream ends after sse_max_duration and its connection closes
        deadline = t_open + MAX_DURATION + 4.0
        for i, (s, first, chunked) in enumerate(opened):
            body, ended = read_until_closed(s, deadline, chunked)
            body = first + body
            # The response must end: the connection closes (Connection: close, no length)
            # or, with chunked encoding, the last chunk arrives.
            self.assertTrue(ended, "stream %d: response not ended / connection still open "
                            "%.1fs after it started (sse_max_duration %.0fs)"
                            % (i, time.monotonic() - t_open, MAX_DURATION))
            self.assertIn(b"retry: 3000", body, "stream %d: no retry line" % i)
            self.assertIn(b"event: stats", body, "stream %d: no stats event" % i)
            self.assertIn(b"event: history", body, "stream %d: no history event" % i)
        elapsed = time.monotonic() - t_open
        self.assertGreaterEqual(elapsed, MAX_DURATION - 0.5, "streams ended too early")
        # the slots are free again
        head = wait_until(lambda: (lambda h: h.status == 200 and h)(self.open_stream()[0]),
                                  timeout=5, interval=0.2,
                                  message="no stream slot free after all streams ended")
        self.assertEqual(head.status, 200)

    def test_client_disconnect_frees_its_slot(self):
        streams = []
        for i in range(MAX_STREAMS):
            head, s = self.open_stream()
            self.assertEqual(head.status, 200, "stream %d: %r" % (i, head))
            streams.append(s)
        head, s9 = self.open_stream()
        self.assertEqual(head.status, 503)
        s9.close()
        # two clients go away (RST): their slots come back well before sse_max_duration
        for s in streams[:2]:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        t0 = time.monotonic()

        def slot_free():
            h, s = self.open_stream()
            if h.status != 200:
                s.close()
                return False
            return True
        wait_until(slot_free, timeout=MAX_DURATION - 0.3, interval=0.2,
                           message="a closed client's slot was not released before the "
                           "streams' own end")
        self.assertLess(time.monotonic() - t0, MAX_DURATION)
        self.assertEqual(self.o.get("/metrics").status, 200)

    def test_bad_uploads_limit_is_400_not_a_stream(self):
        head, s = self.open_stream("/dashboard/api/events?uploads_limit=0")
        self.assertEqual(head.status, 400, head)
        s.close()
        head, s = self.open_stream("/dashboard/api/events?uploads_limit=100")
        self.assertEqual(head.status, 200, head)


if __name__ == "__main__":
    unittest.main()
