"""bench_clients.py's Redis counters: a minimal RESP client, INFO commandstats totals,
and Redis commands per minute over whole snapshot-refresh periods while viewers poll."""

import json
import re
import socket
import time

from bench_viewers import start_viewers, viewer_summary


class Resp:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.buf = b""

    def call(self, *args):
        req = b"*%d\r\n" % len(args) + b"".join(
            b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
        self.sock.sendall(req)
        return self._reply()

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("redis closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode("utf-8", "replace")
        if line[:1] == b":":
            return int(line[1:])
        if line[:1] == b"-":
            raise RuntimeError(line[1:].decode())
        return line[1:].decode()

    def close(self):
        self.sock.close()


def command_calls(r):
    """{command: calls} from INFO commandstats."""
    calls = {}
    for line in r.call("INFO", "commandstats").splitlines():
        m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line)
        if m:
            calls[m.group(1)] = int(m.group(2))
    return calls


def cmd_redis_calls(args):
    r = Resp(args.host, args.redis_port)
    print(json.dumps(command_calls(r)))
    r.close()


def cmd_refresh_window(args):
    """Starts `viewers`, waits for a snapshot refresh (the ZCARD of the uploads timeline
    is its first command), then counts every Redis command (minus our own INFO) until the
    first refresh after `seconds`: a window of whole refresh periods, so the count is not
    quantised by where the window happens to cut a refresh."""
    r = Resp(args.host, args.redis_port)
    hard_deadline = time.monotonic() + args.seconds + 3 * args.period + 10
    viewers = start_viewers(args, hard_deadline)
    time.sleep(args.warmup)

    def wait_refresh(after_zcard, until):
        while time.monotonic() < until:
            c = command_calls(r)
            if c.get("zcard", 0) > after_zcard:
                return c, time.monotonic()
            time.sleep(0.02)
        return None, None

    c0 = command_calls(r)
    start, t_start = wait_refresh(c0.get("zcard", 0), hard_deadline)
    result = {"viewers": args.viewers}
    if start is None:
        result["error"] = "no snapshot refresh seen"
    else:
        end_by = t_start + args.seconds
        while time.monotonic() < end_by:
            time.sleep(0.05)
        cur = command_calls(r)
        end, t_end = wait_refresh(cur.get("zcard", 0), hard_deadline)
        if end is None:
            result["error"] = "no refresh after the window"
        else:
            polls = end.get("info", 0) - start.get("info", 0)
            total = sum(end.values()) - sum(start.values()) - polls
            pings = end.get("ping", 0) - start.get("ping", 0)
            refreshes = end.get("zcard", 0) - start.get("zcard", 0)
            minutes = (t_end - t_start) / 60.0
            result.update({
                "seconds": round(t_end - t_start, 2), "refreshes": refreshes,
                "commands": total, "pings": pings,
                "commands_per_minute": total / minutes,
                "commands_per_minute_without_ping": (total - pings) / minutes,
                "commands_per_refresh": (total - pings) / refreshes if refreshes else None,
                "refresh_period_s": (t_end - t_start) / refreshes if refreshes else None,
            })
    for v in viewers:
        v.deadline = 0  # stop at the next wake-up
    for v in viewers:
        v.join(args.timeout + 2)
    result["clients"] = viewer_summary(viewers)
    r.close()
    print(json.dumps(result))
