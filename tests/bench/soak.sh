#!/usr/bin/env bash
# soak.sh: load and soak test of observd on loopback. Starts redis-server, observd-demo
# traffic and observd (binaries from $BUILD_DIR, default "build"), then runs wrk with
# tests/bench/soak_mix.lua (/metrics, the three partials, the JSON API, the pages, a
# static file) in two rounds. Fails (exit 1) on any socket error, any non-2xx/3xx
# answer, an observd that died, or an RSS after round 2 more than 10 % above the
# highest RSS before it (after the warm-up or after round 1): a leak grows with the
# requests served, allocator noise (~±5 % measured) does not. Prints a summary table. Every process it starts is stopped and
# its temp dir removed on exit, also on failure or Ctrl-C.
#
#   tests/bench/soak.sh                        # CI: 5 s warm-up + 2 x 10 s, 64 connections
#   tests/bench/soak.sh --duration 120         # local soak: 2 x 120 s
#   BUILD_DIR=build-rel tests/bench/soak.sh --connections 128 --threads 4
set -euo pipefail

DURATION=10
CONNECTIONS=64
THREADS=2
RSS_TOLERANCE_PCT=10
usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  echo "options: --duration S (per round, default 10)  --connections N (default 64)"
  echo "         --threads N (wrk threads, default 2)   --rss-tolerance PCT (default 10)"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --duration=*) DURATION=${1#*=}; shift ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --connections=*) CONNECTIONS=${1#*=}; shift ;;
    --threads) THREADS=$2; shift 2 ;;
    --threads=*) THREADS=${1#*=}; shift ;;
    --rss-tolerance) RSS_TOLERANCE_PCT=$2; shift 2 ;;
    --rss-tolerance=*) RSS_TOLERANCE_PCT=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in DURATION CONNECTIONS THREADS RSS_TOLERANCE_PCT; do
  if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then echo "soak.sh: $v must be a positive integer" >&2; exit 2; fi
done
if [ "$THREADS" -gt "$CONNECTIONS" ]; then THREADS=$CONNECTIONS; fi

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$SRC/$BUILD_DIR" ;; esac
OBSERVD="$BUILD_DIR/bin/observd"
DEMO="$BUILD_DIR/bin/observd-demo"
WWW="$BUILD_DIR/www"
TEMPLATES="$BUILD_DIR/templates"
[ -d "$TEMPLATES" ] || TEMPLATES="$SRC/frontend/templates"
LUA="$SRC/tests/bench/soak_mix.lua"
for f in "$OBSERVD" "$DEMO"; do
  [ -x "$f" ] || { echo "soak.sh: $f not found; build first or set BUILD_DIR" >&2; exit 2; }
done
[ -d "$WWW" ] || { echo "soak.sh: $WWW not found (front end not built)" >&2; exit 2; }
for tool in wrk redis-server redis-cli curl python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is not installed" >&2; exit 2; }
done

TMP=$(mktemp -d /tmp/observd-soak.XXXXXX)
PIDS=()
cleanup() {
  local rc=$? i pid
  # newest first: observd, then the traffic generator, then Redis
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ] && [ -s "$TMP/observd.log" ]; then
    echo "----- observd log (last 30 lines) -----" >&2
    tail -n 30 "$TMP/observd.log" >&2
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "soak.sh: $what not ready within ${secs}s" >&2; return 1; fi
    sleep 0.1
  done
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
alive() { kill -0 "$1" 2>/dev/null; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$TMP" --daemonize no --logfile "$TMP/redis.log" &
PIDS+=($!)
wait_for 10 "redis-server" redis-cli -p "$REDIS_PORT" ping
REDIS_ADDR="redis://127.0.0.1:$REDIS_PORT/0"

# Seed and keep writing while the load runs (bounded by --duration of its own).
"$DEMO" --redis.addr="$REDIS_ADDR" --backfill 3000 --rate 20 --seed 42 \
  --duration "$((2 * DURATION + 60))s" 2>"$TMP/demo.log" &
PIDS+=($!)
wait_for 20 "observd-demo backfill" \
  bash -c "[ \"\$(redis-cli -p $REDIS_PORT zcard uploads:timeline)\" -ge 3000 ]"

PORT=$(free_port)
# Every open keep-alive connection holds one CivetWeb worker: size the pool for the
# load (and the SSE reserve of max_sse_streams + 8).
NUM_THREADS=$((CONNECTIONS + 48))
cat >"$TMP/observd.yml" <<EOF
web:
  num_threads: $NUM_THREADS
  max_sse_streams: 32
cache:
  ttl: 2s
log:
  level: warn
EOF
# The environment observd.service sets (glibc's thread cache off); a GLIBC_TUNABLES
# set by the caller wins, e.g. glibc.malloc.tcache_count=7 to measure the cache on.
mapfile -t UNIT_ENV < <(python3 "$SRC/tests/lib/unit_env.py")
env "${UNIT_ENV[@]}" "$OBSERVD" --config.file="$TMP/observd.yml" --web.listen-address="127.0.0.1:$PORT" \
  --web.root="$WWW" --web.templates="$TEMPLATES" --redis.addr="$REDIS_ADDR" \
  2>"$TMP/observd.log" &
OBSERVD_PID=$!
PIDS+=("$OBSERVD_PID")
wait_for 15 "observd" curl -fsS "http://127.0.0.1:$PORT/-/ready"
BASE="http://127.0.0.1:$PORT"
# Every route of the mix answers 200 before the load starts.
for p in /metrics /dashboard/api/stats-html "/dashboard/api/recent-uploads-html?limit=10" \
         /dashboard/api/metrics-html /dashboard/api/stats /dashboard/api/history / \
         /dashboard/observability /dashboard/uploads /static/css/site.css; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$p")
  [ "$code" = 200 ] || { echo "soak.sh: GET $p -> $code before the load" >&2; exit 1; }
done

declare -A R
FAIL=()
run_round() { # n
  local n=$1 out="$TMP/wrk-$1.txt"
  echo "soak.sh: round $n: $CONNECTIONS connections, $THREADS threads, ${DURATION}s" >&2
  if ! timeout "$((DURATION + 60))" wrk --threads "$THREADS" --connections "$CONNECTIONS" \
      --duration "${DURATION}s" --timeout 5s --latency --script "$LUA" "$BASE/" >"$out" 2>&1; then
    cat "$out" >&2
    FAIL+=("round $n: wrk failed or timed out")
  fi
  local sock nonok reqs rps p50 p99
  sock=$(awk '/Socket errors:/ {gsub(",", ""); print $4+$6+$8+$10}' "$out")
  nonok=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  reqs=$(awk '/requests in/ {print $1}' "$out")
  rps=$(awk '/Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  R[$n,sock]=${sock:-0}; R[$n,non2xx]=${nonok:-0}; R[$n,reqs]=${reqs:-0}
  R[$n,rps]=${rps:-0}; R[$n,p50]=${p50:--}; R[$n,p99]=${p99:--}
  if alive "$OBSERVD_PID"; then
    R[$n,rss]=$(rss_kb "$OBSERVD_PID")
  else
    R[$n,rss]=0
    FAIL+=("round $n: observd died")
  fi
  [ "${R[$n,reqs]}" -gt 0 ] || FAIL+=("round $n: no requests completed")
  [ "${R[$n,sock]}" -eq 0 ] || FAIL+=("round $n: ${R[$n,sock]} socket errors ($(grep 'Socket errors' "$out"))")
  [ "${R[$n,non2xx]}" -eq 0 ] || FAIL+=("round $n: ${R[$n,non2xx]} non-2xx/3xx responses")
}

# Warm-up (not measured): worker threads, allocator arenas and render caches reach
# their working size, so round 1 -> round 2 compares steady states.
WARMUP=$(( DURATION < 5 ? DURATION : 5 ))
echo "soak.sh: warm-up ${WARMUP}s" >&2
timeout "$((WARMUP + 60))" wrk --threads "$THREADS" --connections "$CONNECTIONS" \
  --duration "${WARMUP}s" --timeout 5s --script "$LUA" "$BASE/" >"$TMP/wrk-warmup.txt" 2>&1 ||
  { cat "$TMP/wrk-warmup.txt" >&2; echo "soak.sh: warm-up failed" >&2; exit 1; }
R[0,rss]=$(rss_kb "$OBSERVD_PID")

run_round 1
run_round 2

RSS_BEFORE=$(( R[0,rss] > R[1,rss] ? R[0,rss] : R[1,rss] ))
RSS_DELTA_PCT=$(awk -v a="$RSS_BEFORE" -v b="${R[2,rss]}" \
  'BEGIN { if (a > 0) printf "%.1f", (b - a) * 100 / a; else print "nan" }')
if [ "${R[1,rss]}" -gt 0 ] && [ "${R[2,rss]}" -gt 0 ]; then
  awk -v d="$RSS_DELTA_PCT" -v t="$RSS_TOLERANCE_PCT" 'BEGIN { exit !(d <= t) }' ||
    FAIL+=("RSS after round 2 is ${RSS_DELTA_PCT}% above the highest before it (tolerance ${RSS_TOLERANCE_PCT}%)")
fi
# still healthy after the load
code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$BASE/-/healthy" || true)
[ "$code" = 200 ] || FAIL+=("/-/healthy -> $code after the load")
errors=$(curl -s -m 5 "$BASE/metrics" | awk '/^observd_http_requests_total\{.*code="5/ {s += $NF} END {print s + 0}')
[ "$errors" = 0 ] || FAIL+=("observd counted $errors 5xx responses")

printf '\n%-8s %10s %10s %9s %9s %8s %8s %10s\n' round requests req/s p50 p99 sockerr non2xx rss_kB
for n in 1 2; do
  printf '%-8s %10s %10s %9s %9s %8s %8s %10s\n' "$n" "${R[$n,reqs]}" "${R[$n,rps]}" \
    "${R[$n,p50]}" "${R[$n,p99]}" "${R[$n,sock]}" "${R[$n,non2xx]}" "${R[$n,rss]}"
done
printf 'RSS after warm-up %s kB; round 2 vs the highest before it (%s kB): %s%% (tolerance +%s%%); 5xx counted by observd: %s\n' \
  "${R[0,rss]}" "$RSS_BEFORE" "$RSS_DELTA_PCT" "$RSS_TOLERANCE_PCT" "$errors"

if [ "${#FAIL[@]}" -gt 0 ]; then
  printf 'FAIL: %s\n' "${FAIL[@]}" >&2
  exit 1
fi
echo "PASS"
