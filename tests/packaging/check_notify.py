#!/usr/bin/env python3
"""check_notify.py BIN — checks observd's sd_notify protocol as systemd sees it.

Binds an AF_UNIX datagram socket, starts BIN with NOTIFY_SOCKET pointing at it,
WATCHDOG_USEC=2000000 and WATCHDOG_PID set to observd's own pid (through
`sh -c 'WATCHDOG_PID=$$ exec ...'`, as systemd does), no Redis listening, and
asserts, with deadlines rather than sleeps:
  READY=1 arrives; WATCHDOG=1 arrives repeatedly (at least every WATCHDOG_USEC);
  SIGHUP gives RELOADING=1 then READY=1; SIGTERM gives STOPPING=1 and exit 0;
  every message comes from the main pid (the unit has NotifyAccess=main).
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))
WATCHDOG_USEC = 2_000_000

failures = 0


def check(ok, what):
    global failures
    print(("PASS: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures += 1
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Notifications:
    """Receives sd_notify datagrams with the sender's pid (SCM_CREDENTIALS)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.log = []  # (monotonic time, sender pid, {key: value})

    def wait_for(self, key, value, deadline, after=0):
        """Returns the first message (index >= after) with key=value, or None at the deadline."""
        i = after
        while True:
            while i < len(self.log):
                if self.log[i][2].get(key) == value:
                    return i
                i += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, anc, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
            except socket.timeout:
                return None
            pid = None
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("iII", payload[:12])[0]
            fields = {}
            for line in data.decode(errors="replace").splitlines():
                k, _, v = line.partition("=")
                fields[k] = v
            self.log.append((time.monotonic(), pid, fields))
            print(f"  notify from pid {pid}: {data.decode(errors='replace')!r}", flush=True)


def main():
    if len(sys.argv) != 2:
        print("usage: check_notify.py BIN", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if not check(os.access(binary, os.X_OK), f"{binary} is executable"):
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        sock_path = os.path.join(tmp, "notify.sock")
        notes = Notifications(sock_path)
        config = os.path.join(tmp, "observd.yml")
        with open(config, "w") as f:
            f.write("log:\n  level: debug\n")
        args = [binary, f"--config.file={config}",
                f"--web.listen-address=127.0.0.1:{free_port()}",
                # Nothing listens there: observd must run (and notify) without Redis.
                f"--redis.addr=redis://127.0.0.1:{free_port()}/0"]
        www = os.path.normpath(os.path.join(os.path.dirname(binary), "..", "www"))
        templates = os.path.join(SRC, "frontend", "templates")
        if os.path.isdir(www):
            args.append(f"--web.root={www}")
        if os.path.isdir(templates):
            args.append(f"--web.templates={templates}")
        env = {k: v for k, v in os.environ.items() if k not in ("WATCHDOG_PID", "LISTEN_FDS")}
        env.update(NOTIFY_SOCKET=sock_path, WATCHDOG_USEC=str(WATCHDOG_USEC))
        log_path = os.path.join(tmp, "observd.log")
        print("== starting " + " ".join(args), flush=True)
        with open(log_path, "w") as log:
            proc = subprocess.Popen(["sh", "-c", 'WATCHDOG_PID=$$ exec "$0" "$@"'] + args,
                                    env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            run_checks(proc, notes)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            notes.sock.close()
            if failures:
                print("== observd output (last 30 lines):")
                with open(log_path, errors="replace") as f:
                    print("".join(f.readlines()[-30:]))
    if failures:
        print(f"check_notify: {failures} failure(s)")
        return 1
    print("check_notify: OK")
    return 0


def run_checks(proc, notes):
    now = time.monotonic
    ready = notes.wait_for("READY", "1", now() + 20)
    if not check(ready is not None, "READY=1 within 20s"):
        check(proc.poll() is None, f"observd still running (exit code {proc.poll()})")
        return

    # Pings at least every WATCHDOG_USEC (sd_watchdog_enabled tells the daemon the
    # interval; half of it is customary). Wait for three after READY.
    limit = WATCHDOG_USEC / 1e6
    start = notes.log[ready][0]
    last, pings = start, 0
    gaps = []
    i = ready
    while pings < 3:
        i = notes.wait_for("WATCHDOG", "1", last + limit + 0.5, i + 1)
        if i is None:
            break
        gaps.append(notes.log[i][0] - last)
        last, pings = notes.log[i][0], pings + 1
    check(pings == 3, f"3 x WATCHDOG=1 after READY, each within {limit:.1f}s "
                      f"(gaps: {', '.join(f'{g:.2f}s' for g in gaps) or 'none'})")

    print("== SIGHUP", flush=True)
    mark = len(notes.log)
    proc.send_signal(signal.SIGHUP)
    reloading = notes.wait_for("RELOADING", "1", now() + 10, mark)
    check(reloading is not None, "RELOADING=1 after SIGHUP")
    if reloading is not None:
        again = notes.wait_for("READY", "1", now() + 10, reloading + 1)
        check(again is not None, "READY=1 after RELOADING=1")
    check(proc.poll() is None, "observd still running after SIGHUP")

    print("== SIGTERM", flush=True)
    mark = len(notes.log)
    proc.send_signal(signal.SIGTERM)
    check(notes.wait_for("STOPPING", "1", now() + 10, mark) is not None, "STOPPING=1 after SIGTERM")
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        code = None
    check(code == 0, f"exit code 0 after SIGTERM (got {code})")

    senders = {pid for _, pid, _ in notes.log}
    check(senders == {proc.pid}, f"all notifications from the main pid {proc.pid} (senders: {sorted(senders, key=str)})")


if __name__ == "__main__":
    sys.exit(main())
