"""The load of a capacity.py row: browser_load.py processes (viewers, the scrape probe,
hostile sockets) against one base URL, and the requests that reached observd."""

import json
import os
import subprocess
import sys
import time

from capacity_procs import HERE, RssSampler, http_get, loadavg, spawn

LOAD = [sys.executable, os.path.join(HERE, "browser_load.py")]


def run_load(base, viewers, seconds, scale=1.0, idle=0, drip=0, paths=None, cafile=None,
             warmup=10.0, procs=2, watch=(), during=None):
    """Viewers + scrape probe (+ hostile sockets) for `seconds`; returns a dict."""
    common = ["--base", base, "--seconds", str(seconds)]
    if cafile:
        common += ["--cafile", cafile]
    hostile = None
    if idle or drip:
        hostile = spawn(LOAD + ["hostile"] + common + ["--seconds", str(seconds + 2),
                                                      "--idle", str(idle), "--drip", str(drip)],
                        "hostile", stdout=subprocess.PIPE)
        time.sleep(2)  # let them take their sockets first
    sampler = RssSampler(list(watch))
    scrape = spawn(LOAD + ["scrape"] + common + ["--warmup", str(warmup)], "scrape",
                   stdout=subprocess.PIPE)
    vcmd = LOAD + ["viewers"] + common + ["--viewers", str(viewers), "--scale", str(scale),
                                         "--warmup", str(warmup), "--procs", str(procs)]
    if paths:
        vcmd += ["--paths"] + paths
    view = spawn(vcmd, "viewers", stdout=subprocess.PIPE)
    if during:
        during()
    out = {"viewers": json.loads(view.communicate(timeout=seconds + 120)[0] or "{}"),
           "scrape": json.loads(scrape.communicate(timeout=seconds + 60)[0] or "{}")}
    if hostile:
        out["hostile"] = json.loads(hostile.communicate(timeout=seconds + 60)[0] or "{}")
    out["rss_max_kb"] = sampler.done()
    out["load"] = loadavg()
    return out


def observd_requests(port):
    """Sum of observd_http_requests_total on one instance (fetched directly)."""
    total = 0.0
    for line in http_get("http://127.0.0.1:%d/metrics" % port).splitlines():
        if line.startswith("observd_http_requests_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total
