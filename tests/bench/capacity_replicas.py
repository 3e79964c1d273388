"""capacity.py's replicas section: Redis commands per minute over whole refresh periods
with 1 and with 3 observd behind nginx (one shared snapshot), then one of 3 SIGKILLed
mid-load (failover)."""

import signal
import subprocess
import time

from capacity_load import LOAD, run_load
from capacity_procs import free_port, log, spawn, stop
from capacity_report import print_rows, row
from capacity_servers import Nginx


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
