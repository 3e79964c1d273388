#!/usr/bin/env python3
"""check_grafana.py [DASHBOARD] — checks packaging/grafana/observd.json.

Checks: valid JSON; a datasource template variable of type "datasource" (or an
__inputs DS_PROMETHEUS) that every panel and target uses; job and instance
variables; unique panel ids; a unit on every non-row panel; every metric family
of the DESIGN.md contract referenced by at least one panel target expression;
histogram_quantile p50 and p99 over the duration histogram.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "packaging", "grafana", "observd.json")

# Metric families of the contract (DESIGN.md, "Metrics contract").
FAMILIES = [
    "observd_dashboard_refresh_total",
    "observd_htmx_events_total",
    "observd_cache_hits_total",
    "observd_cache_misses_total",
    "observd_cache_hit_ratio",
    "observd_http_requests_total",
    "observd_http_request_duration_seconds",
    "observd_redis_up",
    "observd_redis_latency_seconds",
    "observd_redis_errors_total",
    "observd_snapshot_age_seconds",
    "observd_build_info",
    "observd_app_uploads",
    "observd_app_uploads_window",
    "observd_app_active_users",
    "observd_app_workflow_runs_window",
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
    "process_start_time_seconds",
    "process_open_fds",
    "process_max_fds",
]

failures = 0


def check(ok, what):
    global failures
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


def all_panels(panels):
    for p in panels:
        yield p
        yield from all_panels(p.get("panels", []))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    print(f"== {os.path.normpath(path)}")
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        check(False, f"valid JSON: {e}")
        return 1
    check(True, "valid JSON")
    check(isinstance(dash.get("schemaVersion"), int) and dash["schemaVersion"] >= 36,
          f"schemaVersion {dash.get('schemaVersion')} >= 36")
    check(bool(dash.get("uid")) and bool(dash.get("title")), "uid and title set")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds_var = next((n for n, v in variables.items() if v.get("type") == "datasource"
                   and v.get("query") == "prometheus"), None)
    inputs = [i.get("name") for i in dash.get("__inputs", [])]
    check(ds_var is not None or "DS_PROMETHEUS" in inputs,
          f"Prometheus datasource variable ({ds_var or 'none'}) or __inputs DS_PROMETHEUS")
    ds_refs = {f"${{{ds_var}}}", f"${ds_var}"} if ds_var else set()
    ds_refs |= {"${DS_PROMETHEUS}"} if "DS_PROMETHEUS" in inputs else set()
    for name in ("job", "instance"):
        check(variables.get(name, {}).get("type") == "query", f"'{name}' query variable")

    panels = list(all_panels(dash.get("panels", [])))
    ids = [p.get("id") for p in panels]
    dupes = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    check(None not in ids and not dupes, f"{len(ids)} panel ids, unique (duplicates: {dupes})")

    exprs = []
    bad_units, bad_ds = [], []
    for p in panels:
        if p.get("type") == "row":
            continue
        title = p.get("title", f"id {p.get('id')}")
        if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"):
            bad_units.append(title)
        for obj in [p] + p.get("targets", []):
            uid = (obj.get("datasource") or {}).get("uid")
            if uid not in ds_refs:
                bad_ds.append(f"{title}: {uid}")
        if not p.get("targets"):
            bad_ds.append(f"{title}: no targets")
        exprs += [t.get("expr", "") for t in p.get("targets", [])]
    check(not bad_units, f"every panel has a unit (missing: {bad_units})")
    check(not bad_ds, f"every panel and target uses the datasource variable (not: {bad_ds})")
    units = {p.get("fieldConfig", {}).get("defaults", {}).get("unit") for p in panels}
    for unit in ("s", "bytes", "percentunit", "reqps"):
        check(unit in units, f"some panel uses unit {unit}")

    text = "\n".join(exprs)
    for fam in FAMILIES:
        # A family is referenced by its name or a histogram series of it; the
        # lookahead keeps observd_app_uploads from matching observd_app_uploads_window.
        found = re.search(rf"\b{re.escape(fam)}(_bucket|_sum|_count)?(?![a-zA-Z0-9_])", text)
        check(bool(found), f"metric family {fam} used by a panel")
    for q in ("0.5", "0.99"):
        check(re.search(rf"histogram_quantile\(\s*{re.escape(q)}\s*,[^\n]*"
                        r"observd_http_request_duration_seconds_bucket", text) is not None,
              f"histogram_quantile({q}) over observd_http_request_duration_seconds_bucket")
    check("by (handler, code)" in text.replace(" ,", ","), "request rate split by handler and code")

    if failures:
        print(f"check_grafana: {failures} failure(s)")
        return 1
    print("check_grafana: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
