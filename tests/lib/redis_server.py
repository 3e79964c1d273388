"""A real redis-server per test, on a free loopback port, in its own temp dir.

Owns RedisServer: start (waits for PING), stop/kill/restart, a cached RespClient for
cli()/pipeline(), INFO helpers, CLIENT PAUSE. Every process started here is stopped
by stop()/cleanup() (or the context manager), also when a test fails. Not
thread-safe: one thread drives one RedisServer.
"""

import os
import re
import shutil
import subprocess
import tempfile

from polling import wait_until
from ports import free_port
from processes import stop_process
from resp import RespClient

__all__ = ["RedisServer"]


class RedisServer:
    """A real redis-server on a free loopback port, in its own temp dir."""

    def __init__(self, port=None, password=None, start=True, extra_args=()):
        self.port = port or free_port()
        self.password = password
        self.extra_args = list(extra_args)  # e.g. ["--enable-debug-command", "yes"]
        self.tmp = tempfile.mkdtemp(prefix="observd-it-redis-")
        self.log_path = os.path.join(self.tmp, "redis.log")
        self.proc = None
        self._client = None
        if start:
            self.start()

    @property
    def addr(self):
        return "redis://127.0.0.1:%d/0" % self.port

    def start(self, deadline=10.0):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", self.tmp,
                "--daemonize", "no", "--logfile", self.log_path]
        if self.password:
            args += ["--requirepass", self.password]
        args += self.extra_args
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            wait_until(self._ping_fresh, timeout=deadline,
                       message=lambda: "redis-server on port %d did not answer PING; log:\n%s"
                       % (self.port, self.log()))
        except AssertionError:
            self.kill()
            raise
        return self

    def _ping_fresh(self):
        if self.proc.poll() is not None:
            raise RuntimeError("redis-server exited with %s" % self.proc.returncode)
        c = RespClient("127.0.0.1", self.port, timeout=1.0, password=self.password)
        try:
            return c.call("PING") == "PONG"
        finally:
            c.close()

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return "(no log)"

    def client(self):
        if self._client is None:
            self._client = RespClient("127.0.0.1", self.port, password=self.password)
        return self._client

    def cli(self, *args):
        """Runs one command; reconnects once if the connection was dropped."""
        try:
            return self.client().call(*args)
        except (ConnectionError, OSError):
            self._drop_client()
            return self.client().call(*args)

    def pipeline(self, commands):
        return self.client().pipeline(commands)

    def _drop_client(self):
        if self._client is not None:
            self._client.close()
            self._client = None

    def info(self, section=None):
        raw = self.cli("INFO", section) if section else self.cli("INFO")
        out = {}
        for line in raw.decode().splitlines():
            if ":" in line and not line.startswith("#"):
                k, v = line.split(":", 1)
                out[k] = v
        return out

    def command_calls(self, command):
        """calls= of `cmdstat_<command>` in INFO commandstats (0 when absent)."""
        stat = self.info("commandstats").get("cmdstat_" + command.lower())
        if not stat:
            return 0
        m = re.search(r"(?:^|,)calls=(\d+)", stat)
        return int(m.group(1)) if m else 0

    def pause(self, ms):
        """CLIENT PAUSE: Redis stops answering clients for `ms` milliseconds."""
        return self.cli("CLIENT", "PAUSE", str(int(ms)))

    def stop(self):
        self._drop_client()
        stop_process(self.proc, timeout=10)

    def kill(self):
        """SIGKILL, as a crash would: connections reset, nothing saved."""
        self._drop_client()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
