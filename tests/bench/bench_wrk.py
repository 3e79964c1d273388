"""bench_clients.py's arithmetic: `wrk --latency` outputs parsed (req/s, p50/p99 ms,
requests, errors) and run.sh's rounds summarized (median per target, the ratio table,
exit 1 on a miss)."""

import json
import re
import statistics


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
