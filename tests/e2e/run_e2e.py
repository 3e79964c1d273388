#!/usr/bin/env python3
"""Browser-test driver: starts real redis-servers seeded by observd-demo (plus a hostile
upload) and the observd instances the given test files need (all files when none is
given) on free loopback ports, then runs those Playwright tests (`node --test`) in
Debian's Chromium against them. Stops everything it started, whatever happens. Exit
code = the node test runner's. Usage: run_e2e.py [file.test.mjs ...]

Instances (env given to the tests; each but the first only when a file names it):
  OBSERVD_URL          Redis up and seeded: the normal site
  OBSERVD_NOREDIS_URL  Redis never reachable (nothing listens on its port)
  OBSERVD_MID_URL      its Redis is stopped by the test mid-session (E2E_MID_REDIS_PID)
  OBSERVD_STOP_URL     observd itself is stopped by the test (E2E_STOP_OBSERVD_PID)
  OBSERVD_RESTARTED_URL  an observd with a history store (history.path), stopped after
                       a few samples and started again on the same file
                       (E2E_FIRST_START: unix seconds of its first start)"""

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from observd_process import Observd  # noqa: E402
from paths import env_path, source_dir  # noqa: E402
from polling import wait_until  # noqa: E402
from ports import free_port  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from seed import seed_uploads  # noqa: E402

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
# Long SSE lifetime: the e2e run must not see a stream end (htmx-ext-sse logs a console
# error when one does, and the tests forbid console errors).
CONFIG = {"web": {"sse_interval": "2s", "sse_max_duration": "10m"}, "cache": {"ttl": "2s"}}


def seeded_redis(stack):
    redis = stack.enter_context(RedisServer())
    subprocess.run([env_path("OBSERVD_DEMO_BIN"), "--redis.addr=" + redis.addr, "--once",
                    "--backfill", "500", "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
    seed_uploads(redis, [
        {"id": "u-hostile-e2e", "age": 1, "filename": HOSTILE, "size": "abc",
         "content_type": "text/html", "user": "mallory", "status": "stored"},
        {"id": "u-failed-1", "age": 5, "filename": "broken-scan.tiff", "size": "91234",
         "content_type": "image/tiff", "user": "oscar", "status": "failed"},
        {"id": "u-failed-2", "age": 9, "filename": "truncated.zip", "size": "12",
         "content_type": "application/zip", "user": "peggy", "status": "failed"},
        {"id": "u-processing", "age": 3, "filename": "big-video.mov", "size": "734003200",
         "content_type": "video/quicktime", "user": "trent", "status": "processing"}])
    return redis


def observd(stack, redis_addr, config=None):
    o = Observd(config=dict(CONFIG, **(config or {})), redis_addr=redis_addr)
    stack.callback(o.cleanup)
    return o


def restarted(stack, redis_addr):
    """An observd with a history store that has been restarted once: (observd, first start)."""
    tmp = tempfile.mkdtemp(prefix="observd-e2e-history-")
    stack.callback(shutil.rmtree, tmp, True)
    config = {"history": {"path": os.path.join(tmp, "history.db")}}
    first = observd(stack, redis_addr, config)
    first_start = time.time()
    wait_until(lambda: len(first.get("/dashboard/api/history").json()["latency"]["points"]) >= 5,
               timeout=30, message="no latency samples before the restart")
    first.stop()
    return observd(stack, redis_addr, config), first_start


def no_redis(stack, main_redis):
    o = observd(stack, "redis://127.0.0.1:%d/0" % free_port())
    return {"OBSERVD_NOREDIS_URL": o.base_url}


def mid(stack, main_redis):
    redis = seeded_redis(stack)
    return {"OBSERVD_MID_URL": observd(stack, redis.addr).base_url,
            "E2E_MID_REDIS_PID": str(redis.proc.pid)}


def doomed(stack, main_redis):
    o = observd(stack, main_redis.addr)
    return {"OBSERVD_STOP_URL": o.base_url, "E2E_STOP_OBSERVD_PID": str(o.proc.pid)}


def again(stack, main_redis):
    o, first_start = restarted(stack, main_redis.addr)
    return {"OBSERVD_RESTARTED_URL": o.base_url, "E2E_FIRST_START": str(first_start)}


# The instances beyond the normal site, by the variable a test file reads to reach one:
# the driver starts only those its files name, and refuses a file that names a
# *_URL no row gives (its tests would otherwise be skipped, not run).
INSTANCES = {"OBSERVD_NOREDIS_URL": no_redis, "OBSERVD_MID_URL": mid,
             "OBSERVD_STOP_URL": doomed, "OBSERVD_RESTARTED_URL": again}


def install_test_modules(frontend):
    """`npm ci` in frontend/ when playwright-core or axe-core is missing (a fresh clone).
    Under an exclusive lock on the directory: ctest starts the shards together, and two
    `npm ci` in one directory delete each other's files."""
    fd = os.open(frontend, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        modules = os.path.join(frontend, "node_modules")
        if not all(os.path.isdir(os.path.join(modules, m)) for m in ("playwright-core", "axe-core")):
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", frontend],
                           check=True)
    finally:
        os.close(fd)


def named_urls(files):
    text = "".join(open(f, encoding="utf-8").read() for f in files)
    return set(re.findall(r"\bOBSERVD_[A-Z_]*URL\b", text))


def main(argv):
    """argv: the test files to run (a shard, tests/e2e/CMakeLists.txt); none = all."""
    source = source_dir()
    artifacts = os.environ.get("E2E_ARTIFACTS") or os.path.join(source, "tests", "artifacts")
    os.makedirs(artifacts, exist_ok=True)
    install_test_modules(os.path.join(source, "frontend"))
    files = [os.path.join(HERE, f) for f in argv] or sorted(
        os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".test.mjs"))
    urls = named_urls(files)
    unknown = urls - set(INSTANCES) - {"OBSERVD_URL"}
    if unknown:
        print("e2e: no instance gives %s (run_e2e.py, INSTANCES)" % ", ".join(sorted(unknown)))
        return 2
    with contextlib.ExitStack() as stack:
        main_redis = seeded_redis(stack)
        site = observd(stack, main_redis.addr)
        env = dict(os.environ, OBSERVD_URL=site.base_url, E2E_ARTIFACTS=artifacts)
        for name in sorted(urls & set(INSTANCES)):
            env.update(INSTANCES[name](stack, main_redis))
        started = time.time()
        # One test file at a time within a shard (ctest runs the shards side by side), or
        # E2E_CONCURRENCY files. Chromium runs at nice 10: beside the tests that bound a
        # latency (observd_wallclock), its bursts of CPU yield to their servers.
        concurrency = os.environ.get("E2E_CONCURRENCY") or "1"
        result = subprocess.run(["node", "--test", "--test-reporter=spec",
                                 "--test-concurrency=" + concurrency] + files,
                                env=env, cwd=os.path.join(source, "frontend"),
                                preexec_fn=lambda: os.nice(10))
        print("e2e: node --test exited %d after %.1f s (%s); screenshots in %s"
              % (result.returncode, time.time() - started,
                 " ".join(os.path.basename(f) for f in files), artifacts))
        if result.returncode != 0:
            print(site.stderr()[-4000:])
        return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
