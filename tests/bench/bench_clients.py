#!/usr/bin/env python3
"""Clients and arithmetic for the observd benchmarks (Python 3 stdlib only).

Subcommands, each printing one JSON object (or a table) on stdout:
  wrk FILE...          parse `wrk --latency` outputs: req/s, p50/p99 ms, requests, errors
  summarize TSV        median per target over rounds, the ratio table, exit 1 on a miss
  viewers              simulated dashboard viewers polling the partials (see README)
  redis-calls          INFO commandstats totals of a Redis (calls per command)
  refresh-window       Redis commands per minute over whole snapshot-refresh periods
                       while viewers poll
  sse                  SSE fan-out: N streams, event arrival times, observd CPU per tick
Every client is bounded in time and closes what it opens. Not imported by anything; the
subcommands live in bench_wrk.py, bench_viewers.py, bench_redis.py and bench_sse.py.
"""

import argparse
import sys

from bench_redis import cmd_redis_calls, cmd_refresh_window
from bench_sse import cmd_sse
from bench_viewers import cmd_viewers
from bench_wrk import cmd_summarize, cmd_wrk


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wrk")
    w.add_argument("files", nargs="+")
    s = sub.add_parser("summarize")
    s.add_argument("tsv")
    s.add_argument("--no-fail", action="store_true")
    for name in ("viewers", "refresh-window"):
        v = sub.add_parser(name)
        v.add_argument("--host", default="127.0.0.1")
        v.add_argument("--port", type=int, required=True)
        v.add_argument("--viewers", type=int, default=1)
        v.add_argument("--seconds", type=float, default=60)
        v.add_argument("--scale", type=float, default=1.0,
                       help="time compression: poll intervals are divided by this")
        v.add_argument("--no-keepalive", action="store_true")
        v.add_argument("--timeout", type=float, default=5.0)
        v.add_argument("--seed", type=int, default=1)
        v.add_argument("--probe", help="also GET this path on a fresh connection every second")
        if name == "refresh-window":
            v.add_argument("--redis-port", type=int, required=True)
            v.add_argument("--period", type=float, default=3.0, help="cache TTL, seconds")
            v.add_argument("--warmup", type=float, default=1.0)
    rc = sub.add_parser("redis-calls")
    rc.add_argument("--host", default="127.0.0.1")
    rc.add_argument("--redis-port", type=int, required=True)
    e = sub.add_parser("sse")
    e.add_argument("--host", default="127.0.0.1")
    e.add_argument("--port", type=int, required=True)
    e.add_argument("--pid", type=int, required=True)
    e.add_argument("--streams", type=int, default=1)
    e.add_argument("--seconds", type=float, default=10)
    args = p.parse_args()
    fn = {"wrk": cmd_wrk, "summarize": cmd_summarize, "viewers": cmd_viewers,
          "redis-calls": cmd_redis_calls, "refresh-window": cmd_refresh_window,
          "sse": cmd_sse}[args.cmd]
    sys.exit(fn(args) or 0)


if __name__ == "__main__":
    main()
