#!/usr/bin/env bash
# quickstart.sh: from a fresh Debian 12 checkout to live observd dashboards in one command.
# Installs the missing build packages, builds a Release tree, starts a private throw-away
# Redis on a free loopback port plus observd-demo writing realistic traffic into it, then
# runs observd in the foreground. Ctrl-C (or any exit) stops everything it started and
# removes its temporary directory.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: packaging/quickstart.sh [OPTIONS] [OBSERVD FLAGS...]

Builds observd and runs it against a private Redis filled with live demo traffic.

Options:
  --no-build            use the existing build (BUILD_DIR) instead of configuring/building
  --no-deps             do not check or install Debian packages
  --no-demo             do not start observd-demo
  --redis.addr=ADDR     use this Redis instead of starting a private one (passed to observd
                        and observd-demo; observd-demo WRITES demo keys there, so point it
                        at a scratch database or add --no-demo)
  --redis.password-file=FILE
                        passed to observd and observd-demo
  -h, --help            this text

Every other argument goes to observd unchanged, e.g. --web.listen-address=127.0.0.1:9500
or --log.level=debug. observd's default config file /etc/observd/observd.yml may be absent.

Environment:
  BUILD_DIR             build tree, relative to the repository or absolute (default: build)

Steps: (1) apt-get install the packages in packaging/deps-build.txt that are missing (via
sudo when not root); (2) cmake Release build into BUILD_DIR; (3) redis-server --save ''
--appendonly no on a free 127.0.0.1 port with its files in a temporary directory;
(4) observd-demo --backfill 3000 --rate 2 in the background (log in the temp dir);
(5) observd in the foreground, with the environment systemd/observd.service sets
(GLIBC_TUNABLES=glibc.malloc.tcache_count=0 unless already set). Ctrl-C stops all of them.
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}

log() { printf 'quickstart: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# ---------------------------------------------------------------- arguments
NO_BUILD=0 NO_DEPS=0 NO_DEMO=0
REDIS_ADDR="" PASSWORD_FILE=""
LISTEN="127.0.0.1:9469"
OBSERVD_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --no-build) NO_BUILD=1 ;;
    --no-deps) NO_DEPS=1 ;;
    --no-demo) NO_DEMO=1 ;;
    --redis.addr=*) REDIS_ADDR=${1#*=} ;;
    --redis.addr) [ $# -ge 2 ] || die "--redis.addr needs a value"; REDIS_ADDR=$2; shift ;;
    --redis.password-file=*) PASSWORD_FILE=${1#*=} ;;
    --redis.password-file)
      [ $# -ge 2 ] || die "--redis.password-file needs a value"; PASSWORD_FILE=$2; shift ;;
    --web.listen-address=*) LISTEN=${1#*=}; OBSERVD_ARGS+=("$1") ;;
    --web.listen-address)
      [ $# -ge 2 ] || die "--web.listen-address needs a value"
      LISTEN=$2; OBSERVD_ARGS+=("$1" "$2"); shift ;;
    *) OBSERVD_ARGS+=("$1") ;;
  esac
  shift
done

# ---------------------------------------------------------------- cleanup
TMP_DIR="" REDIS_PID="" DEMO_PID="" OBSERVD_PID=""

# shellcheck disable=SC2317  # reached through the EXIT trap only.
stop_pid() {  # stop_pid <pid>: TERM, wait up to 10 s, then KILL.
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # reached through the EXIT trap only.
cleanup() {
  local rc=$?
  trap - EXIT HUP INT TERM
  if [ -n "$OBSERVD_PID$DEMO_PID$REDIS_PID" ]; then log "stopping"; fi
  stop_pid "$OBSERVD_PID"
  stop_pid "$DEMO_PID"
  stop_pid "$REDIS_PID"
  if [ -n "$TMP_DIR" ]; then rm -rf -- "$TMP_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- (1) packages
# shellcheck source-path=SCRIPTDIR source=deps.sh
source "$ROOT/packaging/deps.sh"
if [ "$NO_DEPS" -eq 0 ]; then
  install_deps "$ROOT/packaging/deps-build.txt" || die "could not install the build packages"
fi

# ---------------------------------------------------------------- (2) build
case "$BUILD_DIR" in
  /*) ;;
  *) BUILD_DIR="$ROOT/$BUILD_DIR" ;;
esac
if [ "$NO_BUILD" -eq 0 ]; then
  log "building Release into $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DOBSERVD_BUILD_TESTS=OFF
  cmake --build "$BUILD_DIR" -j"$(nproc)"
fi
OBSERVD="$BUILD_DIR/bin/observd"
DEMO="$BUILD_DIR/bin/observd-demo"
[ -x "$OBSERVD" ] || die "$OBSERVD not found (build first, or drop --no-build)"
if [ "$NO_DEMO" -eq 0 ] && [ ! -x "$DEMO" ]; then die "$DEMO not found"; fi

TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/observd-quickstart.XXXXXX")

# ---------------------------------------------------------------- (3) private Redis
port_in_use() {  # a connect test first: cheap, and skips ports something listens on.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts redis-server on <port>; returns 0 once it answers PING, 2 if the port was taken
# (the bind is the real test: nothing can grab the port between check and use), 1 else.
start_redis() {
  local port=$1 deadline=$((SECONDS + 15))
  # setsid: Ctrl-C reaches only observd; cleanup stops the rest in order, Redis last.
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$TMP_DIR" --logfile "$TMP_DIR/redis.log" --daemonize no </dev/null &
  REDIS_PID=$!
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$REDIS_PID" 2>/dev/null; then
      wait "$REDIS_PID" 2>/dev/null || true
      REDIS_PID=""
      if grep -qi 'address already in use' "$TMP_DIR/redis.log" 2>/dev/null; then return 2; fi
      return 1
    fi
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; then return 0; fi
    sleep 0.1
  done
  log "redis-server did not answer PING within 15 s"
  return 1
}

if [ -z "$REDIS_ADDR" ]; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server not installed"
  port="" rc=0
  for ((try = 0; try < 20; try++)); do
    candidate=$((20000 + RANDOM % 40000))
    if port_in_use "$candidate"; then continue; fi
    : >"$TMP_DIR/redis.log"
    rc=0
    start_redis "$candidate" || rc=$?
    if [ "$rc" -eq 0 ]; then port=$candidate; break; fi
    [ "$rc" -eq 2 ] || { cat "$TMP_DIR/redis.log" >&2; die "redis-server failed to start"; }
  done
  [ -n "$port" ] || die "no free loopback port for redis-server after 20 tries"
  REDIS_ADDR="redis://127.0.0.1:$port/0"
  log "private Redis at $REDIS_ADDR (pid $REDIS_PID, discarded on exit)"
else
  log "using Redis at $REDIS_ADDR"
  if [ "$NO_DEMO" -eq 0 ]; then
    log "note: observd-demo will write demo keys into it (use --no-demo to leave it alone)"
  fi
fi

REDIS_FLAGS=("--redis.addr=$REDIS_ADDR")
if [ -n "$PASSWORD_FILE" ]; then REDIS_FLAGS+=("--redis.password-file=$PASSWORD_FILE"); fi

# ---------------------------------------------------------------- (4) demo traffic
if [ "$NO_DEMO" -eq 0 ]; then
  setsid "$DEMO" "${REDIS_FLAGS[@]}" --backfill 3000 --rate 2 </dev/null >"$TMP_DIR/demo.log" 2>&1 &
  DEMO_PID=$!
  sleep 1
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then
    cat "$TMP_DIR/demo.log" >&2
    DEMO_PID=""
    die "observd-demo exited early"
  fi
  log "observd-demo writing 3000 historic uploads, then 2/s (pid $DEMO_PID, log $TMP_DIR/demo.log)"
fi

# ---------------------------------------------------------------- (5) observd
host=${LISTEN%:*} web_port=${LISTEN##*:}
case "$host" in "" | 0.0.0.0 | "*") host=127.0.0.1 ;; esac
base="http://$host:$web_port"
cat >&2 <<EOF

  observd:        $base/
  observability:  $base/dashboard/observability
  uploads:        $base/dashboard/uploads
  metrics:        $base/metrics

  Press Ctrl-C to stop everything this script started.

EOF
# In the background + wait, so that Ctrl-C runs the trap at once instead of after
# observd exits; to the user it behaves like a foreground process.
# The site and templates are built into the binary: no --web.root/--web.templates needed.
# observd gets the environment systemd/observd.service sets (its Environment= lines, one
# VAR=value each: glibc's per-thread malloc cache off, see /etc/default/observd); a
# variable already set in this shell wins.
UNIT_ENV=()
while IFS= read -r assignment; do
  name=${assignment%%=*}
  if [ -z "${!name+set}" ]; then UNIT_ENV+=("$assignment"); fi
done < <(sed -n 's/^Environment=//p' "$ROOT/systemd/observd.service")
# Like the unit's StateDirectory=: history.path's default ($STATE_DIRECTORY/history.db)
# lands in this run's temporary directory, removed at exit.
UNIT_ENV+=("STATE_DIRECTORY=$TMP_DIR")
env "${UNIT_ENV[@]}" "$OBSERVD" "${REDIS_FLAGS[@]}" "${OBSERVD_ARGS[@]}" </dev/null &
OBSERVD_PID=$!
rc=0
wait "$OBSERVD_PID" || rc=$?
OBSERVD_PID=""
log "observd exited with status $rc"
exit "$rc"
