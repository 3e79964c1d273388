"""Process bookkeeping for capacity.py: every process it starts (spawn, stopped by
cleanup() on exit), its temp dir, free loopback ports, polling, HTTP GETs, and the
/proc readings (RSS, threads, load average) its tables print."""

import os
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
