"""The HTTP/1.1 client of browser_load.py (asyncio, stdlib only): a target (plain or
TLS), one keep-alive connection, a browser-like GET that retries once when a reused
connection turns out closed, and the counts and latencies it keeps (Stats, merge)."""

import asyncio
import ssl
import time
from urllib.parse import urlsplit

TIMEOUT_S = 10.0  # a browser would wait longer; Prometheus' default scrape_timeout


class Closed(Exception):
    """The server closed (or reset) a connection before the first response byte."""


def percentile(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100.0 * (len(xs) - 1))))]


class Target:
    def __init__(self, base, cafile=None, host_header=None):
        u = urlsplit(base)
        self.host = u.hostname
        self.port = u.port or (443 if u.scheme == "https" else 80)
        self.ssl = None
        if u.scheme == "https":
            self.ssl = ssl.create_default_context(cafile=cafile)
        self.host_header = host_header or u.netloc
        self.server_hostname = u.hostname if self.ssl else None


class HttpConn:
    """One HTTP/1.1 connection; GET only; Content-Length or chunked bodies."""

    def __init__(self, target):
        self.t = target
        self.reader = self.writer = None
        self.requests = 0

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(
            self.t.host, self.t.port, ssl=self.t.ssl, server_hostname=self.t.server_hostname,
            limit=1 << 20)
        self.requests = 0

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, path, headers):
        req = "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\n" % (path, self.t.host_header)
        for k, v in headers.items():
            req += "%s: %s\r\n" % (k, v)
        self.writer.write((req + "\r\n").encode())
        try:
            await self.writer.drain()
            status_line = await self.reader.readline()
        except (ConnectionError, ssl.SSLError) as e:
            raise Closed(str(e)) from e
        if not status_line:
            raise Closed("EOF before status line")
        parts = status_line.split(None, 2)
        status = int(parts[1])
        keep = not parts[0].startswith(b"HTTP/1.0")
        length, chunked = None, False
        while True:
            line = await self.reader.readline()
            if not line:
                raise ConnectionError("EOF in headers")
            if line in (b"\r\n", b"\n"):
                break
            k, _, v = line.decode("latin-1").partition(":")
            k, v = k.strip().lower(), v.strip().lower()
            if k == "content-length":
                length = int(v)
            elif k == "transfer-encoding" and "chunked" in v:
                chunked = True
            elif k == "connection":
                keep = "close" not in v
        if chunked:
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length is not None:
            await self.reader.readexactly(length)
        else:
            await self.reader.read()
            keep = False
        self.requests += 1
        if not keep:
            self.close()
        return status


class Stats:
    def __init__(self, warmup_until):
        self.warmup_until = warmup_until
        self.lat = []
        self.requests = 0
        self.errors = {}
        self.retries = 0
        self.connects = 0
        self.statuses = {}

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def as_dict(self):
        return {"requests": self.requests, "errors": self.errors, "retries": self.retries,
                "connects": self.connects, "statuses": self.statuses, "lat_ms": self.lat}


async def fetch(conn, path, headers, stats):
    """A browser-like GET: reuse the connection, retry once when a reused one was closed."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    wall0 = time.time()
    try:
        async with asyncio.timeout(TIMEOUT_S):
            for attempt in (0, 1):
                reused = conn.writer is not None
                if not reused:
                    stats.connects += 1
                    await conn.open()
                try:
                    status = await conn.get(path, headers)
                    break
                except Closed:
                    conn.close()
                    if reused and attempt == 0:
                        stats.retries += 1
                        continue
                    raise
    except TimeoutError:
        conn.close()
        stats.error("timeout")
        return
    except (Closed, ConnectionError, OSError, ssl.SSLError, ValueError, IndexError,
            asyncio.IncompleteReadError) as e:
        conn.close()
        stats.error(type(e).__name__)
        return
    stats.requests += 1
    stats.statuses[str(status)] = stats.statuses.get(str(status), 0) + 1
    if status != 200:
        stats.error("status_%d" % status)
    if wall0 >= stats.warmup_until:
        stats.lat.append((loop.time() - t0) * 1000.0)


def merge(parts, seconds):
    total = {"requests": 0, "errors": {}, "retries": 0, "connects": 0, "statuses": {},
             "cpu_s": [], "lat": []}
    for d in parts:
        total["requests"] += d["requests"]
        total["retries"] += d["retries"]
        total["connects"] += d["connects"]
        for k, v in d["errors"].items():
            total["errors"][k] = total["errors"].get(k, 0) + v
        for k, v in d["statuses"].items():
            total["statuses"][k] = total["statuses"].get(k, 0) + v
        total["cpu_s"].append(round(d["cpu_s"], 2))
        total["lat"].extend(d["lat_ms"])
    lat = total.pop("lat")
    total["error_count"] = sum(total["errors"].values())
    total["p50_ms"] = percentile(lat, 50)
    total["p99_ms"] = percentile(lat, 99)
    total["max_ms"] = max(lat) if lat else None
    total["measured"] = len(lat)
    # Share of one core each client process used: near 1.0 means the client, not the
    # server, may be the bottleneck.
    total["client_cpu_share_max"] = round(max(total["cpu_s"] or [0]) / max(seconds, 1e-9), 3)
    return total
