"""capacity.py's fronted section: the shipped nginx site (TLS on loopback, micro-cache)
in front of one observd, with the Python viewers (front_row) and with wrk's 10,000 tabs
(capacity_wrk.py)."""

from capacity_load import observd_requests, run_load
from capacity_procs import log, stop
from capacity_report import fmt, le, print_rows, row
from capacity_servers import Nginx
from capacity_wrk import big_viewers


def section_fronted(args, env, verdicts, results, observd_port, observd_pid):
    ng = Nginx([observd_port])
    results["fronted"] = {}
    if args.front_viewers:
        front_row(args, ng, verdicts, results, observd_port, observd_pid)
    if args.big_viewers:
        big_viewers(args, ng, verdicts, results, observd_port, observd_pid)
    stop(ng.proc)


def front_row(args, ng, verdicts, results, observd_port, observd_pid):
    V, I, D = args.front_viewers, args.front_idle, args.front_drip
    before = observd_requests(observd_port)
    label = "nginx TLS front: %d viewers + %d idle + %d slow" % (V, I, D)
    log("fronted: " + label)
    r = run_load(ng.base, V, args.seconds, scale=args.scale, idle=I, drip=D, cafile=ng.cert,
                 watch=[observd_pid], warmup=args.warmup, procs=max(args.procs, 2))
    reached = observd_requests(observd_port) - before
    rows = [row(label, r, observd_pid)]
    served = max(rows[0]["viewer_requests"] or 0, 1)
    scrapes = len(r["scrape"]) and (r["scrape"].get("requests") or 0)
    share = (reached - scrapes) / served
    print_rows("Fronted (shipped nginx site, TLS on loopback, 1 s micro-cache)", rows)
    print("\nRequests reaching observd: %d for %d viewer requests (%.4f, 1 in %.0f; the %d "
          "scrapes are not cached and counted apart)" % (reached - scrapes, served, share,
                                                         1 / share if share > 0 else 0, scrapes))
    f = rows[0]
    verdicts.check("fronted: 0 viewer errors", f["viewer_errors"] == 0, f["viewer_errors"])
    p99_limit = args.ci_p99_ms if args.ci else 200
    verdicts.check("fronted: viewer p99 <= %d ms" % p99_limit, le(f["viewer_p99"], p99_limit),
                   fmt(f["viewer_p99"]))
    if not args.ci:
        verdicts.check("fronted: scrape p99 <= 100 ms", le(f["scrape_p99"], 100),
                       fmt(f["scrape_p99"]))
    limit = 0.2 if args.ci else 0.05
    verdicts.check("fronted: viewer requests reaching observd <= %g" % limit, share <= limit,
                   "%.4f" % share)
    results["fronted"].update({"rows": rows, "reached_share": share})
