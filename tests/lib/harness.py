"""Test harness for observd integration tests (Python 3 stdlib only).

Owns: free loopback ports, a real redis-server per test (RedisServer, with a tiny
RESP client), an observd process per test (Observd), a Prometheus text-format
parser, wait_until() polling, and seeding helpers that write the Redis data
contract of DESIGN.md. Every process started here is stopped by its owner's
stop()/cleanup, also when a test fails. Not thread-safe except RespClient
instances used from one thread each and Observd.get(), which opens a fresh
connection per call.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

__all__ = [
    "free_port", "wait_until", "RespClient", "RedisError", "RedisServer",
    "Observd", "Response", "parse_metrics", "metric", "seed_uploads",
    "seed_users", "seed_workflow_runs", "seed_default_dataset", "env_path",
]

DEFAULT_DEADLINE = 15.0


# --------------------------------------------------------------------------- utils

def free_port():
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=DEFAULT_DEADLINE, interval=0.05, message=None):
    """Polls predicate() until it returns a truthy value or the deadline passes.

    Exceptions raised by predicate count as "not yet". Returns the truthy value;
    raises AssertionError naming `message` (and the last exception) on timeout.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last_exc = None
        except Exception as exc:  # noqa: BLE001 - polling tolerates transient errors
            last_exc = exc
        if time.monotonic() >= deadline:
            text = "condition not met within %.1fs" % timeout
            if message:
                text += ": " + (message() if callable(message) else message)
            if last_exc is not None:
                text += " (last error: %r)" % (last_exc,)
            raise AssertionError(text)
        time.sleep(interval)


def env_path(name, default=None):
    value = os.environ.get(name)
    return value if value else default


def source_dir():
    return env_path("OBSERVD_SOURCE_DIR",
                    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


# --------------------------------------------------------------------------- RESP

class RedisError(Exception):
    """An error reply (-ERR ...) from Redis."""


class RespClient:
    """Minimal RESP2 client: one socket, one request at a time."""

    def __init__(self, host, port, timeout=5.0, password=None):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buf = b""
        if password is not None:
            self.call("AUTH", password)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    @staticmethod
    def encode(args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, bytes):
                b = a
            elif isinstance(a, str):
                b = a.encode("utf-8")
            elif isinstance(a, (int, float)):
                b = repr(a).encode("ascii")
            else:
                raise TypeError("unsupported RESP argument %r" % (a,))
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        return b"".join(out)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("redis closed the connection")
        self.buf += chunk

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read_reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            return RedisError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read_reply() for _ in range(n)]
        raise ConnectionError("bad RESP reply: %r" % (line,))

    def call(self, *args):
        self.sock.sendall(self.encode(args))
        reply = self.read_reply()
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def pipeline(self, commands):
        """Sends many commands at once; returns their replies (errors as RedisError)."""
        if not commands:
            return []
        self.sock.sendall(b"".join(self.encode(c) for c in commands))
        return [self.read_reply() for _ in commands]


# --------------------------------------------------------------------------- redis

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
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

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


# --------------------------------------------------------------------------- metrics

_SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$')
_LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')


def _unescape_label(v):
    return v.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def parse_metrics(text):
    """Parses Prometheus text format 0.0.4 into {(name, frozenset(labels)): value}.

    Raises ValueError on a line it cannot parse, so malformed output fails tests.
    """
    out = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _SAMPLE_RE.match(line)
        if not m:
            raise ValueError("line %d: cannot parse %r" % (lineno, line))
        name, _, labels_text, value = m.group(1), m.group(2), m.group(3), m.group(4)
        labels = {}
        if labels_text:
            pos = 0
            while pos < len(labels_text):
                lm = _LABEL_RE.match(labels_text, pos)
                if not lm:
                    raise ValueError("line %d: bad labels %r" % (lineno, labels_text))
                labels[lm.group(1)] = _unescape_label(lm.group(2))
                pos = lm.end()
        key = (name, frozenset(labels.items()))
        if key in out:
            raise ValueError("line %d: duplicate series %r" % (lineno, line))
        v = {"+Inf": float("inf"), "-Inf": float("-inf"), "NaN": float("nan")}.get(value)
        out[key] = v if v is not None else float(value)
    return out


def metric(metrics, name, default=None, **labels):
    """The value of one series, or `default` when it is absent."""
    return metrics.get((name, frozenset(labels.items())), default)


def series(metrics, name):
    """All series of one metric name: [(labels_dict, value)]."""
    return [(dict(k[1]), v) for k, v in metrics.items() if k[0] == name]


# --------------------------------------------------------------------------- observd

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage: case-insensitive .get()
        self.body = body        # bytes, as received (not decompressed)

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def __repr__(self):
        return "<Response %d %d bytes>" % (self.status, len(self.body))


def _default_www():
    www = env_path("OBSERVD_WWW")
    if www and os.path.isdir(www):
        return www
    return None


def _default_templates():
    t = env_path("OBSERVD_TEMPLATES")
    if t and os.path.isdir(t):
        return t
    return os.path.join(source_dir(), "frontend", "templates")


def observd_bin():
    b = env_path("OBSERVD_BIN")
    if b:
        return b
    for cand in ("build/bin/observd", "build-it/bin/observd"):
        p = os.path.join(source_dir(), cand)
        if os.path.exists(p):
            return p
    raise RuntimeError("OBSERVD_BIN is not set and no build/bin/observd exists")


class Observd:
    """An observd process on a free loopback port with a temp config file.

    `config` is a dict written as JSON (valid YAML) to <tmp>/observd.yml. Flags
    --web.listen-address, --web.root, --web.templates and --redis.addr are always
    passed (they override the file); `extra_args` are appended.
    """

    def __init__(self, config=None, redis_addr=None, port=None, extra_args=(),
                 start=True, wait_ready=True, ready_deadline=DEFAULT_DEADLINE,
                 env=None, pass_redis_flag=True):
        self.port = port or free_port()
        self.tmp = tempfile.mkdtemp(prefix="observd-it-")
        self.config_path = os.path.join(self.tmp, "observd.yml")
        self.stderr_path = os.path.join(self.tmp, "stderr.log")
        self.stdout_path = os.path.join(self.tmp, "stdout.log")
        self.redis_addr = redis_addr
        self.extra_args = list(extra_args)
        self.env = env
        self.pass_redis_flag = pass_redis_flag
        self.proc = None
        self.www = _default_www()
        if self.www is None:
            # Frontend not built (sanitizer build): serve a minimal site.
            self.www = os.path.join(self.tmp, "www")
            os.makedirs(os.path.join(self.www, "pages"))
            os.makedirs(os.path.join(self.www, "static", "css"))
            for page in ("index", "observability", "uploads"):
                with open(os.path.join(self.www, "pages", page + ".html"), "w") as f:
                    f.write("<!doctype html><title>%s</title>\n" % page)
            with open(os.path.join(self.www, "static", "css", "site.css"), "w") as f:
                f.write("body{}\n")
        self.templates = _default_templates()
        self.write_config(config if config is not None else {})
        if start:
            self.start(wait_ready=wait_ready, ready_deadline=ready_deadline)

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def write_config(self, config):
        """Writes a dict (as JSON) or raw text to the config file."""
        text = config if isinstance(config, str) else json.dumps(config, indent=2) + "\n"
        tmp = self.config_path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.config_path)

    def command(self):
        args = [observd_bin(), "--config.file=" + self.config_path,
                "--web.listen-address=127.0.0.1:%d" % self.port,
                "--web.root=" + self.www, "--web.templates=" + self.templates]
        if self.redis_addr and self.pass_redis_flag:
            args.append("--redis.addr=" + self.redis_addr)
        return args + self.extra_args

    def start(self, wait_ready=True, ready_deadline=DEFAULT_DEADLINE):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        if self.env:
            env.update(self.env)
        self._stderr = open(self.stderr_path, "ab")
        self._stdout = open(self.stdout_path, "ab")
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._stdout, stderr=self._stderr, env=env)
        if wait_ready:
            self.wait_ready(ready_deadline)
        return self

    def wait_ready(self, deadline=DEFAULT_DEADLINE):
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("observd exited with %s before ready; stderr:\n%s"
                                     % (self.proc.returncode, self.stderr()))
            try:
                return self.get("/-/ready", timeout=2).status == 200
            except OSError:
                return False
        try:
            wait_until(ready, timeout=deadline,
                       message=lambda: "observd not ready on port %d; stderr:\n%s"
                       % (self.port, self.stderr()))
        except AssertionError:
            self.kill()
            raise

    def stderr(self):
        try:
            with open(self.stderr_path, "r", errors="replace") as f:
                data = f.read()
        except OSError:
            return "(no stderr)"
        return data if len(data) < 20000 else "...\n" + data[-20000:]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- HTTP

    def request(self, method, path, headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.headers, data)
        finally:
            conn.close()

    def get(self, path, headers=None, timeout=10):
        return self.request("GET", path, headers=headers, timeout=timeout)

    def metrics_text(self, headers=None):
        r = self.get("/metrics", headers=headers)
        if r.status != 200:
            raise AssertionError("GET /metrics -> %d: %r" % (r.status, r.body[:500]))
        body = r.body
        if (r.header("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8")

    def metrics(self, headers=None):
        return parse_metrics(self.metrics_text(headers))

    # -- signals and lifecycle

    def signal(self, sig):
        self.proc.send_signal(sig)

    def hup(self):
        self.signal(signal.SIGHUP)

    def stop(self, timeout=10.0):
        """SIGTERM; returns the exit code. Raises AssertionError unless it is 0 in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close_files()
                raise AssertionError("observd did not exit within %.0fs of SIGTERM; stderr:\n%s"
                                     % (timeout, self.stderr()))
        self._close_files()
        rc = self.proc.returncode
        if rc != 0:
            raise AssertionError("observd exited with %s after SIGTERM (expected 0); stderr:\n%s"
                                 % (rc, self.stderr()))
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def _close_files(self):
        for f in (getattr(self, "_stderr", None), getattr(self, "_stdout", None)):
            if f is not None and not f.closed:
                f.close()

    def cleanup(self):
        """Kills (if still running) and removes the temp dir. Safe to call twice."""
        self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_observd(args, timeout=30, env=None):
    """Runs observd to completion (e.g. --check-config); returns CompletedProcess."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([observd_bin()] + list(args), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, env=full_env)


# --------------------------------------------------------------------------- seeding

def seed_uploads(redis, uploads, now=None, timeline="uploads:timeline", prefix="upload:"):
    """Writes uploads: a list of dicts with `id`, `age` (seconds before now) and
    optional hash fields (filename, size, content_type, user, status, created_at;
    None drops the field) plus `extra` fields. A dict with `hash: None` gets a
    timeline entry but no hash. Returns `now`.
    """
    now = time.time() if now is None else now
    cmds = []
    for u in uploads:
        uid = str(u["id"])
        ts = now - u["age"]
        cmds.append(["ZADD", timeline, "%.3f" % ts, uid])
        if u.get("hash", True) is None:
            continue
        fields = {"filename": "file-%s.bin" % uid, "size": "1024",
                  "content_type": "application/octet-stream", "user": "user-1",
                  "status": "stored", "created_at": str(int(ts))}
        for k in ("filename", "size", "content_type", "user", "status", "created_at"):
            if k in u:
                fields[k] = u[k]
        fields = {k: v for k, v in fields.items() if v is not None}
        fields.update(u.get("extra", {}))
        if not fields:
            continue
        args = ["HSET", prefix + uid]
        for k, v in fields.items():
            args += [k, v]
        cmds.append(args)
    for reply in redis.pipeline(cmds):
        if isinstance(reply, RedisError):
            raise reply
    return now


def seed_users(redis, user_ids, key="users:active"):
    if user_ids:
        redis.cli("SADD", key, *[str(u) for u in user_ids])


def seed_workflow_runs(redis, status, ages, now=None, prefix="workflows:runs:"):
    """Adds one run per age (seconds before now) to workflows:runs:<status>."""
    now = time.time() if now is None else now
    if ages:
        args = ["ZADD", prefix + status]
        for i, age in enumerate(ages):
            args += ["%.3f" % (now - age), "%s-run-%d" % (status, i)]
        redis.cli(*args)
    return now


MIN = 60
HOUR = 3600
DAY = 86400


def seed_default_dataset(redis, now=None):
    """A dataset with well-separated timestamps (no value sits near a window
    edge) and the exact values observd must export for it."""
    now = time.time() if now is None else now
    uploads = []
    # 4 in the last hour, 3 more in the last day, 5 older than a day.
    for i, age in enumerate([30, 5 * MIN, 20 * MIN, 40 * MIN]):
        uploads.append({"id": "h%d" % i, "age": age})
    for i, age in enumerate([2 * HOUR, 6 * HOUR, 20 * HOUR]):
        uploads.append({"id": "d%d" % i, "age": age})
    for i, age in enumerate([2 * DAY, 3 * DAY, 10 * DAY, 30 * DAY, 90 * DAY]):
        uploads.append({"id": "o%d" % i, "age": age})
    seed_uploads(redis, uploads, now=now)
    seed_users(redis, ["u%d" % i for i in range(7)])
    seed_workflow_runs(redis, "succeeded", [10 * MIN, 50 * MIN, 3 * HOUR, 2 * DAY], now=now)
    seed_workflow_runs(redis, "failed", [15 * MIN, 12 * HOUR, 23 * HOUR], now=now)
    seed_workflow_runs(redis, "running", [2 * MIN], now=now)
    return {
        "uploads": 12, "uploads_1h": 4, "uploads_24h": 7, "active_users": 7,
        "runs": {"succeeded": {"1h": 2, "24h": 3}, "failed": {"1h": 1, "24h": 3},
                 "running": {"1h": 1, "24h": 1}},
    }


# --------------------------------------------------------------------------- prometheus

def promtool_check_metrics(text):
    """Pipes a scrape body to `promtool check metrics`; returns CompletedProcess."""
    return subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                          text=True, timeout=60)


class PrometheusServer:
    """A real Prometheus server scraping `targets` (job name -> [host:port]) every 1s."""

    def __init__(self, jobs, scrape_interval="1s", target_labels=None):
        """`target_labels` (job -> {label: value}) are set on that job's targets, e.g.
        the same `instance` for two jobs that reach one observd by different ports."""
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="observd-it-prom-")
        self.config_path = os.path.join(self.tmp, "prometheus.yml")
        self.log_path = os.path.join(self.tmp, "prometheus.log")
        target_labels = target_labels or {}
        cfg = {"global": {"scrape_interval": scrape_interval,
                          "evaluation_interval": scrape_interval,
                          "scrape_timeout": scrape_interval},
               "scrape_configs": [{"job_name": job,
                                   "static_configs": [{"targets": list(targets),
                                                       "labels": target_labels.get(job, {})}]}
                                  for job, targets in jobs.items()]}
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, indent=2)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            ["prometheus", "--config.file=" + self.config_path,
             "--storage.tsdb.path=" + os.path.join(self.tmp, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            wait_until(self._ready, timeout=30,
                       message=lambda: "prometheus not ready; log:\n" + self.log())
        except AssertionError:
            self.cleanup()
            raise

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError("prometheus exited with %s; log:\n%s"
                                 % (self.proc.returncode, self.log()))
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/-/ready")
            return conn.getresponse().status == 200
        finally:
            conn.close()

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()[-6000:]
        except OSError:
            return "(no log)"

    def query(self, expr):
        """Instant query; returns the result list of the JSON answer."""
        from urllib.parse import urlencode
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/query?" + urlencode({"query": expr}))
            r = conn.getresponse()
            body = json.loads(r.read().decode("utf-8"))
        finally:
            conn.close()
        if body.get("status") != "success":
            raise AssertionError("query %r failed: %r" % (expr, body))
        return body["data"]["result"]

    def targets(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/targets")
            return json.loads(conn.getresponse().read().decode("utf-8"))
        finally:
            conn.close()

    def api(self, path, params=None):
        """GET /api/v1/<path>?<params>; returns the `data` of a successful answer."""
        from urllib.parse import urlencode
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/" + path + ("?" + urlencode(params) if params else ""))
            body = json.loads(conn.getresponse().read().decode("utf-8"))
        finally:
            conn.close()
        if body.get("status") != "success":
            raise AssertionError("%s failed: %r" % (path, body))
        return body["data"]

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self._log.closed:
            self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class AcceptProxy:
    """Forwards GETs from a free loopback port to 127.0.0.1:`target_port` with the
    Accept header replaced by `accept`: a scraper pinned to one exposition format
    (for a Prometheus too old for `scrape_protocols`). Threaded; close() stops it."""

    def __init__(self, target_port, accept):
        import http.server
        import threading
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's naming
                conn = http.client.HTTPConnection("127.0.0.1", target_port, timeout=10)
                try:
                    conn.request("GET", self.path, headers={"Accept": accept})
                    r = conn.getresponse()
                    body = r.read()
                finally:
                    conn.close()
                proxy.requests += 1
                self.send_response(r.status)
                self.send_header("Content-Type", r.getheader("Content-Type", ""))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.requests = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


# --------------------------------------------------------------------------- fault helpers
# Appended for the fault, hostile-HTTP, bad-config, secrets and SSE-limit tests.

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


def raw_http(port, data, timeout=5.0, host="127.0.0.1"):
    """Sends `data` (bytes) on a fresh connection and reads until the server closes,
    a complete response (by Content-Length) has arrived, or `timeout` passes.
    Send errors (the server closed early) are tolerated."""
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
            if sep:
                m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
                if m and len(body) >= int(m.group(1)):
                    break
    finally:
        s.close()
    return RawResponse(buf, closed)


def timed(fn, *args, **kwargs):
    """Runs fn(*args, **kwargs); returns (result, wall seconds)."""
    t0 = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - t0


# Kept for the tests that name it: RedisServer takes extra_args itself.
RedisServerWithArgs = RedisServer


def listening_sockets(pid):
    """IPv4 TCP sockets in LISTEN state owned by `pid`: [(ip, port)] from
    /proc/<pid>/fd and /proc/<pid>/net/tcp."""
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
            if table == "tcp":
                raw = bytes.fromhex(addr_hex)[::-1]
                ip = socket.inet_ntop(socket.AF_INET, raw)
            else:
                raw = b"".join(bytes.fromhex(addr_hex[i:i + 8])[::-1] for i in range(0, 32, 8))
                ip = socket.inet_ntop(socket.AF_INET6, raw)
            out.append((ip, int(port_hex, 16)))
    return out


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
