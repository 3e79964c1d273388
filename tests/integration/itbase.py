"""Shared base for the integration tests: puts tests/lib on sys.path and gives each
test its own redis-server and observd, stopped (and observd's stderr printed when
the test failed) in cleanups that run even on failure."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from observd_process import Observd  # noqa: E402
from polling import DEFAULT_DEADLINE, wait_until  # noqa: E402,F401
from promtext import metric, series  # noqa: E402,F401
from redis_server import RedisServer  # noqa: E402
from seed import seed_default_dataset  # noqa: E402,F401

# Re-exported for the test files, which import these names from here.
__all__ = ["ObservdTestCase", "SNAPSHOT_KEY", "RedisServer", "metric", "series", "wait_until",
           "seed_default_dataset", "deep_merge"]

SNAPSHOT_KEY = "observd:snapshot:v1"


def deep_merge(base, extra):
    out = dict(base)
    for k, v in (extra or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# Defaults for tests: short TTL so refreshes are observable quickly.
BASE_CONFIG = {"cache": {"ttl": "1s"}, "log": {"level": "debug"}}


class ObservdTestCase(unittest.TestCase):
    maxDiff = 4000

    def start_redis(self, **kwargs):
        r = RedisServer(**kwargs)
        self.addCleanup(r.cleanup)
        return r

    def start_observd(self, config=None, redis=None, redis_addr=None, base=True, **kwargs):
        cfg = deep_merge(BASE_CONFIG, config) if base else (config or {})
        addr = redis_addr or (redis.addr if redis is not None else None)
        holder = {}
        # Register the cleanup before starting, so a failed start is cleaned up too.
        self.addCleanup(self._finish_observd, holder)
        o = Observd(config=cfg, redis_addr=addr, start=False, **{
            k: v for k, v in kwargs.items() if k not in ("wait_ready", "ready_deadline")})
        holder["o"] = o
        o.start(wait_ready=kwargs.get("wait_ready", True),
                ready_deadline=kwargs.get("ready_deadline", DEFAULT_DEADLINE))
        return o

    def run(self, result=None):
        self._it_result = result
        self._it_problems = self._problems(result)
        return super().run(result)

    @staticmethod
    def _problems(result):
        if result is None:
            return 0
        return len(result.failures) + len(result.errors) + len(
            getattr(result, "unexpectedSuccesses", []))

    def _test_failed(self):
        result = getattr(self, "_it_result", None)
        if result is None:
            return True
        if self._problems(result) > self._it_problems:
            return True
        outcome = getattr(self, "_outcome", None)
        return outcome is not None and not getattr(outcome, "success", True)

    def _finish_observd(self, holder):
        o = holder.get("o")
        if o is None:
            return
        try:
            if self._test_failed() or os.environ.get("OBSERVD_IT_VERBOSE"):
                sys.stderr.write("\n----- observd stderr (port %d) -----\n%s\n-----\n"
                                 % (o.port, o.stderr()))
        finally:
            o.cleanup()

    def stop_observd(self, o):
        """SIGTERM and assert a clean exit 0 within 10 s."""
        return o.stop(timeout=10)

    def assertMetric(self, metrics, name, expected, **labels):
        got = metric(metrics, name, **labels)
        self.assertIsNotNone(got, "series %s%s missing from /metrics; present %s: %s"
                             % (name, labels, name, series(metrics, name)))
        self.assertEqual(got, expected, "%s%s: expected %r, got %r" % (name, labels, expected, got))

    def counter(self, metrics, name, **labels):
        """A counter's value, 0 when the (lazily created) series is absent."""
        return metric(metrics, name, 0.0, **labels)
