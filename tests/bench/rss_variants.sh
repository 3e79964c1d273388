#!/usr/bin/env bash
# rss_variants.sh: where observd's resident memory comes from, and what glibc's
# per-thread cache (off in systemd/observd.service's environment, which every variant
# starts with; GLIBC_TUNABLES overrides it) and the worker count change. Same load for
# every variant (wrk on /metrics and stats-html, then gzip /metrics); prints VmRSS after
# each step and the anonymous / file-backed split from smaps_rollup. No pass/fail. ~1 min.
#
#   BUILD_DIR=build-bench tests/bench/rss_variants.sh [--seconds N]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
[[ $BUILD_DIR = /* ]] || BUILD_DIR="$SRC/$BUILD_DIR"
SECS=4
case ${1:-} in
  --seconds) SECS=${2:?} ;;
  "") ;;
  *) echo "rss_variants.sh: unknown argument $1" >&2; exit 2 ;;
esac

BENCH_NAME=rss_variants.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"
bench_init observd-rss
start_redis
"$BUILD_DIR/bin/observd-demo" --redis.addr="$REDIS_ADDR" --backfill 5000 --once --seed 3 \
  2>"$TMP/demo.log"
echo "log: {level: warn}" >"$TMP/default.yml"
printf 'log: {level: warn}\nweb: {num_threads: 16, max_sse_streams: 8}\n' >"$TMP/small.yml"

variant() { # label env-assignment-or-empty config
  OBSERVD_ENV=(env)
  [[ -n $2 ]] && OBSERVD_ENV=(env "$2")
  local port pid r0 r1 r2
  port=$(free_port)
  start_observd "$3" "$port"
  pid=$LAST_PID
  r0=$(rss_kb "$pid")
  wrk -t2 -c32 -d"${SECS}s" "http://127.0.0.1:$port/metrics" >/dev/null
  wrk -t2 -c32 -d"${SECS}s" "http://127.0.0.1:$port/dashboard/api/stats-html" >/dev/null
  r1=$(rss_kb "$pid")
  wrk -t2 -c32 -d"${SECS}s" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/metrics" >/dev/null
  r2=$(rss_kb "$pid")
  awk -v l="$1" -v r0="$r0" -v r1="$r1" -v r2="$r2" -v t="$(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 | wc -l)" '
    /^Rss:/ {rss = $2} /^Pss:/ {pss = $2} /^Anonymous:/ {anon = $2}
    END {printf "| %s | %d | %d | %d | %d | %d | %d | %d |\n", l, t, r0, r1, r2, anon, rss - anon, pss}' \
    "/proc/$pid/smaps_rollup"
  bench_stop "$pid"
}

echo "## observd RSS variants ($(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| variant | threads | VmRSS start KiB | after /metrics + stats-html | after + gzip /metrics | anonymous | file-backed | PSS |"
echo "|---|---|---|---|---|---|---|---|"
TCACHE_ON=GLIBC_TUNABLES=glibc.malloc.tcache_count=7  # glibc's default
variant "as observd.service (thread cache off)" "" "$TMP/default.yml"
variant "thread cache on ($TCACHE_ON)" "$TCACHE_ON" "$TMP/default.yml"
variant "num_threads 16" "" "$TMP/small.yml"
variant "num_threads 16 + thread cache on" "$TCACHE_ON" "$TMP/small.yml"
