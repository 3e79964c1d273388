#!/bin/bash
# check_unit.sh [OBSERVD_BIN] — checks systemd/observd.service, the replica template
# systemd/observd@.service (same directives, verify, config fallback) and the stunnel
# unit observd-redis-tunnel.service (directives, verify, exposure):
#   * the directives the daemon relies on are present (among them the environment that
#     turns glibc's per-thread malloc cache off: observd does not set it itself);
#   * `systemd-analyze verify` prints nothing (it exits 0 on warnings, so the
#     output is what counts). verify needs ExecStart's binary to exist, so a copy
#     of the unit in a temp dir points ExecStart at OBSERVD_BIN, /usr/bin/observd
#     or, failing both, /bin/true;
#   * `systemd-analyze security --offline=true` exposure is <= 1.0 (1.5 for the tunnel);
#   * the sysusers snippet parses.
# Single quotes on purpose: the literal $ARGS / $1 are what is checked or passed.
# pass() always succeeds, so "test && pass || fail" is an if/else here.
# shellcheck disable=SC2016,SC2015
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
unit=$src/systemd/observd.service
max_exposure=1.0
max_tunnel_exposure=1.5
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== required directives in $unit"
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30s' \
    'ExecStart=/usr/bin/observd --config.file=/etc/observd/observd.yml $ARGS' \
    'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' \
    'User=observd' 'Group=observd' 'EnvironmentFile=-/etc/default/observd' \
    'Environment=GLIBC_TUNABLES=glibc.malloc.tcache_count=0' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'WantedBy=multi-user.target' \
    'StateDirectory=observd' 'TemporaryFileSystem=/var/lib:ro'; do
  if grep -qxF -- "$line" "$unit"; then pass "$line"; else fail "missing: $line"; fi
done

echo "== systemd-analyze verify"
bin=${1:-}
if [[ -z $bin ]]; then
  if [[ -x /usr/bin/observd ]]; then bin=/usr/bin/observd; else bin=/bin/true; fi
fi
bin=$(readlink -f "$bin")
[[ -x $bin ]] || { fail "not executable: $bin"; exit 1; }
echo "ExecStart binary for verify: $bin"
sed "s#^ExecStart=/usr/bin/observd #ExecStart=$bin #" "$unit" > "$tmp/observd.service"
grep -q "^ExecStart=$bin " "$tmp/observd.service" || fail "could not rewrite ExecStart"
# verify loads units from the current directory too; run it from the temp dir.
out=$(cd "$tmp" && systemd-analyze verify "$tmp/observd.service" 2>&1) || true
if [[ -z $out ]]; then
  pass "verify printed nothing"
else
  fail "verify printed:"; printf '%s\n' "$out" | sed 's/^/    /'
fi

echo "== systemd-analyze security --offline=true"
sec=$(cd "$tmp" && systemd-analyze security --offline=true "$unit" 2>&1) || true
score=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [[ -z $score ]]; then
  fail "no exposure level in output:"; printf '%s\n' "$sec" | tail -5
elif awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s <= m) }'; then
  pass "exposure $score <= $max_exposure"
else
  fail "exposure $score > $max_exposure"
  printf '%s\n' "$sec" | grep '✗' || true
fi

echo "== template unit observd@.service (instance = port)"
tunit=$src/systemd/observd@.service
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30s' 'User=observd' \
    'EnvironmentFile=-/etc/default/observd' 'EnvironmentFile=-/etc/default/observd-%i' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'WantedBy=multi-user.target' \
    'StateDirectory=observd/%i'; do
  if grep -qxF -- "$line" "$tunit"; then pass "observd@: $line"; else fail "observd@: missing $line"; fi
done
# Everything but ExecStart must match the plain unit (one hardening list to review);
# each replica keeps its history in a state directory of its own (checked above).
if diff <(grep -v '^#\|^ExecStart=\|^Description=\|^EnvironmentFile=\|^StateDirectory=' "$unit") \
        <(grep -v '^#\|^ExecStart=\|^Description=\|^EnvironmentFile=\|^StateDirectory=' "$tunit") >"$tmp/diff"; then
  pass "observd@ has the same directives as observd.service"
else
  fail "observd@ differs from observd.service:"; sed 's/^/    /' "$tmp/diff"
fi
mkdir -p "$tmp/t"
cp "$tunit" "$tmp/t/observd@.service"
out=$(cd "$tmp/t" && systemd-analyze verify "$tmp/t/observd@9470.service" 2>&1) || true
if [[ -z $out ]]; then
  pass "verify observd@9470.service printed nothing"
else
  fail "verify observd@9470.service printed:"; printf '%s\n' "$out" | sed 's/^/    /'
fi
# Run ExecStart's shell with the instance 9470, /etc/observd moved to a temp dir and
# observd replaced by echo: it must pick the per-instance file, else the shared one.
script=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" "$tunit")
[[ -n $script ]] || fail "observd@: ExecStart is not /bin/sh -c '...'"
script=${script//%i/9470}
script=${script//\$\$/\$}
script=${script//\/etc\/observd/$tmp\/etc}
script=${script//\/usr\/bin\/observd/echo}
mkdir -p "$tmp/etc"
touch "$tmp/etc/observd.yml"
got=$(ARGS="--log.level=debug" sh -c "$script")
want="--config.file=$tmp/etc/observd.yml --web.listen-address=127.0.0.1:9470 --log.level=debug"
[[ $got == "$want" ]] && pass "observd@9470 falls back to the shared config" || fail "observd@9470 ran: $got"
touch "$tmp/etc/observd-9470.yml"
got=$(sh -c "$script")
want="--config.file=$tmp/etc/observd-9470.yml --web.listen-address=127.0.0.1:9470"
[[ $got == "$want" ]] && pass "observd@9470 uses observd-9470.yml when present" || fail "observd@9470 ran: $got"

echo "== sysusers snippet"
if systemd-sysusers --dry-run "$src/systemd/observd.sysusers" >"$tmp/sysusers.out" 2>&1 &&
   ! grep -qi 'error\|ignoring' "$tmp/sysusers.out"; then
  pass "systemd-sysusers --dry-run accepts observd.sysusers"
else
  fail "systemd-sysusers rejected observd.sysusers:"; cat "$tmp/sysusers.out"
fi

echo "== systemd/observd-redis-tunnel.service (stunnel recipe)"
tunnel=$src/systemd/observd-redis-tunnel.service
cp "$tunnel" "$tmp/"
for line in 'ExecStart=/usr/bin/stunnel4 /etc/observd/redis-tunnel.conf' \
    'ConditionPathExists=/etc/observd/redis-tunnel.conf' 'Before=observd.service' \
    'WantedBy=observd.service' 'DynamicUser=yes'; do
  if grep -qxF -- "$line" "$tunnel"; then pass "$line"; else fail "missing: $line"; fi
done
if [[ -x /usr/bin/stunnel4 ]]; then
  out=$(cd "$tmp" && systemd-analyze verify "$tmp/observd-redis-tunnel.service" 2>&1) || true
  if [[ -z $out ]]; then pass "verify printed nothing"
  else fail "verify printed:"; printf '%s\n' "$out" | sed 's/^/    /'; fi
else
  echo "SKIP: verify needs /usr/bin/stunnel4 (apt install stunnel4)"
fi
sec=$(cd "$tmp" && systemd-analyze security --offline=true "$tunnel" 2>&1) || true
score=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [[ -n $score ]] && awk -v s="$score" -v m="$max_tunnel_exposure" 'BEGIN { exit !(s <= m) }'; then
  pass "tunnel exposure $score <= $max_tunnel_exposure"
else
  fail "tunnel exposure ${score:-unknown} > $max_tunnel_exposure"
fi

if ((failures)); then echo "check_unit: $failures failure(s)"; exit 1; fi
echo "check_unit: OK"
