#!/usr/bin/env python3
"""Capacity benchmark: browser-like viewers, a Prometheus-like scrape probe and hostile
sockets against one observd (packaged defaults), against Debian's prometheus-redis-exporter
under the same load, through the shipped nginx site (TLS on loopback, micro-cache), and
with three observd replicas behind it. Prints the figures side by side and exits 1 when
a target is missed (tests/bench/README.md, "capacity.py").

  BUILD_DIR=build tests/bench/capacity.py                       # headline, ~17 min
  BUILD_DIR=build tests/bench/capacity.py --sections direct     # one section
  BUILD_DIR=build tests/bench/capacity.py --ci                  # ctest variant, ~45 s

Starts every server itself on free loopback ports and stops exactly those on exit.
Clients run as separate processes (browser_load.py) and report their own CPU time; the
10,000-viewer row (--big-viewers) uses wrk with wrk_viewers.lua, whose CPU is read from /proc.
"""

# The driver. Its parts are modules beside it, one concern each: capacity_procs.py (the
# processes it starts, ports, /proc readings), capacity_servers.py (Redis and the demo,
# observd, redis_exporter, nginx), capacity_load.py (the browser_load.py clients),
# capacity_report.py (rows and verdicts), and the sections: capacity_direct.py,
# capacity_fronted.py, capacity_wrk.py (10,000 viewers; CPU: capacity_cpu.py) and
# capacity_replicas.py.

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from capacity_direct import section_direct, section_limits
from capacity_fronted import section_fronted
from capacity_procs import SRC, cleanup, free_port, loadavg, stop
from capacity_replicas import section_replicas
from capacity_report import Verdicts
from capacity_servers import Env
from capacity_wrk import POLL_MS


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", default=os.environ.get("BUILD_DIR", "build"))
    p.add_argument("--sections", default="direct,fronted,replicas")
    p.add_argument("--ci", action="store_true", help="short variant with generous thresholds")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--scale", type=float, default=1.0, help="poll interval compression")
    p.add_argument("--viewers", type=int, default=1000)
    p.add_argument("--idle", type=int, default=100)
    p.add_argument("--drip", type=int, default=100)
    p.add_argument("--front-viewers", type=int, default=2000)
    p.add_argument("--front-idle", type=int, default=500)
    p.add_argument("--front-drip", type=int, default=500)
    p.add_argument("--big-viewers", type=int, default=None,
                   help="also measure N viewers fronted, with wrk (default 10000; --ci: 0)")
    p.add_argument("--big-group", type=int, default=250,
                   help="connections per wrk process of the big run (one thread each)")
    p.add_argument("--big-ramp-step", type=float, default=0.75,
                   help="seconds between the big run's wrk processes (spreads the handshakes)")
    p.add_argument("--big-warmup", type=int, default=6,
                   help="seconds the last wrk group handshakes before the measurement")
    p.add_argument("--failover-viewers", type=int, default=500)
    p.add_argument("--replica-window", type=float, default=60,
                   help="seconds of whole refresh periods counted per replica count")
    p.add_argument("--replica-scale", type=float, default=1,
                   help="replica run time compression (1: packaged TTL 30 s, PING 1 s)")
    p.add_argument("--limit-seconds", type=float, default=45)
    p.add_argument("--replica-sampler", type=float, default=None,
                   help="sampler.interval in ms of replicas 2 and 3 (experiments)")
    p.add_argument("--probe-seconds", type=float, default=5)
    p.add_argument("--procs", type=int, default=2, help="viewer client processes")
    p.add_argument("--ci-p99-ms", type=float, default=1000)
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--observd-yaml", default="",
                   help="YAML appended to observd's config (experiments; default: none)")
    args = p.parse_args()
    if args.ci:
        args.seconds, args.warmup, args.scale = 8, 3, 5
        args.viewers, args.idle, args.drip = 200, 60, 0
        args.front_viewers, args.front_idle, args.front_drip = 200, 20, 20
        args.sections = "direct,fronted"
        args.big_viewers = args.big_viewers or 0
    if args.big_viewers is None:
        args.big_viewers = 10000
    if args.big_warmup + POLL_MS / 1000.0 > 9:
        p.error("--big-warmup + one poll interval must stay under nginx's 10 s "
                "client_header_timeout (wrk_viewers.lua waits at most 9 s)")
    build = os.path.abspath(os.path.join(SRC, args.build_dir)) \
        if not os.path.isabs(args.build_dir) else args.build_dir
    for tool in ["redis-server", "redis-cli", "nginx", "openssl", "curl",
                 "prometheus-redis-exporter"] + (["wrk"] if args.big_viewers else []):
        if not shutil.which(tool):
            print("capacity: %s is not installed; skipped" % tool, file=sys.stderr)
            return 77
    for f in ["bin/observd", "bin/observd-demo", "www/static", "templates"]:
        if not os.path.exists(os.path.join(build, f)):
            print("capacity: %s missing (build the observd, observd-demo and observd_www "
                  "targets); skipped" % os.path.join(build, f), file=sys.stderr)
            return 77
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    verdicts, results = Verdicts(), {}
    sections = args.sections.split(",")
    try:
        env = Env(build)
        print("## observd capacity (%s, %s, %d CPUs, load %s at start)" % (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            subprocess.run(["git", "-C", SRC, "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True).stdout.strip() or "unknown",
            os.cpu_count(), loadavg()))
        observd, port = None, None
        if "direct" in sections:
            observd, port = section_direct(args, env, verdicts, results)
        if "fronted" in sections:
            if port is None:
                port = free_port()
                observd = env.observd("observd-front", port, args.observd_yaml)
            section_fronted(args, env, verdicts, results, port, observd.pid)
        if observd:
            stop(observd)
        if "limits" in sections:
            section_limits(args, env, verdicts, results)
        if "replicas" in sections:
            section_replicas(args, env, verdicts, results)
        verdicts.print()
        print("\nload at end: %s" % loadavg())
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1, default=str)
    finally:
        cleanup()
    return 1 if verdicts.missed else 0


if __name__ == "__main__":
    sys.exit(main())
