#!/usr/bin/env bash
# tests/fuzz/run_fuzz.sh BUILD_DIR SECONDS [TARGET...]: runs each libFuzzer target
# (default: all six) for SECONDS on a temporary copy of its seed corpus, so the repo's
# corpus is never modified. Fails if any target crashes, leaks, times out or breaks a
# FUZZ_CHECK; the reproducer is kept in a printed artifacts folder.
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$1"; SECONDS_EACH="$2"; shift 2
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(config snapshot render query sanitize grammars)

# True when the run stopped only on timeouts that do not reproduce: on a loaded
# machine (CI runners, shared cores) a starved unit can pass -timeout's wall clock.
# Each timeout input is re-run alone with the same limit; a real hang fails again.
spurious_timeout() {  # spurious_timeout <exe> <target work dir>
  local exe="$1" dir="$2" a
  grep -q 'ERROR: libFuzzer: timeout' "$dir/log" || return 1
  for a in "$dir"/artifacts/*; do
    case "$(basename "$a")" in timeout-*) ;; *) return 1 ;; esac
    "$exe" -timeout=5 -rss_limit_mb=2048 "$a" >>"$dir/rerun.log" 2>&1 || return 1
  done
  echo "  fuzz_$(basename "$dir"): a timeout under load did not reproduce (${a##*/}); not a hang"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/observd-fuzz.XXXXXX")"
FAILED=()
for t in "${TARGETS[@]}"; do
  exe="$BUILD/bin/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "fuzz_$t: $exe not built" >&2
    FAILED+=("$t"); continue
  fi
  mkdir -p "$WORK/$t/corpus" "$WORK/$t/artifacts"
  cp -r "$HERE/corpus/$t/." "$WORK/$t/corpus/" 2>/dev/null
  echo "==> fuzz_$t for ${SECONDS_EACH}s"
  # Leak checks stay on (ASan's default); -timeout makes a hang a failure too.
  if "$exe" "$WORK/$t/corpus" -max_total_time="$SECONDS_EACH" -timeout=5 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$WORK/$t/artifacts/" >"$WORK/$t/log" 2>&1 ||
     spurious_timeout "$exe" "$WORK/$t"; then
    grep -E '^stat::number_of_executed_units|^Done ' "$WORK/$t/log" | sed "s/^/  fuzz_$t: /"
    rm -rf "${WORK:?}/$t"
  else
    echo "fuzz_$t FAILED; log tail and reproducer(s) in $WORK/$t:" >&2
    tail -n 60 "$WORK/$t/log" >&2
    ls -l "$WORK/$t/artifacts" >&2
    FAILED+=("$t")
  fi
done

if [ ${#FAILED[@]} -ne 0 ]; then
  echo "fuzz targets failed: ${FAILED[*]} (reproduce: \$BUILD/bin/fuzz_<t> <artifact>)" >&2
  exit 1
fi
rmdir "$WORK" 2>/dev/null
echo "all fuzz targets ran clean"
