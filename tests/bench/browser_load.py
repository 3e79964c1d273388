#!/usr/bin/env python3
"""Browser-like load for the capacity benchmark (Python 3 stdlib only, asyncio).

Subcommands, each printing one JSON object on stdout when done:
  viewers   N dashboard tabs: each GETs the stats partial every 5 s and the uploads and
            metrics partials every 10 s (divided by --scale), over one keep-alive
            connection opened only when there is something to send. When a reused
            keep-alive connection turns out closed by the server (EOF or reset before
            any response byte), the GET is retried once on a new connection, as browsers
            do; that is counted as a retry, not an error. Spread over --procs processes
            so that the client is not the bottleneck; each reports its own CPU time.
  scrape    a Prometheus-like probe: GET /metrics every --interval s on its own
            keep-alive connection (same retry rule), 10 s timeout; latency per scrape.
  hostile   --idle N sockets that connect and send nothing, --drip N sockets that send
            one header byte every 2 s; both reconnect as soon as the server closes them,
            so N stay open (or queued) for the whole run.
Every client is bounded by --seconds and closes what it opens. TLS with --cafile.
"""

import argparse
import asyncio
import json
import multiprocessing
import random
import resource
import ssl
import sys
import time

# The HTTP client (a connection, the GET with its retry, the counts): browser_client.py.
from browser_client import HttpConn, Stats, Target, fetch, merge


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def viewer(target, paths, headers, scale, deadline, stats):
    """One tab: stats every 5 s, the other panels every 10 s, random phase."""
    loop = asyncio.get_running_loop()
    conn = HttpConn(target)
    period = 5.0 / scale
    start = loop.time() + random.uniform(0, period)
    tick = 0
    try:
        while True:
            at = start + tick * period
            if time.time() + (at - loop.time()) >= deadline:
                break
            await asyncio.sleep(max(0.0, at - loop.time()))
            due = [paths[0]] + (paths[1:] if tick % 2 == 0 else [])
            for p in due:
                await fetch(conn, p, headers, stats)
            tick += 1
    finally:
        conn.close()


def viewers_proc(args, n, seed, deadline, warmup_until, out):
    raise_nofile()
    random.seed(seed)
    target = Target(args.base, args.cafile)
    headers = {"HX-Request": "true"} if args.htmx else {}
    if args.auth:
        headers["Authorization"] = args.auth
    stats = Stats(warmup_until)

    async def main():
        await asyncio.gather(*(viewer(target, args.paths, headers, args.scale, deadline, stats)
                               for _ in range(n)))

    asyncio.run(main())
    ru = resource.getrusage(resource.RUSAGE_SELF)
    d = stats.as_dict()
    d["cpu_s"] = ru.ru_utime + ru.ru_stime
    out.send(d)
    out.close()


def cmd_viewers(args):
    deadline = time.time() + args.seconds
    warmup_until = time.time() + args.warmup
    procs, pipes = [], []
    per = [args.viewers // args.procs + (1 if i < args.viewers % args.procs else 0)
           for i in range(args.procs)]
    for i, n in enumerate(per):
        if n == 0:
            continue
        rx, tx = multiprocessing.Pipe(duplex=False)
        p = multiprocessing.Process(target=viewers_proc,
                                    args=(args, n, args.seed + i, deadline, warmup_until, tx))
        p.start()
        procs.append(p)
        pipes.append(rx)
    parts = [rx.recv() for rx in pipes]
    for p in procs:
        p.join()
    out = merge(parts, args.seconds)
    out["viewers"] = args.viewers
    out["seconds"] = args.seconds
    out["scale"] = args.scale
    print(json.dumps(out))


async def scrape_main(args):
    target = Target(args.base, args.cafile)
    headers = {"Accept-Encoding": "gzip"}
    if args.auth:
        headers["Authorization"] = args.auth
    stats = Stats(time.time() + args.warmup)
    conn = HttpConn(target)
    loop = asyncio.get_running_loop()
    deadline = time.time() + args.seconds
    start = loop.time()
    n = 0
    while time.time() < deadline:
        await fetch(conn, args.path, headers, stats)
        n += 1
        await asyncio.sleep(max(0.0, start + n * args.interval - loop.time()))
    conn.close()
    return stats


def cmd_scrape(args):
    raise_nofile()
    stats = asyncio.run(scrape_main(args))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    d = stats.as_dict()
    d["cpu_s"] = ru.ru_utime + ru.ru_stime
    out = merge([d], args.seconds)
    out["failed"] = out["error_count"]
    print(json.dumps(out))


async def hostile_socket(target, drip, deadline, counters):
    payload = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4096
    while time.time() < deadline:
        t0 = time.time()
        try:
            r, w = await asyncio.wait_for(
                asyncio.open_connection(target.host, target.port, ssl=target.ssl,
                                        server_hostname=target.server_hostname), 5)
        except (OSError, TimeoutError, ssl.SSLError):
            counters["connect_failed"] += 1
            await asyncio.sleep(0.5)
            continue
        counters["opened"] += 1
        try:
            i = 0
            while time.time() < deadline:
                if drip:
                    w.write(payload[i % len(payload):i % len(payload) + 1])
                    i += 1
                    await w.drain()
                try:
                    data = await asyncio.wait_for(r.read(4096), 2.0)
                except TimeoutError:
                    continue
                if not data:
                    counters["closed_by_server"] += 1
                    counters["held_s"] += time.time() - t0
                    break
                counters["answered"] += 1  # the server replied (e.g. 408/400) first
        except (OSError, ssl.SSLError):
            counters["closed_by_server"] += 1
            counters["held_s"] += time.time() - t0
        finally:
            w.close()


def cmd_hostile(args):
    raise_nofile()
    target = Target(args.base, args.cafile)
    counters = {"opened": 0, "connect_failed": 0, "closed_by_server": 0, "answered": 0,
                "held_s": 0.0}
    deadline = time.time() + args.seconds

    async def main():
        tasks = [hostile_socket(target, False, deadline, counters) for _ in range(args.idle)]
        tasks += [hostile_socket(target, True, deadline, counters) for _ in range(args.drip)]
        await asyncio.gather(*tasks)

    asyncio.run(main())
    c = counters["closed_by_server"]
    counters["mean_hold_s"] = round(counters["held_s"] / c, 2) if c else None
    counters["held_s"] = round(counters["held_s"], 1)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    counters["cpu_s"] = round(ru.ru_utime + ru.ru_stime, 2)
    counters.update({"idle": args.idle, "drip": args.drip})
    print(json.dumps(counters))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("viewers", "scrape", "hostile"):
        s = sub.add_parser(name)
        s.add_argument("--base", required=True, help="http://127.0.0.1:PORT or https://...")
        s.add_argument("--cafile")
        s.add_argument("--seconds", type=float, default=60)
        s.add_argument("--warmup", type=float, default=0,
                       help="latencies of requests started before this are not kept")
        s.add_argument("--auth", help="Authorization header value")
    v = sub.choices["viewers"]
    v.add_argument("--viewers", type=int, default=100)
    v.add_argument("--procs", type=int, default=2)
    v.add_argument("--scale", type=float, default=1.0, help="time compression factor")
    v.add_argument("--seed", type=int, default=1)
    v.add_argument("--no-htmx", dest="htmx", action="store_false")
    v.add_argument("--paths", nargs=3, default=[
        "/dashboard/api/stats-html", "/dashboard/api/recent-uploads-html?limit=10",
        "/dashboard/api/metrics-html"], help="stats, uploads, metrics paths")
    sc = sub.choices["scrape"]
    sc.add_argument("--interval", type=float, default=0.5)
    sc.add_argument("--path", default="/metrics")
    h = sub.choices["hostile"]
    h.add_argument("--idle", type=int, default=0)
    h.add_argument("--drip", type=int, default=0)
    args = p.parse_args()
    {"viewers": cmd_viewers, "scrape": cmd_scrape, "hostile": cmd_hostile}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
