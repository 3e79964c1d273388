"""capacity.py's direct sections: one observd (packaged defaults) next to
prometheus-redis-exporter under the same viewers, probe and hostile sockets, their idle
RSS, and the limits of many hostile sockets (no target)."""

import time

from capacity_load import run_load
from capacity_procs import free_port, http_get, log, rss_kb, stop, threads
from capacity_report import fmt, le, print_rows, row

# redis_exporter has no partials: its viewers GET its landing page and /health (the
# connection-handling load); /metrics there queries Redis per request (a baseline run
# with /metrics as the third panel: 160 MB RSS, p99 4.6 s), so only the probe scrapes it.
REX_PATHS = ["/", "/health", "/"]


def section_direct(args, env, verdicts, results):
    o_port, r_port = free_port(), free_port()
    observd = env.observd("observd-direct", o_port, args.observd_yaml)
    rex = env.redis_exporter(r_port)
    base_o, base_r = "http://127.0.0.1:%d" % o_port, "http://127.0.0.1:%d" % r_port
    # Idle RSS: after a warm-up of 10 requests to every path a viewer and a scrape use,
    # then 3 s without requests.
    for _ in range(10):
        for path in ["/metrics", "/dashboard/api/stats-html",
                     "/dashboard/api/recent-uploads-html?limit=10", "/dashboard/api/metrics-html"]:
            http_get(base_o + path)
        for path in REX_PATHS + ["/metrics"]:
            http_get(base_r + path)
    time.sleep(3)
    idle = {"observd": rss_kb(observd.pid) / 1024.0, "redis_exporter": rss_kb(rex.pid) / 1024.0}
    log("idle RSS: observd %.1f MB (%d threads), redis_exporter %.1f MB" % (
        idle["observd"], threads(observd.pid), idle["redis_exporter"]))
    # A baseline of the probe alone, for the ratio the CI variant checks.
    alone = run_load(base_o, 0, args.probe_seconds, warmup=1, watch=[observd.pid])
    rows = [row("observd: scrape probe alone", alone, observd.pid)]
    V, I, D, S, sc = args.viewers, args.idle, args.drip, args.seconds, args.scale
    runs = [("observd", base_o, None, observd.pid, 0, 0),
            ("observd", base_o, None, observd.pid, I, D)]
    if not args.ci:
        runs += [("redis_exporter", base_r, REX_PATHS, rex.pid, 0, 0),
                 ("redis_exporter", base_r, REX_PATHS, rex.pid, I, D)]
    for name, base, paths, pid, i, d in runs:
        label = "%s: %d viewers%s" % (name, V, " + %d idle + %d drip" % (i, d) if i or d else "")
        log("direct: " + label)
        r = run_load(base, V, S, scale=sc, idle=i, drip=d, paths=paths, watch=[pid],
                     warmup=args.warmup, procs=args.procs)
        rows.append(row(label, r, pid))
    print_rows("Direct (one process, packaged defaults; %s s at %s)" % (
        S, "real poll intervals" if sc == 1 else "%gx compressed intervals" % sc), rows)
    print("\nIdle RSS: observd %.1f MB, redis_exporter %.1f MB" % (
        idle["observd"], idle["redis_exporter"]))
    a, b = rows[1], rows[2]
    verdicts.check("direct, %d viewers: 0 errors" % V, a["viewer_errors"] == 0,
                   a["viewer_errors"])
    if args.ci:
        base_p99 = max(rows[0]["scrape_p99"] or 0, 1.0)
        verdicts.check("direct, %d viewers: viewer p99 <= %d ms" % (V, args.ci_p99_ms),
                       le(a["viewer_p99"], args.ci_p99_ms), fmt(a["viewer_p99"]))
        verdicts.check("direct, + %d idle + %d drip: scrape p99 <= max(%d ms, 20 x alone %.1f ms)"
                       % (I, D, args.ci_p99_ms, base_p99),
                       le(b["scrape_p99"], max(args.ci_p99_ms, 20 * base_p99)),
                       fmt(b["scrape_p99"]))
    else:
        verdicts.check("direct, %d viewers: viewer p99 <= 100 ms" % V, le(a["viewer_p99"], 100),
                       fmt(a["viewer_p99"]))
        verdicts.check("direct, %d viewers: scrape p99 <= 100 ms" % V, le(a["scrape_p99"], 100),
                       fmt(a["scrape_p99"]))
        verdicts.check("direct, + %d idle + %d drip: scrape p99 <= 250 ms" % (I, D),
                       le(b["scrape_p99"], 250), fmt(b["scrape_p99"]))
    verdicts.check("direct, + %d idle + %d drip: no scrape fails" % (I, D),
                   b["scrape_failed"] == 0, b["scrape_failed"])
    if not args.ci:
        o_rss = max(a["rss_mb"], b["rss_mb"])
        r_rss = max(rows[3]["rss_mb"], rows[4]["rss_mb"])
        verdicts.check("RSS under load: observd <= redis_exporter",
                       o_rss <= r_rss, "%.1f vs %.1f MB" % (o_rss, r_rss))
        verdicts.check("idle RSS: observd <= redis_exporter",
                       idle["observd"] <= idle["redis_exporter"],
                       "%.1f vs %.1f MB" % (idle["observd"], idle["redis_exporter"]))
    results["direct"] = {"rows": rows, "idle_rss_mb": idle}
    stop(rex)
    return observd, o_port


def section_limits(args, env, verdicts, results):
    """What many hostile sockets still do to one observd (no target: README figures)."""
    port = free_port()
    observd = env.observd("observd-limits", port, args.observd_yaml)
    base = "http://127.0.0.1:%d" % port
    rows = []
    for idle, drip in [(1000, 0), (0, 300)]:
        label = "observd: %d viewers + %d idle + %d drip" % (args.viewers, idle, drip)
        log("limits: " + label)
        r = run_load(base, args.viewers, args.limit_seconds, scale=args.scale, idle=idle,
                     drip=drip, watch=[observd.pid], warmup=args.warmup, procs=args.procs)
        rows.append(row(label, r, observd.pid))
    print_rows("Limits (no target; %s s, idle sockets reach a worker after ~31 s in the "
               "kernel)" % args.limit_seconds, rows)
    results["limits"] = rows
    stop(observd)
