#!/usr/bin/env python3
"""Bytes per viewer-hour of the live site: one SSE stream per page for SECS seconds
(default 60), extrapolated to an hour, and each polled response's size (gzip accepted)
times its rate. Starts its own redis-server (seeded by observd-demo) and observd with the
default configuration. Usage: OBSERVD_BIN=… OBSERVD_DEMO_BIN=… site_bytes.py [SECS]"""
import os, sys, time, subprocess, threading, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from observd_process import Observd  # noqa: E402
from redis_server import RedisServer  # noqa: E402
SECS = int(sys.argv[1]) if len(sys.argv) > 1 else 60
redis = RedisServer()
subprocess.run([os.environ["OBSERVD_DEMO_BIN"], "--redis.addr=" + redis.addr, "--once", "--backfill", "500", "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
o = Observd(config={}, redis_addr=redis.addr)
base = o.base_url
def stream(path, enc, out):
    req = urllib.request.Request(base + path, headers={"Accept": "text/event-stream", "Accept-Encoding": enc})
    n = 0; events = 0
    t0 = time.time()
    try:
        with urllib.request.urlopen(req, timeout=SECS + 5) as r:
            out["encoding"] = r.headers.get("Content-Encoding")
            while time.time() - t0 < SECS:
                chunk = r.read1(65536)
                if not chunk: break
                n += len(chunk)
    except Exception as e:
        out["error"] = str(e)
    out["bytes"] = n
def get(path):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip", "HX-Request": "true"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
        return len(body), sum(len(k) + len(v) + 4 for k, v in r.headers.items()) + 17
try:
    # let the history fill a little
    time.sleep(5)
    streams = {"observability (old URL)": "/dashboard/api/events",
               "observability (topics)": "/dashboard/api/events?topics=stats,metrics,history",
               "uploads (topics)": "/dashboard/api/events?topics=uploads&uploads_limit=25"}
    res = {k: {} for k in streams}
    ts = [threading.Thread(target=stream, args=(p, "gzip", res[k])) for k, p in streams.items()]
    for t in ts: t.start()
    for t in ts: t.join()
    for k in streams:
        b = res[k].get("bytes", 0)
        print("SSE %-26s %8d B in %ds, encoding=%s -> %.1f MB/viewer-hour" % (k, b, SECS, res[k].get("encoding"), b * 3600 / SECS / 1e6))
    now = int(time.time())
    polls = [("stats-html every 5 s", "/dashboard/api/stats-html", 5),
             ("metrics-html every 10 s", "/dashboard/api/metrics-html", 10),
             ("history (full) every 5 s", "/dashboard/api/history", 5),
             ("history ?since= every 5 s", "/dashboard/api/history?since=%d" % (now - 5), 5),
             ("uploads-html ?limit=25 every 10 s", "/dashboard/api/recent-uploads-html?limit=25", 10),
             ("stats JSON every 10 s (landing)", "/dashboard/api/stats", 10)]
    for name, p, every in polls:
        body, hdr = get(p)
        print("POLL %-34s body %6d B + headers %4d B -> %.2f MB/viewer-hour" % (name, body, hdr, (body + hdr) * 3600 / every / 1e6))
finally:
    o.cleanup(); redis.cleanup()
