"""The servers capacity.py measures, each started on free loopback ports: Redis with
observd-demo's data and traffic (Env), observd with the packaged defaults,
prometheus-redis-exporter, and the shipped nginx site in front (Nginx)."""

import os
import re
import subprocess
import sys

from capacity_procs import SRC, TMP, free_port, http_get, spawn, wait_until

sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from unit_env import unit_environment  # noqa: E402  (the environment observd.service sets)


class Env:
    def __init__(self, build):
        self.build = build
        self.redis_port = free_port()
        d = os.path.join(TMP, "redis")
        os.makedirs(d)
        self.redis = spawn(["redis-server", "--port", str(self.redis_port), "--bind",
                            "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", d],
                           "redis")
        wait_until(lambda: self.redis_cli("PING") == "PONG", 10, "redis-server PING")
        self.redis_addr = "redis://127.0.0.1:%d/0" % self.redis_port
        subprocess.run([os.path.join(build, "bin", "observd-demo"), "--redis.addr",
                        self.redis_addr, "--backfill", "5000", "--once", "--seed", "42"],
                       check=True, timeout=120, stderr=subprocess.DEVNULL)
        self.demo = spawn([os.path.join(build, "bin", "observd-demo"), "--redis.addr",
                           self.redis_addr, "--backfill", "0", "--rate", "5", "--seed", "43"],
                          "demo")

    def redis_cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.redis_port), *args],
                              capture_output=True, text=True, timeout=10).stdout.strip()

    def redis_calls(self):
        """calls per command from INFO commandstats, without INFO itself."""
        calls = {}
        for line in self.redis_cli("INFO", "commandstats").splitlines():
            m = re.match(r"cmdstat_(\w+):calls=(\d+)", line)
            if m and m.group(1) != "info":
                calls[m.group(1)] = int(m.group(2))
        return calls

    def observd(self, name, port, extra_yaml="", web_config=None):
        cfg = os.path.join(TMP, name + ".yml")
        with open(cfg, "w") as f:
            f.write("# packaged defaults; only paths and addresses differ\nlog:\n  level: warn\n")
            f.write(extra_yaml)
        # The site and templates compiled into the binary, as packaged.
        cmd = [os.path.join(self.build, "bin", "observd"), "--config.file=" + cfg,
               "--redis.addr=" + self.redis_addr,
               "--web.listen-address=127.0.0.1:%d" % port]
        if web_config:
            cmd.append("--web.config.file=" + web_config)
        # Started as observd.service starts it; a variable the caller set wins.
        p = spawn(cmd, name, env=dict(unit_environment(), **os.environ))
        wait_until(lambda: http_get("http://127.0.0.1:%d/-/healthy" % port) != "", 20,
                   name + " /-/healthy")
        wait_until(lambda: "Ready" in http_get("http://127.0.0.1:%d/-/ready" % port), 20,
                   name + " /-/ready")
        return p

    def redis_exporter(self, port):
        p = spawn(["prometheus-redis-exporter", "--redis.addr=" + self.redis_addr,
                   "--web.listen-address=127.0.0.1:%d" % port], "redis_exporter")
        wait_until(lambda: "redis_up" in http_get("http://127.0.0.1:%d/metrics" % port), 20,
                   "redis_exporter /metrics")
        return p


def nginx_site(upstreams, https_port, http_port, cert, key, per_client_limit):
    """The shipped site, pointed at the test ports; each substitution must hit."""
    with open(os.path.join(SRC, "packaging", "nginx", "observd.conf")) as f:
        s = f.read()
    subs = [
        (r"(?m)^( *)listen 443 ssl http2( backlog=\d+)?;",
         r"\1listen 127.0.0.1:%d ssl http2\2;" % https_port),
        (r"(?m)^( *)listen 80;", r"\1listen 127.0.0.1:%d;" % http_port),
        (r"(?m)^ *listen \[::\].*\n", ""),
        (r"server 127\.0\.0\.1:9469;", " ".join("server 127.0.0.1:%d;" % p for p in upstreams)),
        (r"ssl_certificate +[^;]*;", "ssl_certificate %s;" % cert),
        (r"ssl_certificate_key +[^;]*;", "ssl_certificate_key %s;" % key),
        (r"/var/cache/nginx-observd", os.path.join(TMP, "nginx", "cache")),
        (r"limit_conn observd_perip \d+;", "limit_conn observd_perip %d;" % per_client_limit),
    ]
    for pat, rep in subs:
        s, n = re.subn(pat, rep, s)
        if n == 0:
            raise RuntimeError("nginx site: no match for %r" % pat)
    return s


def user_group():
    """nginx workers run as this script's user (as root they would be "nobody", who
    cannot write the cache in the 0700 temp dir)."""
    import grp
    import pwd
    return "%s %s" % (pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name)


class Nginx:
    def __init__(self, upstreams, per_client_limit=60000, workers=2):
        d = os.path.join(TMP, "nginx")
        os.makedirs(d, exist_ok=True)
        self.cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        if not os.path.exists(self.cert):
            # ECDSA P-256: a TLS handshake costs the server ~10x less CPU than RSA-2048
            # (what a current ACME client issues by default).
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days",
                            "1", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key,
                            "-out", self.cert], check=True, capture_output=True)
        self.port, http_port = free_port(), free_port()
        site = os.path.join(d, "site.conf")
        with open(site, "w") as f:
            f.write(nginx_site(upstreams, self.port, http_port, self.cert, key, per_client_limit))
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""daemon off;
user %s;
worker_processes %d;
worker_rlimit_nofile 20000;
pid %s/nginx.pid;
error_log %s/error.log warn;
events { worker_connections 16000; }
http {
  access_log off;
  client_body_temp_path %s/body; proxy_temp_path %s/proxy;
  fastcgi_temp_path %s/fcgi; uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;
  include %s;
}
""" % ((user_group(), workers) + (d,) * 7 + (site,)))
        self.proc = spawn(["nginx", "-p", d, "-c", conf], "nginx")
        self.base = "https://127.0.0.1:%d" % self.port
        ctx_cmd = ["curl", "-fsS", "--cacert", self.cert, "-o", "/dev/null", self.base + "/-/healthy"]
        wait_until(lambda: subprocess.run(ctx_cmd, capture_output=True).returncode == 0, 15,
                   "nginx")

    def pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [self.proc.pid] + [int(x) for x in out.stdout.split()]
