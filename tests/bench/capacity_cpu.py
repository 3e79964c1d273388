"""CPU accounting of capacity.py's 10,000-viewer row, from /proc: CPU seconds per wrk
thread, nginx process, observd and the probe, the machine's busy and steal time and its
CPU pressure; shares of a core between two snapshots, and their table."""

import os
import re
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_s(path):
    """utime + stime of /proc/<pid>[/task/<tid>]/stat, in seconds (0 once it is gone)."""
    try:
        with open(path + "/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_pressure_s():
    """Seconds in which some runnable task waited for a CPU (/proc/pressure/cpu), or
    None without PSI."""
    try:
        with open("/proc/pressure/cpu") as f:
            return int(re.search(r"^some .*total=(\d+)", f.read(), re.M).group(1)) / 1e6
    except (OSError, AttributeError):
        return None


def cpu_snapshot(wrk_pids, nginx_pids, observd_pid, scrape_pid):
    """CPU seconds so far of every wrk thread, nginx process, observd, the scrape probe,
    and the whole machine (busy and steal, from /proc/stat; CPU pressure)."""
    wrk = {}
    for pid in wrk_pids:
        try:
            for tid in os.listdir("/proc/%d/task" % pid):
                if int(tid) != pid:  # a wrk's main thread only sleeps for the duration
                    wrk[tid] = cpu_s("/proc/%d/task/%s" % (pid, tid))
        except OSError:
            pass
    with open("/proc/stat") as f:
        j = [int(x) for x in f.readline().split()[1:]]
    return {"t": time.time(), "wrk": wrk,
            "nginx": {p: cpu_s("/proc/%d" % p) for p in nginx_pids},
            "observd": cpu_s("/proc/%d" % observd_pid), "scrape": cpu_s("/proc/%d" % scrape_pid),
            "busy": (sum(j) - j[3] - j[4]) / CLK_TCK, "total": sum(j) / CLK_TCK,
            "steal": j[7] / CLK_TCK, "pressure": cpu_pressure_s()}


def cpu_shares(a, b):
    """Shares of one core between two snapshots; machine busy in cores."""
    dt = max(b["t"] - a["t"], 1e-9)
    per_thread = [(b["wrk"][t] - a["wrk"].get(t, 0.0)) / dt for t in b["wrk"]] or [0.0]
    nginx = sum(b["nginx"][p] - a["nginx"].get(p, 0.0) for p in b["nginx"]) / dt
    out = {"seconds": round(dt, 1), "wrk_thread_max": max(per_thread),
           "wrk_total": sum(per_thread), "nginx": nginx,
           "observd": (b["observd"] - a["observd"]) / dt,
           "scrape": (b["scrape"] - a["scrape"]) / dt,
           "machine_busy": (b["busy"] - a["busy"]) / dt,
           "cores": (b["total"] - a["total"]) / dt, "steal": (b["steal"] - a["steal"]) / dt,
           "pressure": (b["pressure"] - a["pressure"]) / dt if a["pressure"] is not None
           else float("nan")}
    out["others"] = out["machine_busy"] - out["steal"] - sum(
        out[k] for k in ("wrk_total", "nginx", "observd", "scrape"))
    return {k: round(v, 3) for k, v in out.items()}


def print_cpu(r):
    print("\n| phase | s | wrk: busiest thread / all %d (cores) | nginx workers | observd "
          "| scrape probe | others (demo, Redis, this script, other users) "
          "| machine busy (of %d cores) | of which steal | CPU pressure (some waiting) "
          "| load |" % (len(r["sizes"]), os.cpu_count()))
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, c, load in [("ramp: TLS handshakes, tabs joining", r["cpu_warmup"],
                           r["load_warmup"]),
                          ("steady state (measured)", r["cpu_steady"], r["load"])]:
        print("| %s | %.0f | %.2f / %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %.2f | %.0f %% "
              "| %s |" % (name, c["seconds"], c["wrk_thread_max"], c["wrk_total"], c["nginx"],
                         c["observd"], c["scrape"], c["others"], c["machine_busy"],
                         c["steal"], 100 * c["pressure"], load))
