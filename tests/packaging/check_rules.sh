#!/bin/bash
# check_rules.sh — checks the Prometheus files under packaging/prometheus/:
#   * promtool check rules observd-alerts.yml (syntax, templates);
#   * promtool test rules observd-alerts.test.yml (each alert firing and not);
#   * promtool check/test rules observd-rules.yml (replica aggregation, no double count);
#   * promtool check config on a minimal prometheus.yml made of a global
#     section, rule_files: [observd-alerts.yml] and the shipped scrape example.
# Single quotes on purpose: the literal $ARGS / $1 are what is checked or passed.
# shellcheck disable=SC2016
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prom=$(cd "$here/../../packaging/prometheus" && pwd)
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {  # run DESCRIPTION CMD...: prints the command's output only on failure.
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; printf '%s\n' "$out" | sed 's/^/    /'; fi
}

command -v promtool >/dev/null || { echo "FAIL: promtool not found (apt install prometheus)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== alert rules"
run "promtool check rules observd-alerts.yml" promtool check rules "$prom/observd-alerts.yml"
# The test file names its rule file relatively: run from its directory.
run "promtool test rules observd-alerts.test.yml" \
  bash -c 'cd "$1" && promtool test rules observd-alerts.test.yml' _ "$prom"

echo "== recording rules for replicas"
run "promtool check rules observd-rules.yml" promtool check rules "$prom/observd-rules.yml"
run "promtool test rules observd-rules.test.yml" \
  bash -c 'cd "$1" && promtool test rules observd-rules.test.yml' _ "$prom"
if grep -q 'sum without (instance) *(observd_app' "$prom/observd-rules.yml"; then
  fail "observd_app_* must not be summed over replicas"
else pass "no sum over replicas of observd_app_*"; fi

for alert in ObservdDown ObservdRedisDown ObservdSnapshotStale ObservdCacheHitRatioLow ObservdRedisLatencyHigh; do
  if grep -q "alert: $alert\$" "$prom/observd-alerts.yml" &&
     grep -q "name: $alert\$" "$prom/observd-alerts.test.yml"; then
    pass "$alert has a rule and a test"
  else
    fail "$alert lacks a rule or a test"
  fi
done

echo "== scrape config"
cp "$prom/observd-alerts.yml" "$prom/observd-rules.yml" "$tmp/"
{
  printf 'global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\n'
  printf 'rule_files:\n  - observd-alerts.yml\n  - observd-rules.yml\n'
  cat "$prom/observd.yml"
} > "$tmp/prometheus.yml"
run "promtool check config (global + rule_files + observd.yml)" promtool check config "$tmp/prometheus.yml"
if grep -q 'job_name: observd$' "$prom/observd.yml"; then pass "scrape job is named observd (the rules select on it)"
else fail "scrape job must be named observd"; fi

if ((failures)); then echo "check_rules: $failures failure(s)"; exit 1; fi
echo "check_rules: OK"
