#!/usr/bin/env python3
"""Browser-test driver: starts a real redis-server seeded by observd-demo (plus a
hostile upload), starts observd on free loopback ports, then runs the Playwright
tests (`node --test tests/e2e/`) in Debian's Chromium against it. Stops everything
it started, whatever happens. Exit code = the node test runner's."""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from observd_process import Observd  # noqa: E402
from paths import env_path, source_dir  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from seed import seed_uploads  # noqa: E402

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def main():
    source = source_dir()
    artifacts = os.environ.get("E2E_ARTIFACTS") or os.path.join(source, "tests", "artifacts")
    os.makedirs(artifacts, exist_ok=True)
    if not os.path.isdir(os.path.join(source, "frontend", "node_modules", "playwright-core")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix",
                        os.path.join(source, "frontend")], check=True)
    with RedisServer() as redis:
        demo = env_path("OBSERVD_DEMO_BIN")
        subprocess.run([demo, "--redis.addr=" + redis.addr, "--once", "--backfill", "500",
                        "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
        seed_uploads(redis, [{
            "id": "u-hostile-e2e", "age": 1, "filename": HOSTILE, "size": "abc",
            "content_type": "text/html", "user": "mallory", "status": "stored"}])
        # Long SSE lifetime: the e2e run must not see a stream end (htmx-ext-sse logs
        # a console error when one does, and the tests forbid console errors).
        observd = Observd(config={"web": {"sse_interval": "2s", "sse_max_duration": "10m"},
                                          "cache": {"ttl": "2s"}},
                                  redis_addr=redis.addr)
        try:
            env = dict(os.environ, OBSERVD_URL=observd.base_url, E2E_ARTIFACTS=artifacts)
            started = time.time()
            result = subprocess.run(["node", "--test", "--test-reporter=spec", HERE], env=env,
                                    cwd=os.path.join(source, "frontend"))
            print("e2e: node --test exited %d after %.1f s; screenshots in %s"
                  % (result.returncode, time.time() - started, artifacts))
            if result.returncode != 0:
                print(observd.stderr()[-4000:])
            return result.returncode
        finally:
            observd.stop()


if __name__ == "__main__":
    sys.exit(main())
