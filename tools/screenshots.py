#!/usr/bin/env python3
"""Makes the README's screenshots in docs/: the observability page's 7-day view
(observability-7d.png) and, on a phone, its 24-hour view (observability-mobile.png) and
the uploads table (uploads-mobile.png). A redis-server with eight days of uploads and
workflow runs plus observd-demo's recent uploads, an observd whose history store holds
eight days of minutes (written as tests/bench/history_window.py does, in the schema
observd creates), then Debian's Chromium (playwright-core, tools/screenshots.mjs).

  BUILD_DIR=build tools/screenshots.py [--docs docs]

Starts its own servers on free loopback ports and stops them."""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
sys.path.insert(0, os.path.join(SRC, "tests", "bench"))
from history_window import fill  # noqa: E402
from observd_process import Observd  # noqa: E402
from redis_server import RedisServer  # noqa: E402

DAYS = 8


def seed_week(redis, now):
    """Uploads and runs over DAYS days, busier by day than by night, with an incident."""
    rng = random.Random(3)
    cmds = []
    t = now - DAYS * 86400
    n = 0
    while t < now - 3600:  # the newest hour is observd-demo's (realistic names and users)
        hour = time.gmtime(t).tm_hour
        rate = 0.02 + 0.05 * (8 <= hour <= 20)
        t += rng.expovariate(rate)
        n += 1
        uid = "u-%06d" % n
        cmds.append(["ZADD", "uploads:timeline", "%.3f" % t, uid])
        cmds.append(["HSET", "upload:" + uid, "filename", "file-%d.pdf" % n, "size", "1234",
                     "content_type", "application/pdf", "user", "demo", "status", "stored"])
        if rng.random() < 0.5:
            incident = now - 2.6 * 86400 < t < now - 2.5 * 86400
            status = "failed" if rng.random() < (0.4 if incident else 0.04) else "succeeded"
            cmds.append(["ZADD", "workflows:runs:" + status, "%.3f" % t, "r-%d" % n])
    redis.pipeline(cmds)


def main():
    build = os.path.join(SRC, os.environ.get("BUILD_DIR", "build"))
    os.environ.setdefault("OBSERVD_BIN", os.path.join(build, "bin", "observd"))
    os.environ.setdefault("OBSERVD_WWW", os.path.join(build, "www"))
    os.environ.setdefault("OBSERVD_TEMPLATES", os.path.join(build, "templates"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default=os.path.join(SRC, "docs"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="observd-week.")
    path = os.path.join(tmp, "history.db")
    redis = RedisServer()
    procs = []
    try:
        now = time.time()
        seed_week(redis, now)
        subprocess.run([os.path.join(build, "bin", "observd-demo"), "--redis.addr=" + redis.addr,
                        "--once", "--backfill", "300", "--seed", "7"], check=True,
                       stdout=subprocess.DEVNULL)
        o = Observd(config={"history": {"path": path}}, redis_addr=redis.addr)
        procs.append(o)
        o.stop()
        fill(path, now, days=DAYS)
        o = Observd(config={"history": {"path": path}}, redis_addr=redis.addr)
        procs.append(o)
        subprocess.run(["node", os.path.join(HERE, "screenshots.mjs"), o.base_url,
                        os.path.abspath(args.docs)], check=True, cwd=os.path.join(SRC, "frontend"))
    finally:
        for p in procs:
            p.cleanup()
        redis.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
