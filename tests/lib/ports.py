"""Loopback ports: a free one to listen on, and the ones a process listens on.

Owns free_port() (bind-to-0 on 127.0.0.1) and listening_sockets(pid) (read from
/proc). Pure functions over the OS; thread-safe.
"""

import os
import re
import socket

__all__ = ["free_port", "listening_sockets"]


def free_port():
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _socket_inodes(pid):
    inodes = set()
    fd_dir = "/proc/%d/fd" % pid
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", target)
        if m:
            inodes.add(m.group(1))
    return inodes


def _decode_address(table, addr_hex):
    if table == "tcp":
        return socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr_hex)[::-1])
    raw = b"".join(bytes.fromhex(addr_hex[i:i + 8])[::-1] for i in range(0, 32, 8))
    return socket.inet_ntop(socket.AF_INET6, raw)


def listening_sockets(pid):
    """TCP sockets (IPv4 and IPv6) in LISTEN state owned by `pid`: [(ip, port)] from
    /proc/<pid>/fd and /proc/<pid>/net/tcp{,6}."""
    inodes = _socket_inodes(pid)
    out = []
    for table in ("tcp", "tcp6"):
        try:
            with open("/proc/%d/net/%s" % (pid, table)) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) < 10 or cols[3] != "0A" or cols[9] not in inodes:
                continue
            addr_hex, port_hex = cols[1].split(":")
            out.append((_decode_address(table, addr_hex), int(port_hex, 16)))
    return out
