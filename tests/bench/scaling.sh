#!/usr/bin/env bash
# scaling.sh: how observd's costs grow with what it is given (method: README.md).
#   1. /metrics size, latency and CPU with 10, 100, 1000 configured query gauges;
#   2. snapshot compute time with 10^3, 10^5, 10^6 uploads in the timeline;
#   3. SSE fan-out with 1, 8, 32 streams: observd CPU per stream-tick.
#
#   tests/bench/scaling.sh [--max-uploads N] [--seconds N] [--sections "1 2 3 4"]
#                          [--preload-nodelay]
#   BUILD_DIR=build-bench tests/bench/scaling.sh
#
# Real redis-server and observd on loopback, started here and stopped on exit (trap).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
[[ $BUILD_DIR = /* ]] || BUILD_DIR="$SRC/$BUILD_DIR"
MAX_UPLOADS=1000000
SECS=3
PRELOAD_NODELAY=0
SECTIONS="1 2 3 4"
while (($#)); do
  case $1 in
    --max-uploads) MAX_UPLOADS=${2:?}; shift ;;
    --seconds) SECS=${2:?}; shift ;;
    --preload-nodelay) PRELOAD_NODELAY=1 ;;
    --sections) SECTIONS=${2:?}; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scaling.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
for tool in wrk redis-server redis-cli curl python3; do
  command -v "$tool" >/dev/null || { echo "scaling.sh: $tool is not installed" >&2; exit 2; }
done

BENCH_NAME=scaling.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"
bench_init observd-scaling
CLIENTS="python3 $HERE/bench_clients.py"
OBSERVD_ENV=()
if ((PRELOAD_NODELAY)); then
  cc -O2 -shared -fPIC -o "$TMP/nodelay.so" "$HERE/nodelay_shim.c" -ldl
  OBSERVD_ENV=(env "LD_PRELOAD=$TMP/nodelay.so")
fi

echo "## observd scaling ($(date -u +%FT%TZ), $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); tcp_nodelay shim: $PRELOAD_NODELAY)"

want() { [[ " $SECTIONS " = *" $1 "* ]]; }

# --------------------------------------------------------------------------- 1. query gauges
if want 1; then
start_redis
"$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 1000 --once --seed 7 \
  2>"$TMP/demo.log"
for i in $(seq 0 999); do printf 'SET bench:q:%d %d\n' "$i" "$((i * 3))"; done |
  redis-cli -p "$REDIS_PORT" >/dev/null

echo
echo "### /metrics with N configured query gauges (kind: get)"
echo
echo "| gauges | /metrics bytes | gzip bytes | req/s (wrk -t1 -c4) | client p50 ms | client p99 ms | server mean ms (histogram) | observd CPU us/req | snapshot refresh ms |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in 10 100 1000; do
  cfg="$TMP/queries-$n.yml"
  {
    echo "log: {level: warn}"
    echo "queries:"
    for i in $(seq 0 $((n - 1))); do
      printf '  - {name: observd_app_bench_q_%d, help: "Bench gauge %d.", kind: get, key: "bench:q:%d", labels: {shard: "s%d"}}\n' \
        "$i" "$i" "$i" "$((i % 4))"
    done
  } >"$cfg"
  # A stopped instance leaves its compute lock (PX 7.5 s) behind; a new fingerprint would
  # wait on it for up to 1 s (see RESULTS.md). Start each row from a clean key.
  redis-cli -p "$REDIS_PORT" del observd:snapshot:v1 observd:snapshot:v1:lock >/dev/null
  port=$(free_port)
  start_observd "$cfg" "$port"
  pid=$LAST_PID
  url="http://127.0.0.1:$port/metrics"
  last="observd_app_bench_q_$((n - 1)){shard=\"s$(((n - 1) % 4))\"}"
  for _ in $(seq 50); do
    curl -fsS "$url" | grep -qF "$last" && break
    sleep 0.1
  done
  bytes=$(curl -fsS "$url" | wc -c)
  gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$url" | wc -c)
  curl -fsS "$url" >"$TMP/before"
  c0=$(cpu_s "$pid")
  timeout $((SECS + 20)) wrk -t1 -c4 -d"${SECS}s" --latency "$url" >"$TMP/wrk-q$n.txt"
  c1=$(cpu_s "$pid")
  curl -fsS "$url" >"$TMP/after"
  python3 - "$n" "$bytes" "$gz" "$c0" "$c1" "$TMP/wrk-q$n.txt" "$HERE" "$TMP" <<'EOF'
import sys
sys.path.insert(0, sys.argv[7])
import bench_clients as b
n, size, gz, c0, c1, path = sys.argv[1:7]
w = b.parse_wrk(open(path).read())
def val(text, name):
    for line in text.splitlines():
        if line.split(" ")[0] == name:
            return float(line.split(" ")[1])
    return 0.0
before = open(sys.argv[8] + "/before").read()
after = open(sys.argv[8] + "/after").read()
h = 'observd_http_request_duration_seconds_%s{handler="/metrics"}'
cnt = val(after, h % "count") - val(before, h % "count")
tot = val(after, h % "sum") - val(before, h % "sum")
r = 'observd_snapshot_refresh_duration_seconds_%s{outcome="computed"}'
rc, rs = val(after, r % "count"), val(after, r % "sum")
print("| %s | %s | %s | %.0f | %.2f | %.2f | %.3f | %.0f | %.1f |" % (
    n, size, gz, w["rps"], w["p50_ms"], w["p99_ms"], tot / cnt * 1000 if cnt else float("nan"),
    (float(c1) - float(c0)) / max(1, w["requests"]) * 1e6, rs / rc * 1000 if rc else float("nan")))
EOF
  bench_stop "$pid"
done
bench_stop "$REDIS_PID"
fi

# --------------------------------------------------------------------------- 2. uploads
if want 2; then
echo
echo "### Snapshot compute time vs uploads in the timeline (cache.ttl 1s, outcome computed)"
echo
echo "| uploads | backfill s | Redis used_memory MiB | refreshes | mean refresh ms | max bucket (le) | Redis-side us per refresh | of which ZCOUNT (calls, us/call) | HGETALL us/call |"
echo "|---|---|---|---|---|---|---|---|---|"
cat >"$TMP/ttl1.yml" <<EOF
cache:
  ttl: 1s
log:
  level: warn
EOF
for n in 1000 100000 1000000; do
  ((n <= MAX_UPLOADS)) || continue
  start_redis
  t0=$(date +%s.%N)
  timeout 600 "$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill "$n" --once \
    --seed 11 2>"$TMP/demo-$n.log"
  t1=$(date +%s.%N)
  mem=$(redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {printf "%.0f", $2 / 1048576}')
  port=$(free_port)
  start_observd "$TMP/ttl1.yml" "$port"
  pid=$LAST_PID
  url="http://127.0.0.1:$port/metrics"
  # The start-up refresh is excluded: its count and sum are taken as the zero point.
  curl -fsS "$url" >"$TMP/before"
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  for _ in $(seq 8); do sleep 1.1; curl -fsS -o /dev/null "$url"; done
  sleep 0.5
  curl -fsS "$url" >"$TMP/after"
  redis-cli -p "$REDIS_PORT" info commandstats >"$TMP/cmdstats"
  python3 - "$n" "$t0" "$t1" "$mem" "$TMP" <<'EOF'
import sys
n, t0, t1, mem, tmp = sys.argv[1:6]
def samples(text):
    out = {}
    for line in text.splitlines():
        if line.startswith("observd_snapshot_refresh_duration_seconds") and 'outcome="computed"' in line:
            k, v = line.rsplit(" ", 1)
            out[k] = float(v)
    return out
b, a = samples(open(tmp + "/before").read()), samples(open(tmp + "/after").read())
pre = 'observd_snapshot_refresh_duration_seconds'
cnt = a.get(pre + '_count{outcome="computed"}', 0) - b.get(pre + '_count{outcome="computed"}', 0)
tot = a.get(pre + '_sum{outcome="computed"}', 0) - b.get(pre + '_sum{outcome="computed"}', 0)
top = "-"
for k, v in a.items():
    if "_bucket" in k and v - b.get(k, 0) >= cnt and cnt:
        le = k.split('le="')[1].split('"')[0]
        if top == "-" or float(le) < float(top):
            top = le
import re
stats = {}
for line in open(tmp + "/cmdstats"):
    m = re.match(r"cmdstat_(\w+):calls=(\d+),usec=(\d+)", line)
    if m:
        stats[m.group(1)] = (int(m.group(2)), int(m.group(3)))
# Redis-side time of the refreshes (everything but the sampler's PING and our INFO).
usec = sum(u for c, (k, u) in stats.items() if c not in ("ping", "info", "config"))
zc, zu = stats.get("zcount", (0, 0))
hc, hu = stats.get("hgetall", (0, 0))
print("| %s | %.1f | %s | %d | %.2f | %s | %.0f | %.0f (%d, %.2f) | %.2f |" % (
    n, float(t1) - float(t0), mem, cnt, tot / cnt * 1000 if cnt else float("nan"), top,
    usec / cnt if cnt else float("nan"), zu / cnt if cnt else float("nan"),
    zc // cnt if cnt else 0, zu / zc if zc else float("nan"), hu / hc if hc else float("nan")))
EOF
  bench_stop "$pid"
  bench_stop "$REDIS_PID"
done
fi

# --------------------------------------------------------------------------- 3. SSE
if want 3; then
echo
echo "### SSE fan-out (web.sse_interval 1s, ${SECS}x2 s per row)"
echo
echo "| streams | accepted | stream-ticks | observd CPU ms/s | minus idle ms/s | CPU ms per stream-tick | first-to-last event of a tick p50 ms | max ms |"
echo "|---|---|---|---|---|---|---|---|"
start_redis
"$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 5000 --once --seed 5 \
  2>"$TMP/demo-sse.log"
cat >"$TMP/sse.yml" <<EOF
web:
  sse_interval: 1s
  max_sse_streams: 32
  num_threads: 48
log:
  level: warn
EOF
port=$(free_port)
start_observd "$TMP/sse.yml" "$port"
pid=$LAST_PID
secs=$((SECS * 2))
c0=$(cpu_s "$pid")
sleep "$secs"
c1=$(cpu_s "$pid")
idle=$(awk -v a="$c0" -v b="$c1" -v s="$secs" 'BEGIN {printf "%.2f", (b - a) * 1000 / s}')
echo "| 0 | - | - | $idle | 0 | - | - | - |"
for n in 1 8 32; do
  $CLIENTS sse --port "$port" --pid "$pid" --streams "$n" --seconds "$secs" |
    python3 -c '
import json, sys
r, idle = json.loads(sys.stdin.read()), float(sys.argv[1])
per = (r["observd_cpu_ms_per_s"] - idle) * r["seconds"] / r["stream_ticks"] if r["stream_ticks"] else float("nan")
f = lambda v: "-" if v is None else "%.2f" % v
print("| %d | %d | %d | %.2f | %.2f | %.2f | %s | %s |" % (r["streams"], r["accepted"],
      r["stream_ticks"], r["observd_cpu_ms_per_s"], r["observd_cpu_ms_per_s"] - idle, per,
      f(r["tick_first_to_last_event_ms_p50"]), f(r["tick_first_to_last_event_ms_max"])))' "$idle"
  sleep 2  # a closed stream keeps its slot until its next write (one sse_interval)
done
bench_stop "$pid"
bench_stop "$REDIS_PID"
fi

# --------------------------------------------------------------------------- 4. viewers
if want 4; then
start_redis
"$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 5000 --once --seed 5 \
  2>"$TMP/demo-viewers.log"
echo
echo "### Keep-alive dashboard viewers vs web.num_threads (48), real poll intervals, $((SECS * 7)) s per row"
echo
echo "| viewers, connection | requests | errors (kinds) | viewers never served | p50 ms | p99 ms | max ms | /metrics probe ok/err | probe p50 ms | probe max ms |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "log: {level: warn}" >"$TMP/viewers.yml"
# The last row closes the connection after every poll (what a shorter keep-alive timeout
# or "Connection: close" on the partials would give).
for row in "40 keep-alive" "100 keep-alive" "100 close"; do
  read -r n mode <<<"$row"
  ka=()
  [[ $mode = close ]] && ka=(--no-keepalive)
  port=$(free_port)
  start_observd "$TMP/viewers.yml" "$port"
  pid=$LAST_PID
  $CLIENTS viewers --port "$port" --viewers "$n" --seconds $((SECS * 7)) --scale 1 \
    --timeout 10 --probe /metrics "${ka[@]}" | python3 -c '
import json, sys
r, mode = json.loads(sys.stdin.read()), sys.argv[1]
p = r["probe"]
f = lambda v: "-" if v is None else "%.1f" % v
print("| %d %s | %d | %d %s | %d | %s | %s | %s | %d/%d | %s | %s |" % (r["viewers"], mode,
      r["requests"], r["errors"], json.dumps(r["error_kinds"]), r["starved_viewers"],
      f(r["p50_ms"]), f(r["p99_ms"]), f(r["max_ms"]), p["ok"], p["errors"], f(p["p50_ms"]),
      f(p["max_ms"])))' "$mode"
  bench_stop "$pid"
done
fi
