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
Every client is bounded in time and closes what it opens. Not imported by anything.
"""

import argparse
import http.client
import json
import os
import random
import re
import selectors
import socket
import statistics
import sys
import threading
import time

# --------------------------------------------------------------------------- wrk


def _ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not m:
        return float("nan")
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[m.group(2)]


def parse_wrk(text):
    out = {"rps": 0.0, "p50_ms": float("nan"), "p99_ms": float("nan"), "requests": 0,
           "errors": 0, "non2xx": 0}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("50%"):
            out["p50_ms"] = _ms(s.split()[1])
        elif s.startswith("99%"):
            out["p99_ms"] = _ms(s.split()[1])
        elif s.startswith("Requests/sec:"):
            out["rps"] = float(s.split()[1])
        elif " requests in " in s:
            out["requests"] = int(s.split()[0])
        elif s.startswith("Socket errors:"):
            out["errors"] += sum(int(n) for n in re.findall(r"\d+", s))
        elif s.startswith("Non-2xx or 3xx responses:"):
            out["non2xx"] = int(s.split()[-1])
    return out


def cmd_wrk(args):
    for path in args.files:
        with open(path, encoding="utf-8", errors="replace") as f:
            print(json.dumps(parse_wrk(f.read())))


# --------------------------------------------------------------------------- summary

TARGETS = [
    # (name, numerator, denominator, op, factor, what)
    ("metrics_vs_static", "metrics", "static", ">=", 0.8, "/metrics >= 0.8 x static file"),
    ("metrics_vs_redis_exporter", "metrics", "redis_exporter", ">=", 20.0,
     "/metrics >= 20 x redis_exporter /metrics"),
    ("stats_html_vs_static", "stats-html", "static", ">=", 0.7,
     "/dashboard/api/stats-html >= 0.7 x static file"),
]


def _median(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def cmd_summarize(args):
    """TSV rows: target round rps p50 p99 requests errors non2xx cpu_s; plus k=v extras."""
    rows = {}
    extras = {}
    order = []
    with open(args.tsv, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "extra":
                extras[parts[1]] = parts[2]
                continue
            name = parts[0]
            if name not in rows:
                rows[name] = []
                order.append(name)
            rows[name].append({
                "rps": float(parts[2]), "p50": float(parts[3]), "p99": float(parts[4]),
                "requests": int(parts[5]), "errors": int(parts[6]), "non2xx": int(parts[7]),
                "cpu_s": float(parts[8]),
            })
    med = {}
    print("| target | rounds | req/s (median) | req/s (min..max) | p50 ms | p99 ms "
          "| server CPU us/req | errors | non-2xx |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in order:
        r = rows[name]
        rps = _median([x["rps"] for x in r])
        cpu = sum(x["cpu_s"] for x in r) / max(1, sum(x["requests"] for x in r)) * 1e6
        med[name] = {"rps": rps, "p50": _median([x["p50"] for x in r]),
                     "p99": _median([x["p99"] for x in r]), "cpu_us": cpu}
        print("| %s | %d | %.0f | %.0f..%.0f | %.3f | %.3f | %.1f | %d | %d |" % (
            name, len(r), rps, min(x["rps"] for x in r), max(x["rps"] for x in r),
            med[name]["p50"], med[name]["p99"], cpu,
            sum(x["errors"] for x in r), sum(x["non2xx"] for x in r)))
    print()
    print("| ratio | target | measured | result |")
    print("|---|---|---|---|")
    missed = []

    def verdict(name, what, value, op, factor):
        if value != value:
            ok = False
        else:
            ok = value >= factor if op == ">=" else value <= factor
        print("| %s | %s %s | %.2f | %s |" % (what, op, factor, value, "met" if ok else "MISSED"))
        if not ok:
            missed.append(name)

    for name, num, den, op, factor, what in TARGETS:
        if num in med and den in med and med[den]["rps"] > 0:
            verdict(name, what, med[num]["rps"] / med[den]["rps"], op, factor)
    if "observd_rss_kb" in extras and "redis_exporter_rss_kb" in extras:
        o, r = float(extras["observd_rss_kb"]), float(extras["redis_exporter_rss_kb"])
        verdict("rss", "observd RSS / redis_exporter RSS (%.0f / %.0f KiB)" % (o, r),
                o / r if r else float("nan"), "<=", 0.5)
    if "viewers_1_cpm" in extras and "viewers_100_cpm" in extras:
        one, hundred = float(extras["viewers_1_cpm"]), float(extras["viewers_100_cpm"])
        verdict("viewers",
                "Redis cmds/min, 100 viewers / 1 viewer (%.0f / %.0f)" % (hundred, one),
                hundred / one if one else float("nan"), "<=", 1.1)
    for k in sorted(extras):
        if k.startswith("note_"):
            print("\n%s: %s" % (k[5:], extras[k]))
    if missed:
        print("\nMISSED: " + ", ".join(missed))
        if not args.no_fail:
            return 1
    else:
        print("\nall targets met")
    return 0


# --------------------------------------------------------------------------- viewers


class Viewer(threading.Thread):
    """One browser tab: stats partial every `stats_s`, uploads partial and history every
    `uploads_s`, over one keep-alive connection (a fresh one when `keepalive` is False)."""

    def __init__(self, host, port, stats_s, uploads_s, deadline, keepalive, timeout, rng):
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.stats_s, self.uploads_s = stats_s, uploads_s
        self.deadline, self.keepalive, self.timeout = deadline, keepalive, timeout
        self.phase = rng.random()
        self.latencies = []
        self.errors = 0
        self.error_kinds = {}
        self.conn = None

    def _get(self, path):
        t0 = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            headers = {"HX-Request": "true"}
            if not self.keepalive:
                headers["Connection"] = "close"
            self.conn.request("GET", path, headers=headers)
            resp = self.conn.getresponse()
            resp.read()
            if resp.status != 200:
                self.errors += 1
            if not self.keepalive or resp.will_close:
                self.conn.close()
                self.conn = None
            self.latencies.append(time.monotonic() - t0)
        except (OSError, http.client.HTTPException) as exc:
            self.errors += 1
            kind = type(exc).__name__
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
            if self.conn is not None:
                self.conn.close()
            self.conn = None

    def run(self):
        start = time.monotonic()
        next_stats = start + self.phase * self.stats_s
        next_uploads = start + self.phase * self.uploads_s
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                break
            if now >= next_stats:
                self._get("/dashboard/api/stats-html")
                next_stats += self.stats_s
            if now >= next_uploads:
                self._get("/dashboard/api/recent-uploads-html?limit=10")
                self._get("/dashboard/api/history")
                next_uploads += self.uploads_s
            wake = min(next_stats, next_uploads, self.deadline)
            time.sleep(max(0.0, wake - time.monotonic()))
        if self.conn is not None:
            self.conn.close()


def start_viewers(args, deadline):
    rng = random.Random(args.seed)
    viewers = [Viewer(args.host, args.port, 5.0 / args.scale, 10.0 / args.scale, deadline,
                      not args.no_keepalive, args.timeout, rng) for _ in range(args.viewers)]
    for v in viewers:
        v.start()
    return viewers


def viewer_summary(viewers):
    lat = sorted(x for v in viewers for x in v.latencies)

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    starved = sum(1 for v in viewers if not v.latencies)
    kinds = {}
    for v in viewers:
        for k, n in v.error_kinds.items():
            kinds[k] = kinds.get(k, 0) + n
    return {"viewers": len(viewers), "requests": len(lat),
            "errors": sum(v.errors for v in viewers), "error_kinds": kinds,
            "starved_viewers": starved,
            "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": lat[-1] * 1000 if lat else None}


class Probe(threading.Thread):
    """A scraper next to the viewers: GET `path` on a fresh connection every second."""

    def __init__(self, host, port, path, deadline, timeout):
        super().__init__(daemon=True)
        self.host, self.port, self.path = host, port, path
        self.deadline, self.timeout = deadline, timeout
        self.latencies, self.errors = [], 0

    def run(self):
        while time.monotonic() < self.deadline:
            t0 = time.monotonic()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                conn.request("GET", self.path, headers={"Connection": "close"})
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    self.latencies.append(time.monotonic() - t0)
                else:
                    self.errors += 1
            except (OSError, http.client.HTTPException):
                self.errors += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))


def cmd_viewers(args):
    deadline = time.monotonic() + args.seconds
    viewers = start_viewers(args, deadline)
    probe = None
    if args.probe:
        probe = Probe(args.host, args.port, args.probe, deadline, args.timeout)
        probe.start()
    for v in viewers:
        v.join(args.seconds + args.timeout + 5)
    out = viewer_summary(viewers)
    if probe:
        probe.join(args.timeout + 2)
        lat = sorted(probe.latencies)
        out["probe"] = {"path": args.probe, "ok": len(lat), "errors": probe.errors,
                        "p50_ms": lat[len(lat) // 2] * 1000 if lat else None,
                        "max_ms": lat[-1] * 1000 if lat else None}
    print(json.dumps(out))


# --------------------------------------------------------------------------- redis


class Resp:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.buf = b""

    def call(self, *args):
        req = b"*%d\r\n" % len(args) + b"".join(
            b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
        self.sock.sendall(req)
        return self._reply()

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("redis closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode("utf-8", "replace")
        if line[:1] == b":":
            return int(line[1:])
        if line[:1] == b"-":
            raise RuntimeError(line[1:].decode())
        return line[1:].decode()

    def close(self):
        self.sock.close()


def command_calls(r):
    """{command: calls} from INFO commandstats."""
    calls = {}
    for line in r.call("INFO", "commandstats").splitlines():
        m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line)
        if m:
            calls[m.group(1)] = int(m.group(2))
    return calls


def cmd_redis_calls(args):
    r = Resp(args.host, args.redis_port)
    print(json.dumps(command_calls(r)))
    r.close()


def cmd_refresh_window(args):
    """Starts `viewers`, waits for a snapshot refresh (the ZCARD of the uploads timeline
    is its first command), then counts every Redis command (minus our own INFO) until the
    first refresh after `seconds`: a window of whole refresh periods, so the count is not
    quantised by where the window happens to cut a refresh."""
    r = Resp(args.host, args.redis_port)
    hard_deadline = time.monotonic() + args.seconds + 3 * args.period + 10
    viewers = start_viewers(args, hard_deadline)
    time.sleep(args.warmup)

    def wait_refresh(after_zcard, until):
        while time.monotonic() < until:
            c = command_calls(r)
            if c.get("zcard", 0) > after_zcard:
                return c, time.monotonic()
            time.sleep(0.02)
        return None, None

    c0 = command_calls(r)
    start, t_start = wait_refresh(c0.get("zcard", 0), hard_deadline)
    result = {"viewers": args.viewers}
    if start is None:
        result["error"] = "no snapshot refresh seen"
    else:
        end_by = t_start + args.seconds
        while time.monotonic() < end_by:
            time.sleep(0.05)
        cur = command_calls(r)
        end, t_end = wait_refresh(cur.get("zcard", 0), hard_deadline)
        if end is None:
            result["error"] = "no refresh after the window"
        else:
            polls = end.get("info", 0) - start.get("info", 0)
            total = sum(end.values()) - sum(start.values()) - polls
            pings = end.get("ping", 0) - start.get("ping", 0)
            refreshes = end.get("zcard", 0) - start.get("zcard", 0)
            minutes = (t_end - t_start) / 60.0
            result.update({
                "seconds": round(t_end - t_start, 2), "refreshes": refreshes,
                "commands": total, "pings": pings,
                "commands_per_minute": total / minutes,
                "commands_per_minute_without_ping": (total - pings) / minutes,
                "commands_per_refresh": (total - pings) / refreshes if refreshes else None,
                "refresh_period_s": (t_end - t_start) / refreshes if refreshes else None,
            })
    for v in viewers:
        v.deadline = 0  # stop at the next wake-up
    for v in viewers:
        v.join(args.timeout + 2)
    result["clients"] = viewer_summary(viewers)
    r.close()
    print(json.dumps(result))


# --------------------------------------------------------------------------- sse


def proc_cpu_seconds(pid):
    """CPU time of every live thread of `pid` (schedstat, nanosecond resolution)."""
    total = 0
    task_dir = "/proc/%d/task" % pid
    for tid in os.listdir(task_dir):
        try:
            with open("%s/%s/schedstat" % (task_dir, tid)) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # the thread ended meanwhile
    return total / 1e9


def cmd_sse(args):
    """Opens N SSE streams at once; per tick (one `stats` ... `history` group) records
    when each stream received it. Reports the spread of a tick across streams, the time
    from a tick's first to its last event on one stream, and observd's CPU per tick."""
    sel = selectors.DefaultSelector()
    streams = []
    for i in range(args.streams):
        s = socket.create_connection((args.host, args.port), timeout=5)
        s.sendall(b"GET /dashboard/api/events HTTP/1.1\r\nHost: bench\r\n"
                  b"Accept: text/event-stream\r\n\r\n")
        s.setblocking(False)
        st = {"sock": s, "buf": b"", "events": [], "status": None}
        streams.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    cpu0 = proc_cpu_seconds(args.pid)
    t0 = time.monotonic()
    deadline = t0 + args.seconds
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            st = key.data
            try:
                chunk = st["sock"].recv(1 << 20)
            except BlockingIOError:
                continue
            now = time.monotonic()
            if not chunk:
                sel.unregister(st["sock"])
                continue
            st["buf"] += chunk
            if st["status"] is None and b"\r\n" in st["buf"]:
                st["status"] = int(st["buf"].split(b" ", 2)[1])
            # Count complete events only; keep the unfinished tail for the next read.
            last = st["buf"].rfind(b"\n\n")
            if last >= 0:
                done, st["buf"] = st["buf"][:last + 2], st["buf"][last + 2:]
                for m in re.finditer(rb"(?m)^event: (\w+)$", done):
                    st["events"].append((m.group(1).decode(), now))
    elapsed = time.monotonic() - t0
    cpu = proc_cpu_seconds(args.pid) - cpu0
    for st in streams:
        st["sock"].close()
    ok = [st for st in streams if st["status"] == 200]
    ticks = 0
    in_tick = []
    firsts = {}
    for idx, st in enumerate(ok):
        tick = -1
        start = None
        for name, t in st["events"]:
            if name == "stats":
                tick += 1
                start = t
                firsts.setdefault(tick, []).append(t)
            elif name == "history" and start is not None:
                in_tick.append(t - start)
                ticks += 1
    # Streams start at slightly different times, so their ticks are not aligned: the
    # spread is a sanity check, the CPU per stream-tick is the measure.
    print(json.dumps({
        "streams": args.streams, "accepted": len(ok),
        "rejected": sum(1 for st in streams if st["status"] not in (None, 200)),
        "seconds": round(elapsed, 2), "stream_ticks": ticks,
        "observd_cpu_ms_per_s": cpu * 1000 / elapsed,
        "cpu_ms_per_stream_tick": cpu * 1000 / ticks if ticks else None,
        "tick_first_to_last_event_ms_p50":
            statistics.median(in_tick) * 1000 if in_tick else None,
        "tick_first_to_last_event_ms_max": max(in_tick) * 1000 if in_tick else None,
    }))


# --------------------------------------------------------------------------- main


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
