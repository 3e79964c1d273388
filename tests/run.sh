#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions run indirectly through timed()
# tests/run.sh: THE test command (README; CI runs it with --full through .ci/run). On a
# fresh Debian 12 machine as root it installs the missing build and test packages,
# builds Release into build/ and runs every ctest label there (unit, redis, browser,
# packaging, capacity, the micro-benchmark pass; --full adds the bench/soak smoke runs, labelled "full"), then
# prints a summary with the ten slowest tests (and, above it, the last lines of each
# failed test).
# Tests start every server they need themselves, on loopback.
#
# Usage: tests/run.sh [--full | --quick] [--no-deps] [--jobs N] [-- extra ctest args]
#   (default)    Release build + every ctest label but "full": unit, redis, browser,
#                packaging, the short capacity check, bench_micro_smoke (2 cores: ~4-5 min build
#                without ccache, ~2.5 min of tests; 159 s in all after a one-line change)
#   --full       also the "full" tests (bench_smoke, soak_short), ASan+UBSan (build-asan/:
#                unit|redis), TSan (build-tsan/: unit and the concurrent integration tests)
#                and the libFuzzer smoke (build-fuzz/, clang); what CI runs (or
#                OBSERVD_FULL=1)                                (~27 min on 2 cores in CI)
#   --quick      Release build + the server-free unit label only, for the edit loop
#                (or OBSERVD_QUICK=1)                  (<= 3 min after a small change)
#   --no-deps    do not check/install Debian packages (or OBSERVD_NO_DEPS=1)
#   --jobs N     build parallelism, and ctest's in the sanitizer builds (default: nproc)
#   --test-jobs N  ctest parallelism of the Release tests (default: 3 x nproc: they mostly
#                wait on servers and real time; measured 28 % busy at -j2)
# Builds use Ninja and ccache when installed (both in tests/deps-test.txt).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2

FULL="${OBSERVD_FULL:-0}"
QUICK="${OBSERVD_QUICK:-0}"
NO_DEPS="${OBSERVD_NO_DEPS:-0}"
JOBS="$(nproc 2>/dev/null || echo 2)"
TEST_JOBS=""
CTEST_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --quick) QUICK=1 ;;
    --no-deps) NO_DEPS=1 ;;
    --jobs) JOBS="$2"; shift ;;
    --jobs=*) JOBS="${1#--jobs=}" ;;
    --test-jobs) TEST_JOBS="$2"; shift ;;
    --test-jobs=*) TEST_JOBS="${1#--test-jobs=}" ;;
    --) shift; CTEST_EXTRA=("$@"); break ;;
    -h|--help) sed -n "3,25p" "$0"; exit 0 ;;
    *) echo "tests/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
TEST_JOBS="${TEST_JOBS:-$((3 * JOBS))}"
if [ "$FULL" = 1 ] && [ "$QUICK" = 1 ]; then
  echo "tests/run.sh: --full and --quick exclude each other" >&2; exit 2
fi

START=$(date +%s)
declare -a SUMMARY=()
FAILED=0
# Each ctest run writes <dir>/Testing/observd-junit-<n>.xml; the summary reads them all.
rm -f "$ROOT"/build*/Testing/observd-junit-*.xml

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

# install_deps: the Debian packages of the lists it is given (packaging/deps.sh, shared
# with the quick start).
# shellcheck source-path=SCRIPTDIR source=../packaging/deps.sh
source "$ROOT/packaging/deps.sh"

# ccache (when installed; the top-level CMakeLists.txt picks it up) keys on paths
# relative to the checkout, so another clone of the same tree hits the same cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"

build() {  # build <dir> [--target <t>...] -- <cmake args...>
  local dir="$1"; shift
  local -a targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
  shift
  local -a gen=()
  # Ninja when installed, for a build directory not yet configured with another generator.
  if [ ! -f "$ROOT/$dir/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
    gen=(-G Ninja)
  fi
  cmake -S "$ROOT" -B "$ROOT/$dir" "${gen[@]}" "$@" &&
    cmake --build "$ROOT/$dir" -j "$JOBS" "${targets[@]}"
}

# ctest -j: tests that start servers pick free loopback ports; the few that must not
# share the machine say so with RESOURCE_LOCK / PROCESSORS in their CMake rows.
# CTEST_JOBS: -j of this call (the Release run sets TEST_JOBS; sanitizer builds, CPU
# bound, keep JOBS).
run_ctest() {  # run_ctest <dir> [ctest args...]
  local dir="$1"; shift
  local n=1
  mkdir -p "$ROOT/$dir/Testing"
  while [ -e "$ROOT/$dir/Testing/observd-junit-$n.xml" ]; do n=$((n + 1)); done
  local junit="$ROOT/$dir/Testing/observd-junit-$n.xml"
  : >"$junit"
  ctest --test-dir "$ROOT/$dir" --output-on-failure --no-tests=error -j "${CTEST_JOBS:-$JOBS}" \
    --timeout 900 --output-junit "$junit" "$@" "${CTEST_EXTRA[@]}"
}

# The summary's test part: the ten slowest tests and one "N passed, N failed" line over
# every ctest run of this invocation, read from their JUnit files.
test_report() {
  python3 - "$ROOT"/build*/Testing/observd-junit-*.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET
rows, passed, failed, skipped = [], 0, 0, 0
for path in sys.argv[1:]:
    tag = path.split("/")[-3]
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        t = float(case.get("time") or 0)
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            skipped += 1
        else:
            passed += 1
        rows.append((t, tag, case.get("name")))
rows.sort(reverse=True)
if rows:
    print("  slowest tests:")
    for t, tag, name in rows[:10]:
        flag = "  (over 30 s: see its CMake row)" if t > 30 else ""
        print("    %7.1fs  %-11s %s%s" % (t, tag, name, flag))
print("ctest: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
EOF
}

# What a failed test printed last (25 lines each, the first four failures), from the same
# JUnit files: printed just above the summary, so a log cut to its tail (CI) still says why.
failure_excerpts() {
  python3 - "$ROOT"/build*/Testing/observd-junit-*.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET
shown = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for case in root.iter("testcase"):
        if case.find("failure") is None and case.find("error") is None:
            continue
        shown += 1
        if shown > 4:
            continue
        out = (case.findtext("system-out") or "").rstrip().splitlines()
        print("---- failed: %s (%s), its last lines:" % (case.get("name"), path.split("/")[-3]))
        for line in out[-25:]:
            print("  | " + line[:300])
if shown > 4:
    print("---- and %d more failed tests (output above)" % (shown - 4))
EOF
}

if [ "$FULL" = 1 ]; then MODE=full; elif [ "$QUICK" = 1 ]; then MODE=quick; else MODE=default; fi

# ---------------------------------------------------------------- 1. dependencies
if [ "$NO_DEPS" = 1 ]; then
  skip "dependencies" "--no-deps"
else
  log "Debian packages"
  timed "dependencies" install_deps "$ROOT/packaging/deps-build.txt" "$ROOT/tests/deps-test.txt"
fi

# ---------------------------------------------------------------- 2. Release
log "Release build (build/)"
if timed "build Release" build build -- -DCMAKE_BUILD_TYPE=Release -DOBSERVD_BUILD_TESTS=ON; then
  if [ "$QUICK" = 1 ]; then
    log "ctest, label unit (build/; --quick)"
    CTEST_JOBS=$TEST_JOBS timed "ctest Release (unit)" run_ctest build -L unit
  else
    if [ "$FULL" = 1 ]; then
      log "ctest, all labels (build/)"
      CTEST_JOBS=$TEST_JOBS timed "ctest Release (all labels)" run_ctest build
    else
      # Label "full" (the benchmark and soak smoke runs: load on both cores) is --full's.
      log "ctest, all labels but full (build/)"
      CTEST_JOBS=$TEST_JOBS timed "ctest Release (all but full)" run_ctest build -LE '^full$'
    fi
  fi
else
  skip "ctest Release" "build failed"
fi

# ---------------------------------------------------------------- 3. sanitizers (--full)
# The sanitizer builds compile only what their tests run: observd_test_binaries
# (tests/CMakeLists.txt) = the unit test executables, observd and observd-demo.
SAN_ARGS=(-DCMAKE_BUILD_TYPE=Debug -DOBSERVD_BUILD_FRONTEND=OFF -DOBSERVD_BUILD_BENCH=OFF
          -DOBSERVD_BUILD_TESTS=ON)
if [ "$FULL" != 1 ]; then
  skip "ASan+UBSan, TSan, fuzz" "--full only"
else
  log "ASan+UBSan build (build-asan/)"
  if timed "build ASan+UBSan" build build-asan --target observd_test_binaries -- \
       -DOBSERVD_SANITIZE=ON "${SAN_ARGS[@]}"; then
    log "ctest under ASan+UBSan, labels unit|redis (build-asan/)"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    timed "ctest ASan+UBSan (unit|redis)" run_ctest build-asan -L 'unit|redis'
  else
    skip "ctest ASan+UBSan (unit|redis)" "build failed"
  fi

  # g++ TSan over the unit tests (SnapshotCache single-flight runs threads) and the
  # integration tests that drive observd's threads concurrently (request bursts, SSE
  # streams, SIGHUP reloads, Redis going away). halt_on_error makes a report fail the
  # test (observd exits 66, the harness wants 0); tests/fuzz/tsan.supp silences
  # uninstrumented third-party frames only.
  tsan_ctest() (  # subshell: TSAN_OPTIONS stays local to this step
    export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$ROOT/tests/fuzz/tsan.supp}"
    run_ctest build-tsan -L unit &&
      run_ctest build-tsan -R '^integration_(cache|sse|config|redis_availability)'
  )
  log "ThreadSanitizer build (build-tsan/)"
  if timed "build TSan" build build-tsan --target observd_test_binaries -- \
       -DOBSERVD_TSAN=ON "${SAN_ARGS[@]}"; then
    log "ctest under TSan: unit, concurrent integration tests (build-tsan/)"
    timed "ctest TSan (unit, concurrent IT)" tsan_ctest
  else
    skip "ctest TSan (unit, concurrent IT)" "build failed"
  fi

  # clang + libFuzzer + ASan/UBSan; only the fuzz targets are built. fuzz_smoke runs
  # each target for 20 s on a copy of tests/fuzz/corpus/ (tests/fuzz/README.md).
  if ! command -v clang++ >/dev/null 2>&1; then
    record "build fuzz (clang)" 1 0
    echo "clang++ not found: install clang (listed in tests/deps-test.txt)" >&2
    skip "fuzz smoke" "no clang++"
  else
    log "libFuzzer build (build-fuzz/, clang)"
    fuzz_build() { CC=clang CXX=clang++ build build-fuzz --target observd_fuzz -- \
                     -DOBSERVD_FUZZ=ON -DOBSERVD_SANITIZE=ON "${SAN_ARGS[@]}"; }
    if timed "build fuzz (clang)" fuzz_build; then
      log "fuzz smoke (build-fuzz/)"
      timed "fuzz smoke" run_ctest build-fuzz -L fuzz
    else
      skip "fuzz smoke" "build failed"
    fi
  fi
fi

# ---------------------------------------------------------------- 4. summary
[ "$FAILED" -ne 0 ] && failure_excerpts
echo
echo "==================== observd test summary ($MODE) ===================="
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  total: $(( $(date +%s) - START ))s"
test_report
if [ "$FAILED" -ne 0 ]; then
  echo "RESULT: FAILED (details above; failed ctest names are in build*/Testing/Temporary/LastTestsFailed.log)"
  for f in build build-asan build-tsan build-fuzz; do
    f="$f/Testing/Temporary/LastTestsFailed.log"
    [ -s "$f" ] && { echo "  $f:"; sed 's/^/    /' "$f"; }
  done
  exit 1
fi
echo "RESULT: PASSED"
exit 0
