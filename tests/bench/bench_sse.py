"""bench_clients.py's SSE fan-out: N event streams opened at once, when each received a
tick, and observd's CPU per stream-tick."""

import json
import os
import re
import selectors
import socket
import statistics
import time


def proc_cpu_seconds(pid):
    """CPU time of every live thread of `pid` (schedstat, nanosecond resolution)."""
    total = 0
    task_dir = "/proc/%d/task" % pid
    for tid in os.listdir(task_dir):
        try:
            with open("%s/%s/schedstat" % (task_dir, tid)) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # the thread ended meanwhile
    return total / 1e9


def cmd_sse(args):
    """Opens N SSE streams at once; per tick (one `stats` ... `history` group) records
    when each stream received it. Reports the spread of a tick across streams, the time
    from a tick's first to its last event on one stream, and observd's CPU per tick."""
    sel = selectors.DefaultSelector()
    streams = []
    for i in range(args.streams):
        s = socket.create_connection((args.host, args.port), timeout=5)
        s.sendall(b"GET /dashboard/api/events HTTP/1.1\r\nHost: bench\r\n"
                  b"Accept: text/event-stream\r\n\r\n")
        s.setblocking(False)
        st = {"sock": s, "buf": b"", "events": [], "status": None}
        streams.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    cpu0 = proc_cpu_seconds(args.pid)
    t0 = time.monotonic()
    deadline = t0 + args.seconds
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.1):
            st = key.data
            try:
                chunk = st["sock"].recv(1 << 20)
            except BlockingIOError:
                continue
            now = time.monotonic()
            if not chunk:
                sel.unregister(st["sock"])
                continue
            st["buf"] += chunk
            if st["status"] is None and b"\r\n" in st["buf"]:
                st["status"] = int(st["buf"].split(b" ", 2)[1])
            # Count complete events only; keep the unfinished tail for the next read.
            last = st["buf"].rfind(b"\n\n")
            if last >= 0:
                done, st["buf"] = st["buf"][:last + 2], st["buf"][last + 2:]
                for m in re.finditer(rb"(?m)^event: (\w+)$", done):
                    st["events"].append((m.group(1).decode(), now))
    elapsed = time.monotonic() - t0
    cpu = proc_cpu_seconds(args.pid) - cpu0
    for st in streams:
        st["sock"].close()
    ok = [st for st in streams if st["status"] == 200]
    ticks = 0
    in_tick = []
    firsts = {}
    for idx, st in enumerate(ok):
        tick = -1
        start = None
        for name, t in st["events"]:
            if name == "stats":
                tick += 1
                start = t
                firsts.setdefault(tick, []).append(t)
            elif name == "history" and start is not None:
                in_tick.append(t - start)
                ticks += 1
    # Streams start at slightly different times, so their ticks are not aligned: the
    # spread is a sanity check, the CPU per stream-tick is the measure.
    print(json.dumps({
        "streams": args.streams, "accepted": len(ok),
        "rejected": sum(1 for st in streams if st["status"] not in (None, 200)),
        "seconds": round(elapsed, 2), "stream_ticks": ticks,
        "observd_cpu_ms_per_s": cpu * 1000 / elapsed,
        "cpu_ms_per_stream_tick": cpu * 1000 / ticks if ticks else None,
        "tick_first_to_last_event_ms_p50":
            statistics.median(in_tick) * 1000 if in_tick else None,
        "tick_first_to_last_event_ms_max": max(in_tick) * 1000 if in_tick else None,
    }))
