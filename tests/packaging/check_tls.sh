#!/bin/bash
# check_tls.sh BIN_DIR — the TLS claims of packaging/nginx/observd.conf, checked
# with a real scanner: the shipped site is started exactly as check_nginx.sh does
# (nginx_front.sh: redis-server, BIN_DIR/observd, nginx -p TMP with the site's
# listen/upstream/cert lines pointed at test ports and a self-signed certificate),
# then Debian's sslscan scans it (--xml=-) and check_tls.py asserts:
#   TLS 1.2 and 1.3 only (SSLv2, SSLv3, TLS 1.0, TLS 1.1 refused); only AEAD
#   ciphers with forward secrecy (TLS 1.3 suites; ECDHE/DHE + AES-GCM or
#   CHACHA20-POLY1305); not vulnerable to heartbleed; no insecure renegotiation;
#   no TLS compression (a raw ClientHello offering DEFLATE, as Debian's sslscan
#   cannot test it).
# Over HTTPS with curl: HSTS is sent, and "Server: nginx" carries no version
# (server_tokens off). A FAIL line names the offending protocol or cipher.
# Web root and templates as in check_nginx.sh (OBSERVD_WEB_ROOT, OBSERVD_TEMPLATES).
# pass() always succeeds, so "test && pass || fail" is an if/else here.
# shellcheck disable=SC2015
set -euo pipefail

bin_dir=$(cd "${1:?usage: check_tls.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=nginx_front.sh
source "$here/nginx_front.sh"
command -v sslscan >/dev/null || { echo "FAIL: sslscan not found (apt-get install sslscan)"; exit 1; }
front_init
front_start

echo "== sslscan 127.0.0.1:$https_port (SNI localhost)"
if sslscan --xml=- --no-colour --sni-name=localhost "127.0.0.1:$https_port" \
    > "$tmp/sslscan.xml" 2> "$tmp/sslscan.log"; then
  pass "sslscan ran"
else
  fail "sslscan exited $?"
fi
python3 "$here/check_tls.py" "$tmp/sslscan.xml" "$https_port" > "$tmp/check_tls.out" 2>&1 || true
cat "$tmp/check_tls.out"
bad=$(grep -c '^FAIL' "$tmp/check_tls.out" || true)
failures=$((failures + bad))
grep -q '^PASS' "$tmp/check_tls.out" || fail "check_tls.py reported nothing"
if ((bad)); then
  echo "--- sslscan report"; sed 's/^/  /' "$tmp/sslscan.xml"
fi

echo "== HTTP headers over TLS"
"${curl_tls[@]}" -o /dev/null -D "$tmp/headers" "$base/-/healthy"
tr -d '\r' < "$tmp/headers" > "$tmp/headers.txt"
hsts=$(awk -F': ' 'tolower($1) == "strict-transport-security" {print $2}' "$tmp/headers.txt")
[[ $hsts == max-age=* ]] && pass "HSTS sent ($hsts)" || fail "no HSTS header (got '$hsts')"
server=$(awk -F': ' 'tolower($1) == "server" {print $2}' "$tmp/headers.txt")
[[ $server == nginx ]] && pass "Server header without a version ($server)" ||
  fail "Server header: '$server' (server_tokens off expected)"

if ((failures)); then echo "check_tls: $failures failure(s)"; exit 1; fi
echo "check_tls: OK"
