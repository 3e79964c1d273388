#!/bin/bash
# check_nginx.sh BIN_DIR — end-to-end test of packaging/nginx/observd.conf:
# redis-server and BIN_DIR/observd on free loopback ports, then nginx (as an
# unprivileged-paths instance: nginx -p TMP -c TMP/nginx.conf, daemon off) with
# the shipped site file, its listen/upstream/cert lines pointed at the test
# ports and a self-signed certificate (that setup lives in nginx_front.sh, shared
# with check_tls.sh, which scans the same front with sslscan for the TLS claims).
# Through nginx with curl --cacert:
#   /metrics is 200 and has observd_build_info; HSTS is sent; plain HTTP
#   redirects to HTTPS; /dashboard/api/events delivers an "event:" line
#   within a few seconds (so nothing buffers the SSE stream).
# Micro-cache: observd marks partials "public, max-age=1"; ten HX requests within
#   a second reach observd at most twice, the second one is a cache HIT, and a
#   full-page (non-HX) request does not get the HX entry.
# Basic auth: a second observd with a web-config file behind a second nginx;
#   partials are "private, no-store"; after an authenticated request primed the
#   path, an unauthenticated one gets 401 every time, also with the nginx-side
#   bypass lines removed from the site (observd's headers alone must suffice).
# Web root: BIN_DIR/../www unless OBSERVD_WEB_ROOT is set; templates:
# frontend/templates unless OBSERVD_TEMPLATES is set (read by nginx_front.sh).
# pass() always succeeds, so "test && pass || fail" is an if/else here.
# shellcheck disable=SC2015
set -euo pipefail

bin_dir=$(cd "${1:?usage: check_nginx.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=nginx_front.sh
source "$here/nginx_front.sh"
front_init
front_start

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

echo "== hardening: no version in Server, smuggling shapes get one answer"
server=$("${curl_tls[@]}" -sS -o /dev/null -D - "$base/-/healthy" | tr -d '\r' | awk -F': ' 'tolower($1) == "server" {print $2}')
[[ $server == nginx ]] && pass "Server header without a version ($server)" ||
  fail "Server header: '$server' (server_tokens off expected)"
if python3 "$(dirname "$0")/smuggle_through.py" "$https_port" "$tmp/cert.pem" "$observd_port" \
    > "$tmp/smuggle.log" 2>&1; then
  pass "framing corpus through nginx: $(tail -1 "$tmp/smuggle.log")"
else
  fail "framing corpus through nginx:"; cat "$tmp/smuggle.log"
fi

echo "== micro-cache of partials"
hx=(-H 'HX-Request: true')
# refresh_count: observd's own count of stats partials served (read directly).
refresh_count() {
  curl -fsS "http://127.0.0.1:$observd_port/metrics" |
    awk '$1 == "observd_dashboard_refresh_total" {print $2}'
}
"${curl_tls[@]}" -D "$tmp/p1.headers" -o /dev/null "${hx[@]}" "$base/dashboard/api/stats-html"
grep -qi '^cache-control: public, max-age=1' "$tmp/p1.headers" &&
  pass "partial: Cache-Control public, max-age=1 (no auth configured)" ||
  fail "partial Cache-Control: $(grep -i '^cache-control' "$tmp/p1.headers" || echo none)"
grep -qi '^strict-transport-security: max-age=' "$tmp/p1.headers" && pass "HSTS on cached locations too" ||
  fail "no HSTS on /dashboard/api/"
sleep 2.1  # start from an expired entry (nginx counts max-age in whole seconds)
before=$(refresh_count)
for i in $(seq 10); do
  "${curl_tls[@]}" -D "$tmp/burst-$i.headers" -o /dev/null "${hx[@]}" "$base/dashboard/api/stats-html"
done
# The expired entry is refreshed in the background (stale while updating): wait for
# that refresh to be counted, then no more than one per second may have happened.
wait_until 3 test "$(refresh_count)" != "$before" || true
sleep 0.5
reached=$(awk -v a="$(refresh_count)" -v b="$before" 'BEGIN {print a - b}')
statuses=$(grep -hi '^x-cache-status' "$tmp"/burst-*.headers | tr -d '\r' | awk '{print $2}' | sort | uniq -c | tr -s ' \n' ' ')
# Ten requests in well under a second, maybe straddling one second boundary.
awk -v n="$reached" 'BEGIN {exit !(n >= 1 && n <= 3)}' &&
  pass "10 HX requests reached observd $reached time(s) (cache: $statuses)" ||
  fail "10 HX requests reached observd $reached times (cache: $statuses)"
grep -qiE '^x-cache-status: (HIT|STALE|UPDATING)' "$tmp"/burst-{2..10}.headers &&
  pass "repeated partials are answered from the cache" || fail "no cache hit: $statuses"
"${curl_tls[@]}" -D "$tmp/page.headers" -o /dev/null "$base/dashboard/api/stats-html"
grep -qi '^x-cache-status: HIT' "$tmp/page.headers" &&
  fail "a non-HX request got the HX cache entry" || pass "HX and non-HX requests have separate cache keys"
code=$("${curl_tls[@]}" -o /dev/null -D "$tmp/m.headers" -w '%{http_code}' "$base/metrics")
grep -qi '^x-cache-status' "$tmp/m.headers" && fail "/metrics went through the cache" ||
  pass "/metrics is never cached ($code)"

echo "== basic auth: a cached answer never reaches an unauthenticated client"
auth_port=$(free_port)
# bcrypt (cost 4) of "s3cret"; single quotes on purpose (the $ are literal).
# shellcheck disable=SC2016
printf 'basic_auth_users:\n  prometheus: %s\n' \
  '$2b$04$lBojo013pErZ.xvw9WDLN.ErUGulv6N.uESBSwA.hWVfgQK7bFrVq' > "$tmp/web-config.yml"
"$bin_dir/observd" --config.file="$tmp/observd.yml" \
  --redis.addr="redis://127.0.0.1:$redis_port/0" \
  --web.listen-address="127.0.0.1:$auth_port" --web.config.file="$tmp/web-config.yml" \
  --web.root="$web_root" --web.templates="$templates" > "$tmp/observd-auth.log" 2>&1 &
pids+=($!)
wait_until 20 curl -fsS "http://127.0.0.1:$auth_port/-/healthy" ||
  { fail "observd with basic auth did not come up"; exit 1; }
user=(-u prometheus:s3cret)
# auth_case NAME: prime every cached path with credentials, then ask without.
auth_case() {
  local name=$1 https=$2 ok=1 path code
  local headers=$tmp/auth-$https.headers
  for path in /dashboard/api/stats-html /dashboard/api/stats /dashboard/api/history \
      "/dashboard/api/recent-uploads-html?limit=10" /dashboard/api/metrics-html; do
    for _ in 1 2 3; do
      code=$(curl -sS --cacert "$tmp/cert.pem" --resolve "localhost:$https:127.0.0.1" \
        "${user[@]}" "${hx[@]}" -D "$headers" -o /dev/null -w '%{http_code}' \
        "https://localhost:$https$path")
      [[ $code == 200 ]] || { ok=0; fail "$name: authenticated $path: $code"; }
      grep -qi '^cache-control: private, no-store' "$headers" ||
        { ok=0; fail "$name: $path with auth: $(grep -i '^cache-control' "$headers" || echo no Cache-Control)"; }
      code=$(curl -sS --cacert "$tmp/cert.pem" --resolve "localhost:$https:127.0.0.1" \
        "${hx[@]}" -o /dev/null -w '%{http_code}' "https://localhost:$https$path")
      [[ $code == 401 ]] || { ok=0; fail "$name: unauthenticated $path after a primed one: $code"; }
    done
  done
  ((ok)) && pass "$name: 15 unauthenticated requests after authenticated ones: all 401"
}
auth_https=$(free_port)
start_nginx auth "$auth_port" "$auth_https" "$(free_port)"
auth_case "shipped site" "$auth_https"
# Without the nginx-side bypass lines, observd's "private, no-store" alone must hold.
bare_https=$(free_port)
start_nginx bare "$auth_port" "$bare_https" "$(free_port)" '/proxy_cache_bypass\|proxy_no_cache/d'
grep -q 'proxy_no_cache\|proxy_cache_bypass' "$tmp/bare/site.conf" && fail "bypass lines not removed"
auth_case "site without proxy_no_cache/bypass" "$bare_https"

if ((failures)); then echo "check_nginx: $failures failure(s)"; exit 1; fi
echo "check_nginx: OK"
