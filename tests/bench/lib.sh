# shellcheck shell=bash
# lib.sh: helpers shared by run.sh and scaling.sh (sourced, not run). Owns the list of
# started processes and the temp dir: bench_cleanup (installed as the EXIT trap by
# bench_init) stops every process started through bench_spawn and removes $TMP.

bench_init() { # prefix
  TMP=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
  exit "$rc"
}

# Stops one process started by bench_spawn and waits for it.
bench_stop() { # pid
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() { # url [seconds]
  local deadline=$((SECONDS + ${2:-15}))
  until curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.1
  done
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

cpu_s() { # CPU time of every live thread of pid, in seconds (schedstat: nanoseconds)
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ns += $1} END {printf "%.6f\n", ns / 1e9}'
}

log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%T)" "$*" >&2; }

# Starts a throw-away redis-server on a free loopback port: sets REDIS_PORT, REDIS_PID,
# REDIS_ADDR.
start_redis() {
  REDIS_PORT=$(free_port)
  local dir="$TMP/redis-$REDIS_PORT"
  mkdir -p "$dir"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --daemonize no --logfile "$dir/redis.log" &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  REDIS_ADDR="redis://127.0.0.1:$REDIS_PORT/0"
  for _ in $(seq 100); do
    [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) = PONG ]] && return 0
    sleep 0.1
  done
  echo "bench: redis-server on $REDIS_PORT did not start" >&2
  return 1
}

# Starts observd from $BUILD_DIR with config $1 on port $2, web root $3 (default the
# build's), against $REDIS_ADDR, with the environment systemd/observd.service sets
# (a variable set by the caller wins; tests/lib/unit_env.py); waits for /-/ready. Sets
# LAST_PID. ${OBSERVD_ENV[@]} may hold an `env VAR=...` prefix, which wins too.
start_observd() { # config port [webroot]
  local -a unit_env
  mapfile -t unit_env < <(python3 "$(dirname "${BASH_SOURCE[0]}")/../lib/unit_env.py")
  env "${unit_env[@]}" "${OBSERVD_ENV[@]}" "$BUILD_DIR/bin/observd" --config.file="$1" \
    --web.root="${3:-$BUILD_DIR/www}" --web.templates="$BUILD_DIR/templates" \
    --redis.addr="$REDIS_ADDR" --web.listen-address="127.0.0.1:$2" 2>>"$TMP/observd.log" &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  wait_http "http://127.0.0.1:$2/-/ready" || { tail -20 "$TMP/observd.log" >&2; return 1; }
}

# Reads one sample from a /metrics body on stdin: metric name with labels exactly as
# printed (e.g. 'x_sum{outcome="computed"}'); prints 0 when absent.
metric_value() { # name
  awk -v m="$1" '$1 == m {print $2; found = 1} END {if (!found) print 0}'
}
