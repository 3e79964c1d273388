#!/usr/bin/env python3
"""Capacity benchmark: browser-like viewers, a Prometheus-like scrape probe and hostile
sockets against one observd (packaged defaults), against Debian's prometheus-redis-exporter
under the same load, through the shipped nginx site (TLS on loopback, micro-cache), and
with three observd replicas behind it. Prints the figures side by side and exits 1 when
a target is missed (tests/bench/README.md, "capacity.py").

  BUILD_DIR=build tests/bench/capacity.py                       # headline, ~17 min
  BUILD_DIR=build tests/bench/capacity.py --sections direct     # one section
  BUILD_DIR=build tests/bench/capacity.py --ci                  # ctest variant, < 2 min

Starts every server itself on free loopback ports and stops exactly those on exit.
Clients run as separate processes (browser_load.py) and report their own CPU time; the
10,000-viewer row (--big-viewers) uses wrk with wrk_viewers.lua, whose CPU is read from /proc.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from unit_env import unit_environment  # noqa: E402  (the environment observd.service sets)
LOAD = [sys.executable, os.path.join(HERE, "browser_load.py")]
PROCS = []  # every process this script started (Popen), stopped on exit
TMP = tempfile.mkdtemp(prefix="observd-capacity.")


def log(msg):
    print("[capacity %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def spawn(cmd, name, **kw):
    out = open(os.path.join(TMP, name + ".log"), "w")
    p = subprocess.Popen(cmd, stdout=kw.pop("stdout", out), stderr=out, **kw)
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cleanup():
    for p in reversed(PROCS):
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGCONT)
            except ProcessLookupError:
                pass
            stop(p)
    shutil.rmtree(TMP, ignore_errors=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(url, timeout=2, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")


def wait_until(fn, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if fn():
                return
        except Exception:  # noqa: BLE001 - polling a server that is starting
            pass
        time.sleep(0.1)
    raise RuntimeError("%s did not happen within %ss" % (what, seconds))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def threads(pid):
    return len(os.listdir("/proc/%d/task" % pid))


class RssSampler:
    """Max VmRSS of some pids, sampled every 0.25 s in a thread."""

    def __init__(self, pids):
        self.pids, self.max = pids, {p: 0 for p in pids}
        self.stop = threading.Event()
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop.wait(0.25):
            for p in self.pids:
                try:
                    self.max[p] = max(self.max[p], rss_kb(p))
                except OSError:
                    pass

    def done(self):
        self.stop.set()
        self.t.join()
        return self.max


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --------------------------------------------------------------------------- servers


class Env:
    def __init__(self, build):
        self.build = build
        self.redis_port = free_port()
        d = os.path.join(TMP, "redis")
        os.makedirs(d)
        self.redis = spawn(["redis-server", "--port", str(self.redis_port), "--bind",
                            "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", d],
                           "redis")
        wait_until(lambda: self.redis_cli("PING") == "PONG", 10, "redis-server PING")
        self.redis_addr = "redis://127.0.0.1:%d/0" % self.redis_port
        subprocess.run([os.path.join(build, "bin", "observd-demo"), "--redis.addr",
                        self.redis_addr, "--backfill", "5000", "--once", "--seed", "42"],
                       check=True, timeout=120, stderr=subprocess.DEVNULL)
        self.demo = spawn([os.path.join(build, "bin", "observd-demo"), "--redis.addr",
                           self.redis_addr, "--backfill", "0", "--rate", "5", "--seed", "43"],
                          "demo")

    def redis_cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.redis_port), *args],
                              capture_output=True, text=True, timeout=10).stdout.strip()

    def redis_calls(self):
        """calls per command from INFO commandstats, without INFO itself."""
        calls = {}
        for line in self.redis_cli("INFO", "commandstats").splitlines():
            m = re.match(r"cmdstat_(\w+):calls=(\d+)", line)
            if m and m.group(1) != "info":
                calls[m.group(1)] = int(m.group(2))
        return calls

    def observd(self, name, port, extra_yaml="", web_config=None):
        cfg = os.path.join(TMP, name + ".yml")
        with open(cfg, "w") as f:
            f.write("# packaged defaults; only paths and addresses differ\nlog:\n  level: warn\n")
            f.write(extra_yaml)
        # The site and templates compiled into the binary, as packaged.
        cmd = [os.path.join(self.build, "bin", "observd"), "--config.file=" + cfg,
               "--redis.addr=" + self.redis_addr,
               "--web.listen-address=127.0.0.1:%d" % port]
        if web_config:
            cmd.append("--web.config.file=" + web_config)
        # Started as observd.service starts it; a variable the caller set wins.
        p = spawn(cmd, name, env=dict(unit_environment(), **os.environ))
        wait_until(lambda: http_get("http://127.0.0.1:%d/-/healthy" % port) != "", 20,
                   name + " /-/healthy")
        wait_until(lambda: "Ready" in http_get("http://127.0.0.1:%d/-/ready" % port), 20,
                   name + " /-/ready")
        return p

    def redis_exporter(self, port):
        p = spawn(["prometheus-redis-exporter", "--redis.addr=" + self.redis_addr,
                   "--web.listen-address=127.0.0.1:%d" % port], "redis_exporter")
        wait_until(lambda: "redis_up" in http_get("http://127.0.0.1:%d/metrics" % port), 20,
                   "redis_exporter /metrics")
        return p


def nginx_site(upstreams, https_port, http_port, cert, key, per_client_limit):
    """The shipped site, pointed at the test ports; each substitution must hit."""
    with open(os.path.join(SRC, "packaging", "nginx", "observd.conf")) as f:
        s = f.read()
    subs = [
        (r"(?m)^( *)listen 443 ssl http2( backlog=\d+)?;",
         r"\1listen 127.0.0.1:%d ssl http2\2;" % https_port),
        (r"(?m)^( *)listen 80;", r"\1listen 127.0.0.1:%d;" % http_port),
        (r"(?m)^ *listen \[::\].*\n", ""),
        (r"server 127\.0\.0\.1:9469;", " ".join("server 127.0.0.1:%d;" % p for p in upstreams)),
        (r"ssl_certificate +[^;]*;", "ssl_certificate %s;" % cert),
        (r"ssl_certificate_key +[^;]*;", "ssl_certificate_key %s;" % key),
        (r"/var/cache/nginx-observd", os.path.join(TMP, "nginx", "cache")),
        (r"limit_conn observd_perip \d+;", "limit_conn observd_perip %d;" % per_client_limit),
    ]
    for pat, rep in subs:
        s, n = re.subn(pat, rep, s)
        if n == 0:
            raise RuntimeError("nginx site: no match for %r" % pat)
    return s


def user_group():
    """nginx workers run as this script's user (as root they would be "nobody", who
    cannot write the cache in the 0700 temp dir)."""
    import grp
    import pwd
    return "%s %s" % (pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name)


class Nginx:
    def __init__(self, upstreams, per_client_limit=60000, workers=2):
        d = os.path.join(TMP, "nginx")
        os.makedirs(d, exist_ok=True)
        self.cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        if not os.path.exists(self.cert):
            # ECDSA P-256: a TLS handshake costs the server ~10x less CPU than RSA-2048
            # (what a current ACME client issues by default).
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                            "1", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key,
                            "-out", self.cert], check=True, capture_output=True)
        self.port, http_port = free_port(), free_port()
        site = os.path.join(d, "site.conf")
        with open(site, "w") as f:
            f.write(nginx_site(upstreams, self.port, http_port, self.cert, key, per_client_limit))
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""daemon off;
user %s;
worker_processes %d;
worker_rlimit_nofile 20000;
pid %s/nginx.pid;
error_log %s/error.log warn;
events { worker_connections 16000; }
http {
  access_log off;
  client_body_temp_path %s/body; proxy_temp_path %s/proxy;
  fastcgi_temp_path %s/fcgi; uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;
  include %s;
}
""" % ((user_group(), workers) + (d,) * 7 + (site,)))
        self.proc = spawn(["nginx", "-p", d, "-c", conf], "nginx")
        self.base = "https://127.0.0.1:%d" % self.port
        ctx_cmd = ["curl", "-fsS", "--cacert", self.cert, "-o", "/dev/null", self.base + "/-/healthy"]
        wait_until(lambda: subprocess.run(ctx_cmd, capture_output=True).returncode == 0, 15,
                   "nginx")

    def pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [self.proc.pid] + [int(x) for x in out.stdout.split()]


# --------------------------------------------------------------------------- load


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


# --------------------------------------------------------------------------- sections

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


# --------------------------------------------------------------------------- 10,000 viewers

WRK_LUA = os.path.join(HERE, "wrk_viewers.lua")
CLK_TCK = os.sysconf("SC_CLK_TCK")
POLL_MS = 2500  # a tab: stats every 5 s, uploads and metrics every 10 s = 4 GETs per 10 s
# wrk 4.1.0 polls a socket whose TLS handshake waits for the server in a loop (it is
# writable); at nice 0, dozens of such processes took the cores from nginx (wrk 1.57
# cores, nginx 0.15, 2,000 tabs never answered). Niced, the client gets what is left.
WRK_NICE = 10


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


def next_refresh(env, deadline):
    """Waits for a snapshot refresh to begin (its first command, the ZCARD of the
    uploads timeline, ticks); returns the calls and the time just after it."""
    c = env.redis_calls()
    while time.time() < deadline:
        time.sleep(0.02)
        n = env.redis_calls()
        if n.get("zcard", 0) > c.get("zcard", 0):
            return n, time.time()
        c = n
    raise RuntimeError("no snapshot refresh seen")


def count_window(env, seconds, ttl_s):
    """Redis commands per minute over whole refresh periods spanning at least
    `seconds` (from one refresh's start to the first after `seconds`), so that no
    window holds a fraction of a refresh: (total, {command: per minute})."""
    c0, t0 = next_refresh(env, time.time() + 2 * ttl_s + 5)
    time.sleep(seconds)
    c1, t1 = next_refresh(env, time.time() + 2 * ttl_s + 5)
    dt = t1 - t0
    per = {k: (v - c0.get(k, 0)) * 60.0 / dt for k, v in c1.items() if v != c0.get(k, 0)}
    return sum(per.values()), per


def replica_yaml(scale, sampler_ms=None):
    """observd's config for the replica runs: the packaged defaults (TTL 30 s, PING every
    second) at scale 1; at scale s every period is divided by s."""
    ping_ms = sampler_ms if sampler_ms else 1000 / scale
    if scale == 1 and not sampler_ms:
        return ""
    return "cache:\n  ttl: %dms\nsampler:\n  interval: %dms\n" % (30000 / scale, ping_ms)


def section_replicas(args, env, verdicts, results):
    # At real time by default: the nginx micro-cache (1 s) does not compress, so at 10x
    # a refresh lands up to one cache second after the 3 s TTL (4 s periods instead of
    # 3 s) and the PINGs weigh a third more than they do in real time.
    sc = args.replica_scale
    ttl_s = 30.0 / sc
    ports = [free_port() for _ in range(3)]
    env.demo.send_signal(signal.SIGSTOP)
    try:
        cpm, by_cmd = {}, {}
        for n in (1, 3):
            # --replica-sampler: the PING interval (ms, real time) of the 2nd and 3rd
            # instance, as in their own observd-<port>.yml.
            inst = [env.observd("replica-%d-of-%d" % (i, n), ports[i],
                                replica_yaml(sc, None if i == 0 else args.replica_sampler))
                    for i in range(n)]
            ng = Nginx(ports[:n])
            view = spawn(LOAD + ["viewers", "--base", ng.base, "--cafile", ng.cert, "--seconds",
                                 str(args.replica_window + 3 * ttl_s + 15), "--viewers", "100",
                                 "--scale", str(sc)], "replica-viewers", stdout=subprocess.PIPE)
            time.sleep(3)
            cpm[n], by_cmd[n] = count_window(env, args.replica_window, ttl_s)
            view.kill()
            view.communicate(timeout=120)
            log("replicas=%d: %.0f Redis commands/min" % (n, cpm[n]))
            stop(ng.proc)
            for p in inst:
                stop(p)
        ratio = cpm[3] / cpm[1]
        when = "real time (TTL 30 s, PING every 1 s)" if sc == 1 else "%gx compressed" % sc
        print("\n### Replicas (3 observd behind nginx, one shared snapshot)\n")
        print("Redis commands/min over whole refresh periods (>= %g s), %s, 100 viewers: "
              "1 instance %.0f, 3 instances %.0f, ratio %.2f" % (
                  args.replica_window, when, cpm[1], cpm[3], ratio))
        print("\n| command | per min, 1 instance | 3 instances |\n|---|---|---|")
        for cmd in sorted(set(by_cmd[1]) | set(by_cmd[3]), key=lambda c: -by_cmd[3].get(c, 0)):
            print("| %s | %.0f | %.0f |" % (cmd, by_cmd[1].get(cmd, 0), by_cmd[3].get(cmd, 0)))
        ping = by_cmd[3].get("ping", 0) - by_cmd[1].get("ping", 0)
        print("\nOf the difference, the PINGs of the 2 extra instances' samplers: %.0f/min; "
              "without them the ratio is %.2f" % (ping, (cpm[3] - ping) / cpm[1]))
        results["replicas_by_command"] = by_cmd
        verdicts.check("replicas: Redis cmds/min 3 instances / 1 <= 1.2", ratio <= 1.2,
                       "%.2f" % ratio)
    finally:
        env.demo.send_signal(signal.SIGCONT)
    # Kill one instance mid-load: no viewer request may be lost.
    inst = [env.observd("failover-%d" % i, ports[i]) for i in range(3)]
    ng = Nginx(ports)

    def kill_one():
        time.sleep(args.seconds / 3)
        log("replicas: SIGKILL observd on port %d mid-load" % ports[1])
        inst[1].kill()

    r = run_load(ng.base, args.failover_viewers, args.seconds, scale=args.scale, cafile=ng.cert,
                 warmup=2, during=kill_one, procs=args.procs)
    rows = [row("3 replicas, one SIGKILLed at %ds: %d viewers" % (
        args.seconds // 3, args.failover_viewers), r)]
    print_rows("Failover", rows)
    verdicts.check("failover: 0 viewer errors when one replica dies",
                   rows[0]["viewer_errors"] == 0, rows[0]["viewer_errors"])
    verdicts.check("failover: no scrape fails", rows[0]["scrape_failed"] == 0,
                   rows[0]["scrape_failed"])
    results["replicas"] = {"cpm": cpm, "ratio": ratio, "failover": rows}
    stop(ng.proc)
    for p in inst:
        stop(p)


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
        args.seconds, args.warmup, args.scale = 20, 4, 5
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
