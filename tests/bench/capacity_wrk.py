"""capacity.py's 10,000-viewer row: keep-alive TLS tabs through nginx from wrk
processes running wrk_viewers.lua, started in groups to spread the handshakes, with the
probe scraping beside them; the row, its CPU table and its verdicts."""

import json
import os
import re
import subprocess
import time

from capacity_cpu import cpu_shares, cpu_snapshot, print_cpu
from capacity_load import LOAD, observd_requests
from capacity_procs import HERE, TMP, RssSampler, loadavg, log, spawn
from capacity_report import fmt, print_rows

WRK_LUA = os.path.join(HERE, "wrk_viewers.lua")
POLL_MS = 2500  # a tab: stats every 5 s, uploads and metrics every 10 s = 4 GETs per 10 s
# wrk 4.1.0 polls a socket whose TLS handshake waits for the server in a loop (it is
# writable); at nice 0, dozens of such processes took the cores from nginx (wrk 1.57
# cores, nginx 0.15, 2,000 tabs never answered). Niced, the client gets what is left.
WRK_NICE = 10


def sleep_until(t):
    time.sleep(max(0.0, t - time.time()))


def open_connections(port):
    """Established client sockets to 127.0.0.1:port (the viewers and the probe)."""
    out = subprocess.run(["ss", "-Htn", "state", "established", "( dport = :%d )" % port],
                         capture_output=True, text=True).stdout
    return len(out.splitlines())


def log_levels(path, offset):
    """Lines per level ("crit", "error", ...) that nginx wrote to its error log after
    `offset` bytes (e.g. worker_connections exhausted, handshakes cut off), and the
    first three of them."""
    levels, first = {}, []
    try:
        with open(path) as f:
            f.seek(offset)
            for m in re.finditer(r"^\S+ \S+ \[(\w+)\].*$", f.read(), re.M):
                levels[m.group(1)] = levels.get(m.group(1), 0) + 1
                if len(first) < 3:
                    first.append(m.group(0))
    except OSError:
        pass
    return levels, first


def merge_wrk(parts):
    """Sums of the wrk_viewers.lua results of several wrk processes."""
    total = {"requests": 0, "bytes": 0, "issued": 0, "responses": 0, "gzipped": 0,
             "measured": 0, "measured_bad": 0, "socket_errors": {}, "statuses": {}, "cache": {}}
    for d in parts:
        for k in ("requests", "bytes", "issued", "responses", "gzipped", "measured",
                  "measured_bad"):
            total[k] += d.get(k, 0)
        for k in ("socket_errors", "statuses", "cache"):
            for key, n in d.get(k, {}).items():
                total[k][key] = total[k].get(key, 0) + n
    return total


def run_wrk_viewers(ng, viewers, seconds, args, observd_pid):
    """`viewers` keep-alive tabs through nginx from wrk processes (wrk_viewers.lua) of
    `args.big_group` connections each, started `args.big_ramp_step` s apart (wrk opens
    its connections at once: this spreads the TLS handshakes). The last starts after
    the others, handshakes for `args.big_warmup` s, then polls for `seconds`: its
    latencies are the steady state with every tab open (250 tabs: 6,000 samples a
    minute; a group of 1,000 handshaking at once under heavy load from other tenants
    lost 1,010 requests to connections nginx closed). The probe scrapes beside them."""
    group, step, warm = args.big_group, args.big_ramp_step, int(args.big_warmup)
    sizes = [min(group, viewers - i) for i in range(0, viewers, group)]
    t0 = time.time() + 1
    measured_start = t0 + (len(sizes) - 1) * step
    measure_from = measured_start + warm
    end = measure_from + int(seconds)
    scrape = spawn(LOAD + ["scrape", "--base", ng.base, "--cafile", ng.cert, "--seconds",
                           str(end - time.time()), "--warmup", str(measure_from - time.time())],
                   "scrape", stdout=subprocess.PIPE)
    nginx_pids = ng.pids()
    sampler = RssSampler([observd_pid] + nginx_pids)
    procs = []

    def snap():
        return cpu_snapshot([p.pid for p in procs], nginx_pids, observd_pid, scrape.pid)

    s0 = None
    for i, n in enumerate(sizes):
        start = t0 + i * step
        sleep_until(start)
        first_poll = measure_from if i == len(sizes) - 1 else start + 3
        procs.append(spawn(["wrk", "-t", "1", "-c", str(n), "-d", "%ds" % round(end - start),
                            "--timeout", "10s", "-s", WRK_LUA, ng.base, "--",
                            "%.3f" % first_poll, "%.3f" % measure_from, "%.3f" % end,
                            str(POLL_MS)],
                           "wrk-%d" % i, stdout=subprocess.PIPE,
                           preexec_fn=lambda: os.nice(WRK_NICE)))
        s0 = s0 or snap()
    sleep_until(measure_from)
    s1, load_warm, conns = snap(), loadavg(), open_connections(ng.port)
    sleep_until(end - 1)  # every wrk stops at `end`
    s2 = snap()
    parts = []
    for p in procs:
        out, _ = p.communicate(timeout=60)
        lines = [x for x in out.decode("utf-8", "replace").splitlines() if x.startswith("{")]
        parts.append(json.loads(lines[-1]) if lines else {})
    return {"groups": parts, "wrk": merge_wrk(parts), "measured_group": parts[-1],
            "wrk_rcs": [p.returncode for p in procs], "open_connections": conns,
            "scrape": json.loads(scrape.communicate(timeout=60)[0] or "{}"),
            "rss_max_kb": sampler.done(), "load": loadavg(), "load_warmup": load_warm,
            "cpu_warmup": cpu_shares(s0, s1), "cpu_steady": cpu_shares(s1, s2),
            "nginx_pids": nginx_pids, "sizes": sizes, "ramp_s": measure_from - t0}


def wrk_row(name, r, observd_pid):
    """A print_rows() row from run_wrk_viewers(): latencies of the measured group,
    requests answered in the measurement (all groups); errors of every group over the
    whole run: socket errors (connect, read, write, timeout) plus every non-2xx answer."""
    v, m, s = r["wrk"], r["measured_group"], r["scrape"]
    errors = {k: n for k, n in v["socket_errors"].items() if n}
    errors.update({"status_" + c: n for c, n in v["statuses"].items() if not c.startswith("2")})
    return {"name": name, "viewer_p50": m.get("p50_ms"), "viewer_p99": m.get("p99_ms"),
            "viewer_requests": v["measured"], "viewer_errors": sum(errors.values()),
            "errors": errors, "retries": None, "scrape_p50": s.get("p50_ms"),
            "scrape_p99": s.get("p99_ms"), "scrape_failed": s.get("failed"),
            "rss_mb": r["rss_max_kb"].get(observd_pid, 0) / 1024.0, "load": r["load"],
            "client_cpu": r["cpu_steady"]["wrk_thread_max"], "hostile": None}


def big_viewers(args, ng, verdicts, results, observd_port, observd_pid):
    N, S = args.big_viewers, int(args.seconds)
    label = "nginx TLS front: %d viewers (wrk)" % N
    log("fronted: %s, %d s measured after the ramp" % (label, S))
    before = observd_requests(observd_port)
    error_log = os.path.join(TMP, "nginx", "error.log")
    log_at = os.path.getsize(error_log) if os.path.exists(error_log) else 0
    r = run_wrk_viewers(ng, N, S, args, observd_pid)
    reached = observd_requests(observd_port) - before
    v, m, f = r["wrk"], r["measured_group"], wrk_row(label, r, observd_pid)
    print_rows("Fronted, %d viewers (wrk + wrk_viewers.lua, one keep-alive TLS connection "
               "per tab: %d wrk processes of %d, started %g s apart; %d s measured once "
               "all are open)" % (N, len(r["sizes"]), args.big_group, args.big_ramp_step, S),
               [f])
    if not m:
        print("\nthe measured wrk printed no result (exits %s); see its log" % r["wrk_rcs"])
    scrapes = r["scrape"].get("requests") or 0
    share = (reached - scrapes) / max(v["requests"], 1)
    rss = r["rss_max_kb"]
    print("\nViewer requests in the measured %d s: %d answered of %d expected (%d tabs x %d s "
          "/ %.1f s), %d non-2xx. Whole run (ramp included): %d answered of %d sent "
          "(%d unanswered when wrk stopped), status codes %s, X-Cache-Status %s, gzip %d." % (
              S, v["measured"], N * S * 1000 // POLL_MS, N, S, POLL_MS / 1000.0,
              v["measured_bad"], v["requests"], v["issued"], v["issued"] - v["responses"],
              json.dumps(v["statuses"]), json.dumps(v["cache"]), v["gzipped"]))
    print("Latency, measured group (%d tabs, the last to join): p50 %s, p90 %s, p99 %s, max %s "
          "ms; p99 of the earlier groups (their own ramp included): %s ms" % (
              r["sizes"][-1], fmt(m.get("p50_ms")), fmt(m.get("p90_ms")), fmt(m.get("p99_ms")),
              fmt(m.get("max_ms")), ", ".join(fmt(g.get("p99_ms")) for g in r["groups"][:-1])))
    print("Requests reaching observd: %d for %d viewer requests (%.5f, 1 in %.0f; the %d "
          "scrapes are not cached and counted apart)" % (
              reached - scrapes, v["requests"], share, 1 / share if share > 0 else 0, scrapes))
    print("Open client connections to nginx when the measurement began: %d (%d tabs + the "
          "probe); ramp %.0f s. RSS max: observd %.1f MB, nginx processes %s MB" % (
              r["open_connections"], N, r["ramp_s"], rss.get(observd_pid, 0) / 1024.0,
              " + ".join("%.1f" % (rss.get(p, 0) / 1024.0) for p in r["nginx_pids"])))
    levels, first = log_levels(error_log, log_at)
    print("nginx error log during the run, lines per level: %s%s" % (
        json.dumps(levels), "".join("\n    " + line for line in first)))
    print_cpu(r)
    busiest = r["cpu_steady"]["wrk_thread_max"]
    expected = N * S * 1000 // POLL_MS
    verdicts.check("fronted, %d viewers: 0 errors" % N, f["viewer_errors"] == 0,
                   "%d %s" % (f["viewer_errors"], json.dumps(f["errors"])))
    verdicts.check("fronted, %d viewers: >= 99%% of the expected polls answered" % N,
                   v["measured"] >= 0.99 * expected, "%d of %d" % (v["measured"], expected))
    verdicts.check("fronted, %d viewers: all connected when measured" % N,
                   r["open_connections"] >= N + 1, r["open_connections"] - 1)
    verdicts.check("client not saturated (wrk CPU < 0.8 of its threads)", busiest < 0.8,
                   "busiest wrk thread %.2f of a core (all: %.2f cores, nginx %.2f)" % (
                       busiest, r["cpu_steady"]["wrk_total"], r["cpu_steady"]["nginx"]))
    results["fronted"]["big"] = {"row": f, "wrk": v, "groups": r["groups"],
                                 "reached_share": share, "cpu_ramp": r["cpu_warmup"],
                                 "cpu_steady": r["cpu_steady"],
                                 "open_connections": r["open_connections"]}
