#!/bin/bash
# run_all.sh BUILD_DIR — runs every packaging check against a built tree and
# prints "N passed, N failed". Exits non-zero when any check fails.
set -uo pipefail

build=$(cd "${1:?usage: run_all.sh BUILD_DIR}" && pwd) || exit 2
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bin/observd
passed=0
failed=0
failed_names=()

run() {
  local name=$1; shift
  echo "################ $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failed_names+=("$name")
  fi
  echo
}

run check_unit    "$here/check_unit.sh" "$bin"
run check_rules   "$here/check_rules.sh"
run check_grafana "$here/check_grafana.py"
run check_notify  "$here/check_notify.py" "$bin"
run check_nginx   "$here/check_nginx.sh" "$build/bin"
run check_tls     "$here/check_tls.sh" "$build/bin"
run check_deb     "$here/check_deb.sh" "$build"

echo "$passed passed, $failed failed${failed_names:+ (${failed_names[*]})}"
((failed == 0))
