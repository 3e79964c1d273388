#!/usr/bin/env python3
"""Does a Prometheus scrape wait behind viewers? One observd (packaged defaults) under
1,000 slowloris sockets (slowhttptest -H, 200 new a second) plus a burst of 1,000 SSE
connects on its site port, while a probe scrapes /metrics every 250 ms with a 5 s
timeout, as Prometheus would. Two rows in the same run:

  site port      the probe scrapes the port the attack is on (one worker pool)
  metrics port   the probe scrapes web.metrics_listen_address (its own small pool),
                 when this observd has that setting

and a quiet row (no attack) first, for the machine's own noise. Target (issue 20): the
metrics-port row has 0 failed scrapes and p99 <= 100 ms; exit 1 when it misses.

  BUILD_DIR=build tests/bench/scrape_isolation.py [--seconds 30]

The load generators are separate processes: slowhttptest, and sse_burst() in a child
process that reports its own CPU time and event-loop lag; the probe is a third process.
Starts every server itself on free loopback ports and stops exactly those on exit.
"""

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from polling import wait_until  # noqa: E402
from ports import free_port  # noqa: E402
from processes import stop_process as stop  # noqa: E402
BUILD = os.path.join(SRC, os.environ.get("BUILD_DIR", "build"))
BIN = os.path.join(BUILD, "bin")
PROCS = []
TMP = None  # made by main(), not by the child processes


def log(msg):
    print("[scrape_isolation %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr,
          flush=True)


def spawn(cmd, name, **kw):
    out = open(os.path.join(TMP, name + ".log"), "w")
    p = subprocess.Popen(cmd, stdout=kw.pop("stdout", out), stderr=subprocess.STDOUT, **kw)
    PROCS.append(p)
    return p


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


# ------------------------------------------------------------------ child processes

def probe_main(url, seconds, out_path):
    """Scrapes `url` every 250 ms for `seconds`; writes latencies and failures as JSON."""
    lat, failed, errors = [], 0, {}
    t_end = time.monotonic() + seconds
    next_at = time.monotonic()
    while time.monotonic() < t_end:
        t0 = time.monotonic()
        try:
            status, body = get(url, timeout=5)
            ok = status == 200 and b"observd_build_info" in body
        except Exception as e:  # noqa: BLE001 (a failed scrape, whatever the reason)
            ok = False
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
        if ok:
            lat.append(time.monotonic() - t0)
        else:
            failed += 1
        next_at += 0.25
        time.sleep(max(0, next_at - time.monotonic()))
    cpu = time.process_time()
    with open(out_path, "w") as f:
        json.dump({"lat": lat, "failed": failed, "errors": errors, "cpu": cpu}, f)


async def _sse_burst(port, n, hold):
    lag_max = 0.0
    opened = refused = 0
    writers = []

    async def one():
        nonlocal opened, refused
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(b"GET /dashboard/api/events HTTP/1.1\r\nHost: bench\r\n"
                    b"Accept: text/event-stream\r\n\r\n")
            head = await asyncio.wait_for(r.read(64), 10)
            if head.startswith(b"HTTP/1.1 200"):
                opened += 1
                writers.append(w)
            else:
                refused += 1
                w.close()
        except (OSError, asyncio.TimeoutError):
            refused += 1

    async def lag_meter():
        nonlocal lag_max
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.05)
            lag_max = max(lag_max, time.monotonic() - t - 0.05)

    meter = asyncio.ensure_future(lag_meter())
    await asyncio.gather(*(one() for _ in range(n)))
    await asyncio.sleep(hold)
    meter.cancel()
    for w in writers:
        w.close()
    return {"opened": opened, "refused": refused, "lag_max": lag_max,
            "cpu": time.process_time()}


def sse_main(port, n, hold, out_path):
    result = asyncio.run(_sse_burst(port, n, hold))
    with open(out_path, "w") as f:
        json.dump(result, f)


# ------------------------------------------------------------------ the run

def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def start_env(metrics_port):
    redis_port = free_port()
    spawn(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
          "redis")
    wait_until(lambda: subprocess.run(["redis-cli", "-p", str(redis_port), "ping"],
                                      capture_output=True).stdout.strip() == b"PONG",
               timeout=10, message="redis")
    addr = "redis://127.0.0.1:%d/0" % redis_port
    subprocess.run([os.path.join(BIN, "observd-demo"), "--redis.addr=" + addr,
                    "--backfill", "2000", "--once"], check=True, capture_output=True)
    spawn([os.path.join(BIN, "observd-demo"), "--redis.addr=" + addr, "--rate", "5"], "demo")
    port = free_port()
    cfg = os.path.join(TMP, "observd.yml")
    with open(cfg, "w") as f:
        if metrics_port:
            f.write("web:\n  metrics_listen_address: 127.0.0.1:%d\n" % metrics_port)
    observd = spawn([os.path.join(BIN, "observd"), "--config.file=" + cfg,
                     "--web.listen-address=127.0.0.1:%d" % port, "--redis.addr=" + addr],
                    "observd", env=dict(os.environ,
                                        GLIBC_TUNABLES="glibc.malloc.tcache_count=0"))
    wait_until(lambda: get("http://127.0.0.1:%d/-/ready" % port)[0] == 200, timeout=20,
               message="observd")
    return observd, port


def run_row(name, site_port, scrape_port, seconds, attack):
    probe_out = os.path.join(TMP, name.replace(" ", "_") + "-probe.json")
    sse_out = os.path.join(TMP, name.replace(" ", "_") + "-sse.json")
    me = [sys.executable, os.path.abspath(__file__)]
    probe = spawn(me + ["--child-probe", "http://127.0.0.1:%d/metrics" % scrape_port,
                        str(seconds), probe_out], name + "-probe")
    attackers = []
    if attack:
        attackers.append(spawn(["slowhttptest", "-H", "-c", "1000", "-r", "200", "-i", "10",
                                "-l", str(seconds + 5), "-p", "3",
                                "-u", "http://127.0.0.1:%d/" % site_port], name + "-slowloris"))
        time.sleep(1)  # the slowloris ramp starts first, as in issue 20's measurement
        attackers.append(spawn(me + ["--child-sse", str(site_port), "1000",
                                     str(max(1, seconds - 8)), sse_out], name + "-sse"))
    probe.wait(seconds + 60)
    for a in attackers:
        stop(a)
    with open(probe_out) as f:
        r = json.load(f)
    sse = None
    if attack and os.path.exists(sse_out):
        with open(sse_out) as f:
            sse = json.load(f)
    return {"name": name, "scrapes": len(r["lat"]) + r["failed"], "failed": r["failed"],
            "p50": percentile(r["lat"], 50), "p99": percentile(r["lat"], 99),
            "max": max(r["lat"]) if r["lat"] else float("nan"), "errors": r["errors"],
            "probe_cpu": r["cpu"], "sse": sse}


def supports_metrics_listener():
    out = subprocess.run([os.path.join(BIN, "observd"), "--help"], capture_output=True,
                         text=True).stdout
    return "metrics-listen-address" in out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--child-probe", nargs=3)
    ap.add_argument("--child-sse", nargs=4)
    args = ap.parse_args()
    if args.child_probe:
        return probe_main(args.child_probe[0], float(args.child_probe[1]), args.child_probe[2])
    if args.child_sse:
        a = args.child_sse
        return sse_main(int(a[0]), int(a[1]), float(a[2]), a[3])
    global TMP
    TMP = tempfile.mkdtemp(prefix="observd-scrape-iso.")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    if not shutil.which("slowhttptest"):
        raise SystemExit("slowhttptest not found (apt-get install slowhttptest)")
    metrics_port = free_port() if supports_metrics_listener() else None
    observd, port = start_env(metrics_port)
    rows = [run_row("quiet, site port", port, port, args.seconds, attack=False),
            run_row("attack, site port", port, port, args.seconds, attack=True)]
    if metrics_port:
        wait_until(lambda: get("http://127.0.0.1:%d/-/healthy" % port)[0] == 200,
                   timeout=30, message="observd to recover")
        rows.append(run_row("attack, metrics port", port, metrics_port, args.seconds,
                            attack=True))
    print("\n| row | scrapes | failed | p50 ms | p99 ms | max ms | SSE opened/refused | "
          "SSE client lag max ms | probe CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sse = r["sse"]
        print("| %s | %d | %d%s | %.1f | %.1f | %.1f | %s | %s | %.2f |" % (
            r["name"], r["scrapes"], r["failed"],
            " %s" % r["errors"] if r["errors"] else "", r["p50"] * 1e3, r["p99"] * 1e3,
            r["max"] * 1e3, "%d/%d" % (sse["opened"], sse["refused"]) if sse else "—",
            "%.0f" % (sse["lag_max"] * 1e3) if sse else "—", r["probe_cpu"]))
    if observd.poll() is not None:
        print("observd exited during the run")
        return 1
    if not metrics_port:
        print("\nthis observd has no web.metrics_listen_address: no target to check")
        return 0
    last = rows[-1]
    ok = last["failed"] == 0 and last["p99"] <= 0.100
    print("\ntarget (metrics port: 0 failed, p99 <= 100 ms): %s" % ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        if not any(a.startswith("--child") for a in sys.argv):
            for p in reversed(PROCS):
                stop(p)
            if TMP:
                shutil.rmtree(TMP, ignore_errors=True)
