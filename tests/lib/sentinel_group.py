"""A real Sentinel-managed Redis group on loopback for the integration tests: one
master, one replica and three redis-sentinel processes with short failover timings,
each on a free port in its own temp dir. Deadlines everywhere; no sleeps as sync."""

import os
import shutil
import subprocess
import tempfile
from polling import wait_until  # noqa: E402
from ports import free_port  # noqa: E402
from processes import stop_process  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from resp import RespClient  # noqa: E402


MASTER_NAME = "mymaster"
DOWN_AFTER_MS = 1000
FAILOVER_TIMEOUT_MS = 3000


class Sentinel:
    def __init__(self, master_port, quorum=2, password=None):
        self.port = free_port()
        self.password = password
        self.tmp = tempfile.mkdtemp(prefix="observd-it-sentinel-")
        self.conf = os.path.join(self.tmp, "sentinel.conf")
        with open(self.conf, "w") as f:
            f.write("port %d\nbind 127.0.0.1\ndaemonize no\ndir %s\nlogfile %s\n"
                    "sentinel monitor %s 127.0.0.1 %d %d\n"
                    "sentinel down-after-milliseconds %s %d\n"
                    "sentinel failover-timeout %s %d\n"
                    "sentinel parallel-syncs %s 1\n"
                    % (self.port, self.tmp, os.path.join(self.tmp, "sentinel.log"),
                       MASTER_NAME, master_port, quorum, MASTER_NAME, DOWN_AFTER_MS,
                       MASTER_NAME, FAILOVER_TIMEOUT_MS, MASTER_NAME))
            if password:
                # Clients AUTH with requirepass; the sentinels AUTH to each other with
                # sentinel-pass (the same password, as redis.io's Sentinel docs advise).
                f.write("requirepass %s\nsentinel sentinel-pass %s\n" % (password, password))
        self.proc = subprocess.Popen(["redis-sentinel", self.conf], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self._ping, timeout=10,
                   message=lambda: "sentinel %d did not start: %s" % (self.port, self.log()))

    def call(self, *args):
        c = RespClient("127.0.0.1", self.port, timeout=2.0)
        try:
            if self.password:
                c.call("AUTH", self.password)
            return c.call(*args)
        finally:
            c.close()

    def _ping(self):
        if self.proc.poll() is not None:
            raise RuntimeError("redis-sentinel exited: %s" % self.log())
        try:
            return self.call("PING") == "PONG"
        except OSError:
            return False

    def master_addr(self):
        reply = self.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME)
        return None if reply is None else "%s:%s" % (reply[0].decode(), reply[1].decode())

    def log(self):
        try:
            with open(os.path.join(self.tmp, "sentinel.log"), errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return "(no log)"

    def cleanup(self):
        stop_process(self.proc, timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


class SentinelGroup:
    """master + replica + 3 sentinels; `address` is observd's redis-sentinel:// form.
    With `sentinel_password` the sentinels require it (requirepass)."""

    def __init__(self, sentinel_password=None):
        self.master = RedisServer()
        self.replica = None
        self.sentinels = []
        try:
            self.replica = RedisServer(extra_args=["--replicaof", "127.0.0.1",
                                                   str(self.master.port)])
            wait_until(self._replica_synced, timeout=15, message="replica did not sync")
            self.sentinels = [Sentinel(self.master.port, password=sentinel_password)
                              for _ in range(3)]
            # A failover needs every sentinel to know the replica and the other sentinels.
            wait_until(self._sentinels_ready, timeout=20, interval=0.2,
                       message=lambda: "sentinels did not discover each other:\n"
                       + self.sentinels[0].log())
        except BaseException:
            self.cleanup()
            raise

    def _replica_synced(self):
        info = self.replica.info("replication")
        return info.get("master_link_status") == "up"

    def _sentinels_ready(self):
        for s in self.sentinels:
            master = s.call("SENTINEL", "master", MASTER_NAME)
            fields = dict(zip(master[::2], master[1::2]))
            if int(fields[b"num-other-sentinels"]) < 2 or int(fields[b"num-slaves"]) < 1:
                return False
        return True

    @property
    def address(self):
        return "redis-sentinel://%s/%s/0" % (
            ",".join("127.0.0.1:%d" % s.port for s in self.sentinels), MASTER_NAME)

    def master_addr(self):
        """What the sentinels currently name as master (first that answers)."""
        for s in self.sentinels:
            try:
                return s.master_addr()
            except OSError:
                continue
        return None

    def cleanup(self):
        for s in self.sentinels:
            s.cleanup()
        for r in (self.replica, self.master):
            if r is not None:
                r.cleanup()
