#!/usr/bin/env python3
"""History store benchmark (issue 18's targets): a store holding 30 days of minutes,
written in the schema observd creates, then one observd on it:

- store size for 30 days (target <= 10 MB);
- /dashboard/api/history for the 7-day window: server CPU per request (observd's own
  utime+stime from /proc, over N requests, nothing cached; target <= 20 ms) and bytes
  on the wire gzipped (target <= 150 KB);
- idle RSS with the store against history.path "" in the same run (target: +2 MB at most).

  BUILD_DIR=build tests/bench/history_window.py [--requests 50]

Starts its own redis-server and observd on free loopback ports and stops them. The
rows are written with Python's sqlite3 (the same SQLite library) into the file observd
created, as 30 days of once-a-minute writes would have left it; then observd reads it.
"""

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from observd_process import Observd  # noqa: E402
from redis_server import RedisServer  # noqa: E402

DAYS = 30


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_parts(pid):
    """(anonymous, file-backed) resident KiB."""
    parts = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("RssAnon:", "RssFile:")):
                parts[line.split(":")[0]] = int(line.split()[1])
    return parts.get("RssAnon", 0), parts.get("RssFile", 0)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fill(path, now, days=DAYS):
    """`days` of minute rows, the last hour of 1 s samples, and a restart a day."""
    db = sqlite3.connect(path)
    rng = random.Random(7)
    first = (int(now) // 60 - days * 1440) * 60
    rows = []
    for i in range(days * 1440):
        mean = 0.2 + rng.random() * 0.1
        failed = 1 if rng.random() < 0.01 else 0
        rows.append((first + 60 * i, 60, failed, mean * 0.5, mean, mean * 4, mean * 3,
                     rng.randint(50, 400), rng.randint(0, 20), rng.randint(0, 3)))
    with db:
        db.executemany("INSERT OR REPLACE INTO minutes VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        db.executemany("INSERT OR REPLACE INTO latency VALUES (?,?)",
                       [(now - 3600 + s, 0.25) for s in range(3600)])
        db.executemany("INSERT OR REPLACE INTO annotations VALUES (?,?,?,?)",
                       [(first + d * 86400, "restart", None, "observd started")
                        for d in range(days)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def get(url, gz=False):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gz else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read(), r.headers.get("Content-Encoding")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=50)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="observd-history-bench.")
    path = os.path.join(tmp, "history.db")
    redis = RedisServer()
    procs = []
    try:
        o = Observd(config={"history": {"path": path}}, redis_addr=redis.addr)
        procs.append(o)
        o.stop()  # the file and its schema, as observd creates them
        now = time.time()
        fill(path, now)
        size = os.path.getsize(path)

        o = Observd(config={"history": {"path": path}}, redis_addr=redis.addr)
        procs.append(o)
        mem = Observd(config={"history": {"path": ""}}, redis_addr=redis.addr)
        procs.append(mem)
        time.sleep(3)  # idle: started, restored, sampling, no viewer yet
        rss_store, rss_mem = rss_kib(o.proc.pid), rss_kib(mem.proc.pid)
        parts_store, parts_mem = rss_parts(o.proc.pid), rss_parts(mem.proc.pid)
        url = o.base_url + "/dashboard/api/history?from=%d&to=%d" % (now - 7 * 86400, now)
        status, body, _ = get(url)
        assert status == 200
        status, zbody, enc = get(url, gz=True)
        assert enc == "gzip", enc
        buckets = len(__import__("json").loads(body)["latency_buckets"])
        get(url)  # warm
        c0 = cpu_seconds(o.proc.pid)
        t0 = time.monotonic()
        for _ in range(args.requests):
            get(url)
        wall = (time.monotonic() - t0) / args.requests
        cpu = (cpu_seconds(o.proc.pid) - c0) / args.requests
        c0 = cpu_seconds(o.proc.pid)
        live = o.base_url + "/dashboard/api/history"
        for _ in range(args.requests):
            get(live)
        cpu_live = (cpu_seconds(o.proc.pid) - c0) / args.requests
        rss_after = rss_kib(o.proc.pid)

        print("history store, %d days of minutes: %.2f MB (target <= 10 MB)" % (DAYS, size / 1e6))
        print("7-day window: %d buckets, %d KB raw, %d KB gzipped (target <= 150 KB)"
              % (buckets, len(body) // 1024, len(zbody) // 1024))
        print("7-day window: server CPU %.1f ms/request, wall %.1f ms (target <= 20 ms CPU)"
              % (cpu * 1000, wall * 1000))
        print("live 1-hour window: server CPU %.1f ms/request" % (cpu_live * 1000))
        print("idle RSS: with store %.1f MB, memory only %.1f MB, difference %+.1f MB "
              "(target <= +2 MB)" % (rss_store / 1024, rss_mem / 1024,
                                      (rss_store - rss_mem) / 1024))
        print("  anonymous %+.1f MB, file-backed (libraries, the store's shared memory) %+.1f MB"
              % ((parts_store[0] - parts_mem[0]) / 1024, (parts_store[1] - parts_mem[1]) / 1024))
        print("RSS after %d 7-day and %d live windows: %.1f MB"
              % (args.requests + 3, args.requests, rss_after / 1024))
        ok = (size <= 10e6 and len(zbody) <= 150 * 1024 and cpu <= 0.020
              and rss_store - rss_mem <= 2048)
        return 0 if ok else 1
    finally:
        for p in procs:
            p.cleanup()
        redis.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
