"""Raw-socket HTTP for tests that must see exactly what goes over the wire:
malformed requests, early closes, headers as sent, an event stream's head.

Owns RawResponse, raw_http() and open_sse(). Every socket opened by raw_http is
closed; open_sse hands its socket to the caller. Thread-safe (no shared state).
"""

import re
import socket
import time

__all__ = ["RawResponse", "raw_http", "open_sse"]


class RawResponse:
    """What a raw socket got back: `status` is None when nothing parseable came."""

    def __init__(self, raw, closed):
        self.raw = raw          # every byte received
        self.closed = closed    # the server closed (or reset) the connection
        self.status = None
        self.headers = {}       # lower-case name -> value (last wins)
        self.header_list = []   # [(name, value)] as sent
        self.body = b""
        head, sep, body = raw.partition(b"\r\n\r\n")
        m = re.match(rb"HTTP/\d\.\d (\d{3})", head)
        if m and sep:
            self.status = int(m.group(1))
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                n = name.decode("latin-1").strip()
                v = value.decode("latin-1").strip()
                self.header_list.append((n, v))
                self.headers[n.lower()] = v
            self.body = body

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def __repr__(self):
        return "<RawResponse status=%r closed=%r %d bytes: %r>" % (
            self.status, self.closed, len(self.raw), self.raw[:300])


def raw_http(port, data, timeout=5.0, host="127.0.0.1", until_close=False):
    """Sends `data` (bytes) on a fresh connection and reads until the server closes,
    a complete response (by Content-Length) has arrived, or `timeout` passes; with
    `until_close`, only the close or the timeout ends it (to see every response a
    connection gets). Send errors (the server closed early) are tolerated."""
    deadline = time.monotonic() + timeout
    s = socket.create_connection((host, port), timeout=timeout)
    buf = b""
    closed = False
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        while time.monotonic() < deadline:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if sep and not until_close:
                m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
                if m and len(body) >= int(m.group(1)):
                    break
    finally:
        s.close()
    return RawResponse(buf, closed)



def open_sse(port, path="/dashboard/api/events", timeout=5.0, headers=None):
    """Opens an event stream on a raw socket and reads the response head.
    Returns (RawResponse of the head plus any body bytes so far, socket); the caller
    closes the socket. The socket is left with `timeout`."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    extra = "".join("%s: %s\r\n" % kv for kv in (headers or {}).items())
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n%s\r\n"
               % (path, extra)).encode("ascii"))
    buf = b""
    closed = False
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in buf and time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            closed = True
            break
        buf += chunk
    return RawResponse(buf, closed), s
