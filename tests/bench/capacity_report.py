"""What capacity.py prints: a row per run (row, print_rows) and the targets met or
missed (Verdicts)."""

import json


def row(name, r, pid=None):
    v, s = r["viewers"], r["scrape"]
    rss = (r["rss_max_kb"].get(pid, 0) / 1024.0) if pid else float("nan")
    return {"name": name, "viewer_p50": v.get("p50_ms"), "viewer_p99": v.get("p99_ms"),
            "viewer_requests": v.get("requests"), "viewer_errors": v.get("error_count"),
            "errors": v.get("errors"), "retries": v.get("retries"),
            "scrape_p50": s.get("p50_ms"), "scrape_p99": s.get("p99_ms"),
            "scrape_failed": s.get("failed"), "rss_mb": rss, "load": r["load"],
            "client_cpu": v.get("client_cpu_share_max"), "hostile": r.get("hostile")}


def fmt(x, nd=1):
    if x is None:
        return "—"
    if isinstance(x, float):
        return ("%." + str(nd) + "f") % x
    return str(x)


def print_rows(title, rows):
    print("\n### %s\n" % title)
    print("| run | viewer p50 / p99 ms | viewer requests | errors (retries) | scrape p50 / p99 ms "
          "| scrapes failed | server RSS max MB (observd behind nginx) | client CPU (max share of a core) | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s / %s | %s | %s (%s) | %s / %s | %s | %s | %s | %s |" % (
            r["name"], fmt(r["viewer_p50"]), fmt(r["viewer_p99"]), fmt(r["viewer_requests"]),
            fmt(r["viewer_errors"]), fmt(r["retries"]), fmt(r["scrape_p50"]),
            fmt(r["scrape_p99"]), fmt(r["scrape_failed"]), fmt(r["rss_mb"]),
            fmt(r["client_cpu"], 2), r["load"]))
        if r["viewer_errors"]:
            print("|   errors: %s |||||||||" % json.dumps(r["errors"]))
        if r.get("hostile"):
            print("|   hostile sockets: %s |||||||||" % json.dumps(r["hostile"]))


class Verdicts:
    def __init__(self):
        self.lines, self.missed = [], 0

    def check(self, what, ok, measured):
        self.lines.append("| %s | %s | %s |" % (what, measured, "met" if ok else "MISSED"))
        self.missed += 0 if ok else 1

    def print(self):
        print("\n### Targets\n\n| target | measured | result |\n|---|---|---|")
        print("\n".join(self.lines))


def le(x, limit):
    return x is not None and x <= limit
