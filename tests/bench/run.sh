#!/usr/bin/env bash
# run.sh: load benchmark of observd against the limit of its own server stack (a static
# file of the same bytes as a /metrics scrape, served by observd from its web root) and
# against Debian's prometheus-redis-exporter, on loopback, with wrk. Also compares
# Redis commands per minute with 1 and 100 simulated dashboard viewers. Prints a table
# and exits 1 when a target ratio is missed (never with --smoke). Method: README.md.
#
#   tests/bench/run.sh [--smoke] [--seconds N] [--rounds N] [--preload-nodelay]
#                      [--observd-yaml TEXT]
#   BUILD_DIR=build-bench tests/bench/run.sh
# --preload-nodelay runs observd with nodelay_shim.c preloaded (TCP_NODELAY on accepted
# sockets) to measure what CivetWeb's tcp_nodelay option would change. --observd-yaml
# appends TEXT to observd's config (experiments, e.g. 'history: {path: ""}' to see what
# the history store costs).
#
# Starts everything it needs itself and stops it on exit (trap), also on Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
[[ $BUILD_DIR = /* ]] || BUILD_DIR="$SRC/$BUILD_DIR"
SECS=5
ROUNDS=3
SMOKE=0
VIEW_SECS=20      # measuring window per viewer count (whole refresh periods, see README)
SCALE=10          # viewer time compression: TTL 30 s -> 3 s, polls 5/10 s -> 0.5/1 s
THREADS=2
CONNS=32
PRELOAD_NODELAY=0
OBSERVD_YAML=""

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --seconds) SECS=${2:?--seconds needs a value}; shift ;;
    --seconds=*) SECS=${1#*=} ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift ;;
    --rounds=*) ROUNDS=${1#*=} ;;
    --preload-nodelay) PRELOAD_NODELAY=1 ;;
    --observd-yaml) OBSERVD_YAML=${2?--observd-yaml needs a value}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if ((SMOKE)); then
  SECS=1 ROUNDS=1 VIEW_SECS=4
fi
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 ]] || { echo "run.sh: --seconds must be >= 1" >&2; exit 2; }

for tool in wrk redis-server curl python3 prometheus-redis-exporter; do
  # 77: ctest's SKIP_RETURN_CODE for bench_smoke (tests/deps-test.txt lists them all).
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed; skipped" >&2; exit 77; }
done
for f in "$BUILD_DIR/bin/observd" "$BUILD_DIR/bin/observd-demo" "$BUILD_DIR/www" \
  "$BUILD_DIR/templates"; do
  [[ -e $f ]] || { echo "run.sh: $f missing; build first (BUILD_DIR=$BUILD_DIR)" >&2; exit 2; }
done

BENCH_NAME=run.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"
bench_init observd-bench
CLIENTS="python3 $HERE/bench_clients.py"

# --------------------------------------------------------------------------- Redis + data
start_redis
log "redis-server on $REDIS_PORT; seeding 5000 uploads"
timeout 60 "$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 5000 --once \
  --seed 42 2>"$TMP/demo-seed.log"
"$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 0 --rate 5 --seed 43 \
  2>"$TMP/demo.log" &
PIDS+=($!)
DEMO_PID=$!

# --------------------------------------------------------------------------- observd
# A copy of the web root, so that the captured /metrics body can be served as a static
# file (static/bench/metrics.txt) by the same server.
WEBROOT="$TMP/www"
cp -r "$BUILD_DIR/www" "$WEBROOT"
mkdir -p "$WEBROOT/static/bench"
echo placeholder >"$WEBROOT/static/bench/metrics.txt"
OBSERVD_PORT=$(free_port)
cat >"$TMP/observd.yml" <<EOF
# Defaults of packaging/observd.yml; only the paths and addresses differ.
log:
  level: warn
$OBSERVD_YAML
EOF
OBSERVD_ENV=()
if ((PRELOAD_NODELAY)); then
  cc -O2 -shared -fPIC -o "$TMP/nodelay.so" "$HERE/nodelay_shim.c" -ldl
  OBSERVD_ENV=(env "LD_PRELOAD=$TMP/nodelay.so")
fi
start_observd "$TMP/observd.yml" "$OBSERVD_PORT" "$WEBROOT"
OBSERVD_PID=$LAST_PID
BASE="http://127.0.0.1:$OBSERVD_PORT"
# Capture a scrape, put it in the web root and reload (SIGHUP re-reads static files).
curl -fsS "$BASE/metrics" -o "$WEBROOT/static/bench/metrics.txt"
METRICS_BYTES=$(stat -c %s "$WEBROOT/static/bench/metrics.txt")
kill -HUP "$OBSERVD_PID"
deadline=$((SECONDS + 10))
until [[ $(curl -fsS "$BASE/static/bench/metrics.txt" | wc -c) -eq $METRICS_BYTES ]]; do
  ((SECONDS < deadline)) || { echo "run.sh: static copy not served after SIGHUP" >&2; exit 1; }
  sleep 0.1
done
log "observd on $OBSERVD_PORT (pid $OBSERVD_PID); /metrics is $METRICS_BYTES bytes"

# --------------------------------------------------------------------------- redis_exporter
REX_PORT=$(free_port)
prometheus-redis-exporter --redis.addr="redis://127.0.0.1:$REDIS_PORT" \
  --web.listen-address="127.0.0.1:$REX_PORT" >"$TMP/redis_exporter.log" 2>&1 &
PIDS+=($!)
REX_PID=$!
wait_http "http://127.0.0.1:$REX_PORT/metrics"
REX_BYTES=$(curl -fsS "http://127.0.0.1:$REX_PORT/metrics" | wc -c)
log "redis_exporter on $REX_PORT (pid $REX_PID); /metrics is $REX_BYTES bytes"

# --------------------------------------------------------------------------- wrk rounds
TSV="$TMP/results.tsv"
: >"$TSV"
declare -A URL=(
  [static]="$BASE/static/bench/metrics.txt"
  [metrics]="$BASE/metrics"
  [metrics-gzip]="$BASE/metrics"
  [stats-html]="$BASE/dashboard/api/stats-html"
  [redis_exporter]="http://127.0.0.1:$REX_PORT/metrics"
)
declare -A SERVER_PID=(
  [static]=$OBSERVD_PID [metrics]=$OBSERVD_PID [metrics-gzip]=$OBSERVD_PID
  [stats-html]=$OBSERVD_PID
  [redis_exporter]=$REX_PID
)
# metrics-gzip is informational: what a Prometheus server asks for (Accept-Encoding).
TARGETS=(static metrics stats-html redis_exporter metrics-gzip)
for round in $(seq "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    out="$TMP/wrk-$t-$round.txt"
    c0=$(cpu_s "${SERVER_PID[$t]}")
    hdr=()
    [[ $t = *-gzip ]] && hdr=(-H "Accept-Encoding: gzip")
    timeout $((SECS + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "${hdr[@]}" "${URL[$t]}" \
      >"$out" 2>&1 || { cat "$out" >&2; echo "run.sh: wrk failed on $t" >&2; exit 1; }
    c1=$(cpu_s "${SERVER_PID[$t]}")
    $CLIENTS wrk "$out" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
t, rnd, cpu = sys.argv[1], sys.argv[2], float(sys.argv[4]) - float(sys.argv[3])
print("\t".join(map(str, [t, rnd, r["rps"], r["p50_ms"], r["p99_ms"], r["requests"],
                          r["errors"], r["non2xx"], round(cpu, 3)])))' "$t" "$round" "$c0" "$c1" \
      >>"$TSV"
    log "round $round $t: $(tail -1 "$TSV" | cut -f3) req/s"
  done
done
printf 'extra\tobservd_rss_kb\t%s\n' "$(rss_kb "$OBSERVD_PID")" >>"$TSV"
printf 'extra\tredis_exporter_rss_kb\t%s\n' "$(rss_kb "$REX_PID")" >>"$TSV"
bench_stop "$REX_PID"

# --------------------------------------------------------------------------- viewers
# Redis commands per minute with 1 and with 100 viewers, time compressed by $SCALE: the
# cache TTL (30 s), the sampler interval (1 s) and the poll intervals are all divided by
# it. The demo traffic is paused (SIGSTOP) so that only observd talks to Redis.
bench_stop "$OBSERVD_PID"
TTL_MS=$((30000 / SCALE))
cat >"$TMP/observd-viewers.yml" <<EOF
cache:
  ttl: ${TTL_MS}ms
sampler:
  interval: $((1000 / SCALE))ms
log:
  level: warn
EOF
kill -STOP "$DEMO_PID"
for viewers in 1 100; do
  port=$(free_port)
  start_observd "$TMP/observd-viewers.yml" "$port" "$WEBROOT"
  pid=$LAST_PID
  out=$($CLIENTS refresh-window --port "$port" --redis-port "$REDIS_PORT" \
    --viewers "$viewers" --seconds "$VIEW_SECS" --scale "$SCALE" \
    --period "$(awk -v ms="$TTL_MS" 'BEGIN {print ms / 1000}')")
  echo "$out" >"$TMP/viewers-$viewers.json"
  cpm=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("commands_per_minute", "nan"))' <<<"$out")
  printf 'extra\tviewers_%s_cpm\t%s\n' "$viewers" "$cpm" >>"$TSV"
  printf 'extra\tnote_viewers_%s\t%s\n' "$viewers" "$out" >>"$TSV"
  log "viewers=$viewers: $out"
  bench_stop "$pid"
done
kill -CONT "$DEMO_PID"

# --------------------------------------------------------------------------- report
printf 'extra\tnote_setup\t%s\n' "observd tcp_nodelay shim: $PRELOAD_NODELAY; wrk -t$THREADS -c$CONNS -d${SECS}s x $ROUNDS rounds; /metrics $METRICS_BYTES bytes; redis_exporter /metrics $REX_BYTES bytes; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$TSV"
echo
echo "## observd benchmark ($(date -u +%FT%TZ), $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo
status=0
if ((SMOKE)); then
  $CLIENTS summarize --no-fail "$TSV" || status=$?
  echo "(smoke run: ratios are not checked)"
else
  $CLIENTS summarize "$TSV" || status=$?
fi
exit "$status"
