"""bench_clients.py's simulated dashboard viewers (one thread per browser tab) and the
scrape probe beside them."""

import http.client
import json
import random
import threading
import time


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
