#!/bin/bash
# check_deb.sh BUILD_DIR — builds the .deb with `cpack -G DEB` from an already
# built BUILD_DIR (into a temp dir) and checks it: file name, contents, control
# fields (shlibdeps Depends), conffiles, maintainer script modes, lintian (no E:),
# and that the packaged observd accepts the packaged config (--check-config).
# pass() always succeeds, so "test && pass || fail" is an if/else here.
# shellcheck disable=SC2015
set -euo pipefail

build=${1:?usage: check_deb.sh BUILD_DIR}
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== cpack -G DEB in $build"
if ! (cd "$build" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1; then
  fail "cpack failed:"; tail -20 "$tmp/cpack.log"; exit 1
fi
shopt -s nullglob
debs=("$tmp"/out/*.deb)
if ((${#debs[@]} != 1)); then fail "expected one .deb, got: ${debs[*]:-none}"; exit 1; fi
deb=${debs[0]}
name=$(basename "$deb")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
if [[ $name == "observd_${version}_${arch}.deb" ]]; then pass "file name $name"
else fail "file name $name, expected observd_${version}_${arch}.deb"; fi

echo "== control fields"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == observd ]] && pass "Package: observd" || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] && pass "Version: $version" || fail "Version: $(field Version)"
depends=$(field Depends)
echo "Depends: $depends"
if [[ $depends == *libc6* ]]; then pass "Depends has shlibdeps libraries"; else fail "Depends lacks shlibdeps output"; fi
if [[ $depends == *adduser* ]]; then pass "Depends has adduser (postinst)"; else fail "Depends lacks adduser"; fi
for f in Maintainer Description Section Priority; do
  [[ -n $(field $f) ]] && pass "$f set" || fail "$f missing"
done

echo "== contents"
dpkg-deb -c "$deb" > "$tmp/contents"
awk '{print $6}' "$tmp/contents" | sed 's#^\./#/#' > "$tmp/paths"
for path in \
    /usr/bin/observd \
    /etc/observd/observd.yml \
    /etc/default/observd \
    /lib/systemd/system/observd.service \
    /lib/systemd/system/observd-redis-tunnel.service \
    /lib/systemd/system/observd@.service \
    /usr/lib/sysusers.d/observd.conf \
    /usr/share/man/man1/observd.1.gz \
    /usr/share/doc/observd/copyright \
    /usr/share/doc/observd/changelog.Debian.gz \
    /usr/share/doc/observd/README.Debian \
    /usr/share/doc/observd/examples/nginx-observd.conf \
    /usr/share/doc/observd/examples/prometheus-observd.yml \
    /usr/share/doc/observd/examples/observd-alerts.yml \
    /usr/share/doc/observd/examples/observd-alerts.test.yml \
    /usr/share/doc/observd/examples/observd-rules.yml \
    /usr/share/doc/observd/examples/observd-rules.test.yml \
    /usr/share/doc/observd/examples/grafana-observd.json \
    /usr/share/doc/observd/examples/web-config.example.yml \
    /usr/share/doc/observd/examples/stunnel/observd-redis-tunnel.conf \
    /usr/share/observd/www/ \
    /usr/share/observd/templates/; do
  if grep -qxF "$path" "$tmp/paths"; then pass "contains $path"; else fail "missing $path"; fi
done
for dir in www templates; do
  n=$(grep -c "^/usr/share/observd/$dir/.*[^/]\$" "$tmp/paths" || true)
  ((n > 0)) && pass "/usr/share/observd/$dir has $n files" || fail "/usr/share/observd/$dir is empty"
done
if awk '$2 != "root/root"' "$tmp/contents" | grep -q .; then
  fail "files not owned by root/root:"; awk '$2 != "root/root"' "$tmp/contents"
else pass "every file owned by root/root"; fi
if grep -q '^l' "$tmp/contents"; then fail "contains symlinks:"; grep '^l' "$tmp/contents"
else pass "no symlinks"; fi

echo "== control archive"
dpkg-deb -e "$deb" "$tmp/control"
printf '/etc/observd/observd.yml\n/etc/default/observd\n' > "$tmp/want-conffiles"
if diff <(sort "$tmp/control/conffiles") <(sort "$tmp/want-conffiles") >/dev/null; then
  pass "conffiles list exactly the two files"
else fail "conffiles:"; cat "$tmp/control/conffiles"; fi
[[ $(stat -c %a "$tmp/control/conffiles") == 644 ]] && pass "conffiles mode 0644" || fail "conffiles mode $(stat -c %a "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
  if [[ -f $tmp/control/$s && $(stat -c %a "$tmp/control/$s") == 755 ]]; then
    pass "$s present, mode 0755"
  else fail "$s missing or not 0755"; fi
  sh -n "$tmp/control/$s" && pass "$s parses (sh -n)" || fail "$s: syntax error"
done
# Join backslash-continued lines before looking for the adduser call.
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$tmp/control/postinst" | grep -q 'adduser .*--system .*observd' && pass "postinst creates the observd system user" || fail "postinst does not create observd"
grep -q 'deb-systemd-helper enable' "$tmp/control/postinst" && pass "postinst enables the unit" || fail "postinst does not enable the unit"
if grep -nE '(sed|>|tee|cp|mv|rm) [^#]*/etc/(observd|default)' "$tmp/control"/p*; then
  fail "maintainer scripts seem to edit conffiles"
else pass "maintainer scripts leave conffiles alone"; fi

echo "== lintian"
lintian --tag-display-limit 0 "$deb" > "$tmp/lintian" 2>&1 || true
sed 's/^/    /' "$tmp/lintian"
if grep -q '^E:' "$tmp/lintian"; then fail "lintian reports errors"; else pass "lintian: no E: lines ($(grep -c '^W:' "$tmp/lintian" || true) warnings)"; fi

echo "== extracted package"
dpkg-deb -x "$deb" "$tmp/root"
if cmp -s "$tmp/root/lib/systemd/system/observd.service" "$src/systemd/observd.service"; then
  pass "packaged unit matches systemd/observd.service"
else fail "packaged unit differs from systemd/observd.service"; fi
grep -q '^ARGS=""$' "$tmp/root/etc/default/observd" && pass '/etc/default/observd sets ARGS=""' || fail '/etc/default/observd lacks ARGS=""'
[[ $(gzip -dc "$tmp/root/usr/share/doc/observd/changelog.Debian.gz" | head -c 9) == "observd (" ]] && pass "changelog.Debian.gz is a gzipped Debian changelog" || fail "bad changelog.Debian.gz"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$tmp/root/usr/share/doc/observd/copyright" && pass "copyright is machine-readable" || fail "copyright lacks Format:"
for key in 'root: ""' 'templates: ""' 'addr: redis://127.0.0.1:6379'; do
  grep -q "^ *$key" "$tmp/root/etc/observd/observd.yml" && pass "observd.yml: $key" || fail "observd.yml lacks $key"
done
if out=$("$tmp/root/usr/bin/observd" --config.file="$tmp/root/etc/observd/observd.yml" --check-config 2>&1); then
  pass "packaged observd --check-config accepts the packaged config"
else
  fail "observd --check-config rejected the packaged config:"; printf '%s\n' "$out" | sed 's/^/    /'
fi
if out=$("$tmp/root/usr/bin/observd" --version 2>&1) && [[ $out == *"$version"* ]]; then
  pass "observd --version: $out"
else fail "observd --version: $out"; fi

if ((failures)); then echo "check_deb: $failures failure(s)"; exit 1; fi
echo "check_deb: OK"
