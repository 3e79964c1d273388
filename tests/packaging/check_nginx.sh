#!/bin/bash
# check_nginx.sh BIN_DIR — end-to-end test of packaging/nginx/observd.conf:
# redis-server and BIN_DIR/observd on free loopback ports, then nginx (as an
# unprivileged-paths instance: nginx -p TMP -c TMP/nginx.conf, daemon off) with
# the shipped site file, its listen/upstream/cert lines pointed at the test
# ports and a self-signed certificate. Through nginx with curl --cacert:
#   /metrics is 200 and has observd_build_info; HSTS is sent; plain HTTP
#   redirects to HTTPS; /dashboard/api/events delivers an "event:" line
#   within a few seconds (so nothing buffers the SSE stream).
# Web root: BIN_DIR/../www unless OBSERVD_WEB_ROOT is set; templates:
# frontend/templates unless OBSERVD_TEMPLATES is set.
# pass() always succeeds, so "test && pass || fail" is an if/else here.
# shellcheck disable=SC2015
set -euo pipefail

bin_dir=$(cd "${1:?usage: check_nginx.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
site=$src/packaging/nginx/observd.conf
web_root=${OBSERVD_WEB_ROOT:-$(cd "$bin_dir/.." && pwd)/www}
templates=${OBSERVD_TEMPLATES:-$src/frontend/templates}
failures=0

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

for tool in nginx redis-server redis-cli openssl curl; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found"; exit 1; }
done
[[ -x $bin_dir/observd ]] || { echo "FAIL: $bin_dir/observd not found"; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((failures)); then
    for log in "$tmp"/*.log; do echo "--- $(basename "$log") (last 20 lines)"; tail -20 "$log"; done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

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

echo "== nginx on 127.0.0.1:$https_port (https) and :$http_port (http)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>"$tmp/openssl.log"
# Point the shipped site at the test instance; each substitution must hit.
sed -e "s#^\( *\)listen 443 ssl http2;#\1listen 127.0.0.1:$https_port ssl http2;#" \
    -e "s#^\( *\)listen 80;#\1listen 127.0.0.1:$http_port;#" \
    -e '/^ *listen \[::\]/d' \
    -e "s#server 127.0.0.1:9469;#server 127.0.0.1:$observd_port;#" \
    -e "s#ssl_certificate  *[^;]*;#ssl_certificate $tmp/cert.pem;#" \
    -e "s#ssl_certificate_key  *[^;]*;#ssl_certificate_key $tmp/key.pem;#" \
    "$site" > "$tmp/site.conf"
for want in "listen 127.0.0.1:$https_port ssl" "listen 127.0.0.1:$http_port;" \
    "server 127.0.0.1:$observd_port;" "ssl_certificate $tmp/cert.pem;" "ssl_certificate_key $tmp/key.pem;"; do
  grep -qF "$want" "$tmp/site.conf" || { fail "could not adapt the site file ($want)"; exit 1; }
done
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log info;
events { worker_connections 64; }
http {
  access_log $tmp/nginx-access.log;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  include $tmp/site.conf;
}
NGINX
if nginx -t -p "$tmp" -c "$tmp/nginx.conf" > "$tmp/nginx-t.log" 2>&1; then
  pass "nginx -t accepts the site file"
else
  fail "nginx -t:"; cat "$tmp/nginx-t.log"; exit 1
fi
nginx -p "$tmp" -c "$tmp/nginx.conf" > "$tmp/nginx-stdout.log" 2>&1 &
pids+=($!)
base="https://localhost:$https_port"
curl_tls=(curl -sS --cacert "$tmp/cert.pem" --resolve "localhost:$https_port:127.0.0.1")
wait_until 10 "${curl_tls[@]}" -o /dev/null "$base/metrics" || { fail "nginx did not come up"; exit 1; }

echo "== through nginx"
code=$("${curl_tls[@]}" -o "$tmp/metrics.txt" -D "$tmp/metrics.headers" -w '%{http_code}' "$base/metrics")
[[ $code == 200 ]] && pass "GET /metrics over TLS: 200" || fail "GET /metrics over TLS: $code"
grep -q '^observd_build_info' "$tmp/metrics.txt" && pass "/metrics has observd_build_info" || fail "/metrics lacks observd_build_info"
grep -qi '^strict-transport-security: max-age=' "$tmp/metrics.headers" && pass "HSTS header sent" || fail "no HSTS header"
code=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/metrics")
[[ $code == "301 https://"* ]] && pass "plain HTTP redirects to HTTPS ($code)" || fail "plain HTTP: $code"
if "${curl_tls[@]}" --tlsv1.1 --tls-max 1.1 -o /dev/null "$base/metrics" 2>/dev/null; then
  fail "TLS 1.1 accepted"
else pass "TLS 1.1 refused"; fi

# SSE: the first event must get through while the stream is still open, i.e.
# within a few seconds, not when observd closes the stream minutes later.
start=$SECONDS
"${curl_tls[@]}" -N --max-time 8 -H 'Accept: text/event-stream' \
  -D "$tmp/sse.headers" "$base/dashboard/api/events" > "$tmp/sse.txt" 2>"$tmp/sse-curl.log" &
sse_pid=$!
if wait_until 8 grep -q '^event:' "$tmp/sse.txt"; then
  pass "SSE: 'event:' line through nginx after $((SECONDS - start))s"
else
  fail "SSE: no 'event:' line within 8s"; head -c 500 "$tmp/sse.txt"
fi
kill "$sse_pid" 2>/dev/null || true; wait "$sse_pid" 2>/dev/null || true
grep -qi '^content-type: text/event-stream' "$tmp/sse.headers" && pass "SSE content type text/event-stream" || fail "SSE content type: $(grep -i '^content-type' "$tmp/sse.headers" || echo none)"
if grep -qi '^x-accel-buffering' "$tmp/sse.headers"; then fail "X-Accel-Buffering leaked to the client"; else pass "X-Accel-Buffering not leaked"; fi

if ((failures)); then echo "check_nginx: $failures failure(s)"; exit 1; fi
echo "check_nginx: OK"
