#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions run indirectly through timed()
# tests/run.sh: THE test command (README and CI). On a fresh Debian 12 machine as
# root it installs the build and test dependencies, builds Release into build/ and
# an ASan+UBSan Debug build into build-asan/, runs every ctest label on build/ and
# the unit|redis labels on build-asan/, then the unit tests and the concurrent
# integration tests under ThreadSanitizer (build-tsan/) and a libFuzzer smoke run
# (clang, build-fuzz/), prints a summary, and exits non-zero if anything failed.
# Tests start every server they need themselves, on loopback.
#
# Usage: tests/run.sh [--quick] [--no-deps] [--jobs N] [-- extra ctest args]
#   --quick      skip the sanitizer, TSan and fuzz builds and runs (or OBSERVD_QUICK=1)
#   --no-deps    do not check/install Debian packages (or OBSERVD_NO_DEPS=1)
#   --jobs N     build and ctest parallelism (default: nproc)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2

QUICK="${OBSERVD_QUICK:-0}"
NO_DEPS="${OBSERVD_NO_DEPS:-0}"
JOBS="$(nproc 2>/dev/null || echo 2)"
CTEST_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-deps) NO_DEPS=1 ;;
    --jobs) JOBS="$2"; shift ;;
    --jobs=*) JOBS="${1#--jobs=}" ;;
    --) shift; CTEST_EXTRA=("$@"); break ;;
    -h|--help) sed -n "3,14p" "$0"; exit 0 ;;
    *) echo "tests/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

START=$(date +%s)
declare -a SUMMARY=()
FAILED=0

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
record() {  # record <step> <rc> [seconds]
  local status=PASS
  if [ "$2" -ne 0 ]; then status="FAIL (exit $2)"; FAILED=1; fi
  SUMMARY+=("$(printf '%-34s %-14s %5ss' "$1" "$status" "${3:-?}")")
}
skip() { SUMMARY+=("$(printf '%-34s %-14s' "$1" "SKIPPED: $2")"); }
timed() {  # timed <step> <command...>: runs, records, returns rc
  local step="$1"; shift
  local t0 rc
  t0=$(date +%s)
  "$@"; rc=$?
  record "$step" "$rc" "$(( $(date +%s) - t0 ))"
  return "$rc"
}

read_list() {  # package list file -> names, comments and blanks dropped
  sed -e 's/#.*//' -e 's/[[:space:]]\+$//' -e 's/^[[:space:]]\+//' "$1" | grep -v '^$'
}

# A package counts as present when dpkg has it, or when the command it provides is
# already on PATH from elsewhere (e.g. NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package).
satisfied() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  local cmd
  case "$1" in
    npm) cmd=npm ;;
    nodejs) cmd=node ;;
    python3) cmd=python3 ;;
    chromium) cmd=chromium ;;
    *) return 1 ;;
  esac
  command -v "$cmd" >/dev/null 2>&1
}

install_deps() {
  local build_list="$ROOT/packaging/deps-build.txt" test_list="$ROOT/tests/deps-test.txt"
  local -a pkgs=() missing=()
  if [ -f "$build_list" ]; then
    mapfile -t pkgs < <(read_list "$build_list")
  else
    pkgs=(build-essential cmake pkg-config git nodejs npm redis-server prometheus-cpp-dev
          libcivetweb-dev libhiredis-dev libspdlog-dev libyaml-cpp-dev
          libkainjow-mustache-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
          libcrypt-dev libgtest-dev libgmock-dev libbenchmark-dev)
  fi
  if [ -f "$test_list" ]; then
    mapfile -t -O "${#pkgs[@]}" pkgs < <(read_list "$test_list")
  fi
  local p
  for p in "${pkgs[@]}"; do
    if ! satisfied "$p"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all ${#pkgs[@]} Debian packages are installed"
    return 0
  fi
  echo "missing Debian packages: ${missing[*]}"
  local -a sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "not root and no sudo: install them by hand, or run with --no-deps" >&2
      return 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q || return 1
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
                 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  "${apt[@]}" "${missing[@]}" && return 0
  # One unavailable or conflicting package must not keep the others out.
  echo "installing all at once failed; trying one by one" >&2
  local -a failed=()
  for p in "${missing[@]}"; do
    "${apt[@]}" "$p" || failed+=("$p")
  done
  if [ ${#failed[@]} -ne 0 ]; then
    echo "could not install: ${failed[*]}" >&2
    return 1
  fi
}

build() {  # build <dir> <cmake args...>
  local dir="$1"; shift
  cmake -S "$ROOT" -B "$ROOT/$dir" "$@" && cmake --build "$ROOT/$dir" -j "$JOBS"
}

# ctest: -j for the many small unit tests; timing-sensitive tests are RUN_SERIAL.
run_ctest() {  # run_ctest <dir> [ctest args...]
  local dir="$1"; shift
  ctest --test-dir "$ROOT/$dir" --output-on-failure --no-tests=error -j "$JOBS" \
    --timeout 900 "$@" "${CTEST_EXTRA[@]}"
}

# ---------------------------------------------------------------- 1. dependencies
if [ "$NO_DEPS" = 1 ]; then
  skip "dependencies" "--no-deps"
else
  log "Debian packages"
  timed "dependencies" install_deps
fi

# ---------------------------------------------------------------- 2. builds
log "Release build (build/)"
if timed "build Release" build build -DCMAKE_BUILD_TYPE=Release -DOBSERVD_BUILD_TESTS=ON; then
  BUILD_OK=1; else BUILD_OK=0; fi

if [ "$QUICK" = 1 ]; then
  skip "build ASan+UBSan" "--quick"
  ASAN_OK=0
else
  log "ASan+UBSan build (build-asan/)"
  if timed "build ASan+UBSan" build build-asan -DOBSERVD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
       -DOBSERVD_BUILD_FRONTEND=OFF -DOBSERVD_BUILD_BENCH=OFF -DOBSERVD_BUILD_TESTS=ON; then
    ASAN_OK=1; else ASAN_OK=0; fi
fi

# ---------------------------------------------------------------- 3. tests
if [ "$BUILD_OK" = 1 ]; then
  log "ctest, all labels (build/)"
  timed "ctest Release (all labels)" run_ctest build
else
  skip "ctest Release (all labels)" "build failed"
fi

if [ "$QUICK" = 1 ]; then
  skip "ctest ASan+UBSan (unit|redis)" "--quick"
elif [ "$ASAN_OK" = 1 ]; then
  log "ctest under ASan+UBSan, labels unit|redis (build-asan/)"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  timed "ctest ASan+UBSan (unit|redis)" run_ctest build-asan -L 'unit|redis'
else
  skip "ctest ASan+UBSan (unit|redis)" "build failed"
fi

# ---------------------------------------------------------------- 3b. ThreadSanitizer
# g++ TSan over the unit tests (SnapshotCache single-flight runs threads) and the
# integration tests that drive observd's threads concurrently (request bursts, SSE
# streams, SIGHUP reloads, Redis going away). halt_on_error makes a
# report fail the test (observd exits 66, the harness wants 0); tests/fuzz/tsan.supp
# silences uninstrumented third-party frames only.
tsan_ctest() (  # subshell: TSAN_OPTIONS stays local to this step
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$ROOT/tests/fuzz/tsan.supp}"
  run_ctest build-tsan -L unit &&
    run_ctest build-tsan -R '^integration_(cache|sse|config|redis_availability)'
)
if [ "$QUICK" = 1 ]; then
  skip "build TSan" "--quick"
  skip "ctest TSan (unit, concurrent IT)" "--quick"
else
  log "ThreadSanitizer build (build-tsan/)"
  if timed "build TSan" build build-tsan -DOBSERVD_TSAN=ON -DCMAKE_BUILD_TYPE=Debug \
       -DOBSERVD_BUILD_FRONTEND=OFF -DOBSERVD_BUILD_BENCH=OFF -DOBSERVD_BUILD_TESTS=ON; then
    log "ctest under TSan: unit, concurrent integration tests (build-tsan/)"
    timed "ctest TSan (unit, concurrent IT)" tsan_ctest
  else
    skip "ctest TSan (unit, concurrent IT)" "build failed"
  fi
fi

# ---------------------------------------------------------------- 3c. fuzz smoke
# clang + libFuzzer + ASan/UBSan; only the fuzz targets are built. fuzz_smoke runs
# each target for 20 s on a copy of tests/fuzz/corpus/ (tests/fuzz/README.md).
fuzz_build() {  # only the fuzz targets (and the libraries they need)
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build-fuzz" -DOBSERVD_FUZZ=ON \
    -DOBSERVD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DOBSERVD_BUILD_FRONTEND=OFF \
    -DOBSERVD_BUILD_BENCH=OFF -DOBSERVD_BUILD_TESTS=ON &&
    cmake --build "$ROOT/build-fuzz" -j "$JOBS" --target observd_fuzz
}
if [ "$QUICK" = 1 ]; then
  skip "build fuzz (clang)" "--quick"
  skip "fuzz smoke" "--quick"
elif ! command -v clang++ >/dev/null 2>&1; then
  record "build fuzz (clang)" 1 0
  echo "clang++ not found: install clang (listed in tests/deps-test.txt)" >&2
  skip "fuzz smoke" "no clang++"
else
  log "libFuzzer build (build-fuzz/, clang)"
  if timed "build fuzz (clang)" fuzz_build; then
    log "fuzz smoke (build-fuzz/)"
    timed "fuzz smoke" run_ctest build-fuzz -L fuzz
  else
    skip "fuzz smoke" "build failed"
  fi
fi

# ---------------------------------------------------------------- 4. summary
echo
echo "==================== observd test summary ===================="
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  total: $(( $(date +%s) - START ))s"
if [ "$FAILED" -ne 0 ]; then
  echo "RESULT: FAILED (details above; failed ctest names are in build*/Testing/Temporary/LastTestsFailed.log)"
  for f in build/Testing/Temporary/LastTestsFailed.log build-asan/Testing/Temporary/LastTestsFailed.log \
           build-tsan/Testing/Temporary/LastTestsFailed.log build-fuzz/Testing/Temporary/LastTestsFailed.log; do
    [ -s "$f" ] && { echo "  $f:"; sed 's/^/    /' "$f"; }
  done
  exit 1
fi
echo "RESULT: PASSED"
exit 0
