#!/usr/bin/env python3
"""Two observd binaries side by side on one seeded Redis, one route loaded with wrk in
alternating rounds (A B, B A, ...), so both see the same machine state: prints req/s
and observd's CPU per request (from /proc) per round and their medians. For a change
whose effect is smaller than the spread between back-to-back run.sh runs. No pass/fail.

  tests/bench/ab_compare.py A_BIN B_BIN [--route /metrics] [--rounds 4] [--seconds 5]

Starts redis-server (seeded by observd-demo from $OBSERVD_DEMO_BIN, default
build/bin/observd-demo) and both observd on free loopback ports with the unit's
GLIBC_TUNABLES; stops them all on exit."""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from polling import wait_until  # noqa: E402
from ports import free_port  # noqa: E402
from redis_server import RedisServer  # noqa: E402

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--route", default="/metrics")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=5)
    args = ap.parse_args()
    demo = os.environ.get("OBSERVD_DEMO_BIN") or os.path.join(SRC, "build", "bin", "observd-demo")
    procs = []
    redis = RedisServer()
    try:
        addr = redis.addr
        subprocess.run([demo, "--redis.addr=" + addr, "--once", "--backfill", "500", "--seed", "7"],
                       check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.tcache_count=0")
        servers = {}
        for name, binary in (("A", args.a), ("B", args.b)):
            port = free_port()
            p = subprocess.Popen([binary, "--web.listen-address=127.0.0.1:%d" % port,
                                  "--redis.addr=" + addr], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(p)
            servers[name] = (p, port)
            wait_until(lambda: subprocess.run(
                ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:%d/-/ready" % port]
            ).returncode == 0, timeout=15, message="observd %s not ready" % name)
        rows = {"A": [], "B": []}
        for r in range(args.rounds):
            for name in ("A", "B") if r % 2 == 0 else ("B", "A"):
                p, port = servers[name]
                c0 = cpu_seconds(p.pid)
                out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % args.seconds,
                                      "http://127.0.0.1:%d%s" % (port, args.route)],
                                     capture_output=True, text=True).stdout
                c1 = cpu_seconds(p.pid)
                n = int(re.search(r"(\d+) requests in", out).group(1))
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                rows[name].append((rps, (c1 - c0) / n * 1e6))
                print("round %d %s: %.0f req/s, %.1f us/req" % (r, name, *rows[name][-1]),
                      flush=True)
        for name, binary in (("A", args.a), ("B", args.b)):
            rps = sorted(x[0] for x in rows[name])
            us = sorted(x[1] for x in rows[name])
            mid = len(rps) // 2
            med = (lambda v: v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2)
            print("%s %s: median %.0f req/s, %.1f us/req" % (name, binary, med(rps), med(us)))
        return 0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        redis.cleanup()


if __name__ == "__main__":
    sys.exit(main())
