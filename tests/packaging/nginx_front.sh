# shellcheck shell=bash
# nginx_front.sh — sourced (not run) by check_nginx.sh and check_tls.sh: the one
# place that starts the shipped nginx front for a test. The caller sets bin_dir
# (directory of the observd binary) and runs under set -euo pipefail.
#   front_init            checks nginx, redis-server, redis-cli, openssl, curl,
#                         python3 and BIN_DIR/observd; makes $tmp; installs the
#                         EXIT trap that stops everything in pids[] and removes $tmp
#                         (printing the logs' tails when $failures is non-zero).
#   front_start           redis-server and observd on free loopback ports, a
#                         self-signed certificate for localhost/127.0.0.1
#                         ($tmp/cert.pem), and nginx "front" with the shipped site
#                         file (packaging/nginx/observd.conf). Sets redis_port,
#                         observd_port, https_port, http_port, curl_tls (curl that
#                         trusts the certificate and resolves localhost) and base
#                         (https://localhost:$https_port).
#   start_nginx NAME ...  one more nginx instance with the shipped site (see below).
# Web root: BIN_DIR/../www unless OBSERVD_WEB_ROOT is set; templates:
# frontend/templates unless OBSERVD_TEMPLATES is set.

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
site=$src/packaging/nginx/observd.conf
web_root=${OBSERVD_WEB_ROOT:-$(cd "$bin_dir/.." && pwd)/www}
templates=${OBSERVD_TEMPLATES:-$src/frontend/templates}
failures=0
pids=()

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_until SECONDS CMD...: polls CMD every 0.1s until it succeeds or time runs out.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

front_cleanup() {
  local pid log
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((failures)); then
    for log in "$tmp"/*.log; do echo "--- $(basename "$log") (last 20 lines)"; tail -20 "$log"; done
  fi
  rm -rf "$tmp"
}

front_init() {
  local tool
  for tool in nginx redis-server redis-cli openssl curl python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found"; exit 1; }
  done
  [[ -x $bin_dir/observd ]] || { echo "FAIL: $bin_dir/observd not found"; exit 1; }
  tmp=$(mktemp -d)
  trap front_cleanup EXIT
}

# start_nginx NAME UPSTREAM_PORT HTTPS_PORT HTTP_PORT [SED_EXPR]: the shipped site
# pointed at the test instance (each substitution must hit), in $tmp/NAME.
start_nginx() {
  local name=$1 upstream=$2 https=$3 http=$4 extra=${5:-}
  local dir=$tmp/$name
  mkdir -p "$dir/cache"
  sed -e "s#^\( *\)listen 443 ssl http2\( backlog=[0-9]*\)\?;#\1listen 127.0.0.1:$https ssl http2\2;#" \
      -e "s#^\( *\)listen 80;#\1listen 127.0.0.1:$http;#" \
      -e '/^ *listen \[::\]/d' \
      -e "s#server 127.0.0.1:9469;#server 127.0.0.1:$upstream;#" \
      -e "s#ssl_certificate  *[^;]*;#ssl_certificate $tmp/cert.pem;#" \
      -e "s#ssl_certificate_key  *[^;]*;#ssl_certificate_key $tmp/key.pem;#" \
      -e "s#/var/cache/nginx-observd#$dir/cache#" \
      ${extra:+-e "$extra"} \
      "$site" > "$dir/site.conf"
  for want in "listen 127.0.0.1:$https ssl" "listen 127.0.0.1:$http;" \
      "server 127.0.0.1:$upstream;" "ssl_certificate $tmp/cert.pem;" \
      "ssl_certificate_key $tmp/key.pem;" "proxy_cache_path $dir/cache"; do
    grep -qF "$want" "$dir/site.conf" || { fail "could not adapt the site file ($want)"; exit 1; }
  done
  # Workers run as the user running the test (as root they would be "nobody", who
  # cannot write the cache under the 0700 temp dir).
  cat > "$dir/nginx.conf" <<NGINX
daemon off;
user $(id -un) $(id -gn);
worker_processes 1;
pid $dir/nginx.pid;
error_log $tmp/$name-error.log info;
events { worker_connections 64; }
http {
  access_log $tmp/$name-access.log;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/site.conf;
}
NGINX
  if nginx -t -p "$dir" -c "$dir/nginx.conf" > "$tmp/$name-t.log" 2>&1; then
    pass "nginx -t accepts the site file ($name)"
  else
    fail "nginx -t ($name):"; cat "$tmp/$name-t.log"; exit 1
  fi
  nginx -p "$dir" -c "$dir/nginx.conf" > "$tmp/$name-stdout.log" 2>&1 &
  pids+=($!)
  wait_until 10 "${curl_tls[@]}" -o /dev/null "https://localhost:$https/-/healthy" ||
    { fail "nginx ($name) did not come up"; exit 1; }
}

front_start() {
  redis_port=$(free_port)
  observd_port=$(free_port)
  https_port=$(free_port)
  http_port=$(free_port)

  echo "== redis-server on 127.0.0.1:$redis_port"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$tmp" --logfile "$tmp/redis.log" --daemonize no &
  pids+=($!)
  wait_until 10 redis-cli -p "$redis_port" ping || { fail "redis-server did not start"; exit 1; }
  pass "redis-server answers PING"

  echo "== observd on 127.0.0.1:$observd_port"
  printf 'log:\n  level: info\n' > "$tmp/observd.yml"
  "$bin_dir/observd" --config.file="$tmp/observd.yml" \
    --redis.addr="redis://127.0.0.1:$redis_port/0" \
    --web.listen-address="127.0.0.1:$observd_port" \
    --web.root="$web_root" --web.templates="$templates" > "$tmp/observd.log" 2>&1 &
  pids+=($!)
  if wait_until 20 curl -fsS "http://127.0.0.1:$observd_port/metrics"; then
    pass "observd serves /metrics directly"
  else
    fail "observd did not come up"; exit 1
  fi

  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>"$tmp/openssl.log"

  echo "== nginx on 127.0.0.1:$https_port (https) and :$http_port (http)"
  curl_tls=(curl -sS --cacert "$tmp/cert.pem" --resolve "localhost:$https_port:127.0.0.1")
  start_nginx front "$observd_port" "$https_port" "$http_port"
  # shellcheck disable=SC2034  # used by the sourcing scripts
  base="https://localhost:$https_port"
}
