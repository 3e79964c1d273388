#!/usr/bin/env python3
"""check_tls.py SSLSCAN_XML PORT — judges `sslscan --xml=-` output for the nginx
front (packaging/nginx/observd.conf) on 127.0.0.1:PORT, and sends one raw
ClientHello of its own for TLS compression.

Claims (one PASS:/FAIL: line each; a FAIL names the protocol or cipher):
  - SSLv2, SSLv3, TLS 1.0 and TLS 1.1 refused; TLS 1.2 and TLS 1.3 accepted;
  - every accepted cipher is an AEAD suite with forward secrecy: TLS 1.3 suites
    with GCM or CHACHA20-POLY1305, TLS 1.2 ECDHE/DHE + AES-GCM or CHACHA20-POLY1305,
    at least 128 bits, none rated weak/medium/null/anonymous by sslscan;
  - not vulnerable to heartbleed (each protocol sslscan probed);
  - no insecure (non-RFC 5746) renegotiation;
  - no TLS compression (CRIME): sslscan reports it only when built with zlib, which
    Debian's is not, so a TLS 1.2 ClientHello offering DEFLATE is sent here and
    the ServerHello must choose the null method.
Exit status: 0 when every claim held, 1 otherwise.
"""
import re
import socket
import struct
import sys
import xml.etree.ElementTree as ET

REFUSED = [("ssl", "2"), ("ssl", "3"), ("tls", "1.0"), ("tls", "1.1")]
ACCEPTED = [("tls", "1.2"), ("tls", "1.3")]
TLS13_AEAD = re.compile(r"^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$")
TLS12_AEAD_FS = re.compile(
    r"^(ECDHE-(RSA|ECDSA)|DHE-RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$")
BAD_STRENGTH = {"null", "anonymous", "weak", "medium"}

failures = 0


def passed(msg):
    print(f"PASS: {msg}")


def failed(msg):
    global failures
    failures += 1
    print(f"FAIL: {msg}")


def name(kind, version):
    return f"SSLv{version}" if kind == "ssl" else f"TLSv{version}"


def check_protocols(test):
    seen = {(p.get("type"), p.get("version")): p.get("enabled") for p in test.iter("protocol")}
    for kind, version in REFUSED + ACCEPTED:
        want = "1" if (kind, version) in ACCEPTED else "0"
        got = seen.get((kind, version))
        label = name(kind, version)
        if got is None:
            failed(f"{label}: not in sslscan's report (not tested?)")
        elif got == want:
            passed(f"{label} {'accepted' if want == '1' else 'refused'}")
        else:
            failed(f"{label} {'refused' if want == '1' else 'ACCEPTED'} "
                   f"(the site must offer TLS 1.2 and 1.3 only)")


def check_ciphers(test):
    ciphers = list(test.iter("cipher"))
    per_version = {}
    bad = 0
    for c in ciphers:
        version, cipher = c.get("sslversion", "?"), c.get("cipher", "?")
        per_version.setdefault(version, []).append(cipher)
        problems = []
        if version == "TLSv1.3":
            if not TLS13_AEAD.match(cipher):
                problems.append("not a TLS 1.3 GCM/CHACHA20 suite")
        elif version == "TLSv1.2":
            if not TLS12_AEAD_FS.match(cipher):
                problems.append("not ECDHE/DHE with AES-GCM or CHACHA20-POLY1305")
        else:
            problems.append("offered on a protocol that must be refused")
        if int(c.get("bits", "0")) < 128:
            problems.append(f"{c.get('bits')} bits")
        if c.get("strength") in BAD_STRENGTH:
            problems.append(f"sslscan rates it {c.get('strength')}")
        if problems:
            bad += 1
            failed(f"cipher {cipher} ({version}, id {c.get('id')}): {'; '.join(problems)}")
    for version in ("TLSv1.2", "TLSv1.3"):
        if not per_version.get(version):
            failed(f"no cipher accepted on {version}")
    if ciphers and not bad:
        summary = "; ".join(f"{v}: {', '.join(n)}" for v, n in sorted(per_version.items()))
        passed(f"{len(ciphers)} accepted ciphers, all AEAD with forward secrecy ({summary})")


def check_heartbleed(test):
    probes = list(test.iter("heartbleed"))
    if not probes:
        failed("heartbleed: not in sslscan's report (not tested?)")
    for h in probes:
        if h.get("vulnerable") != "0":
            failed(f"heartbleed: {h.get('sslversion')} VULNERABLE")
    if probes and all(h.get("vulnerable") == "0" for h in probes):
        passed("not vulnerable to heartbleed (" +
               ", ".join(h.get("sslversion", "?") for h in probes) + ")")


def check_renegotiation(test):
    r = test.find("renegotiation")
    if r is None:
        failed("renegotiation: not in sslscan's report")
    elif r.get("supported") == "1" and r.get("secure") != "1":
        failed("insecure client-initiated renegotiation supported")
    else:
        passed("no insecure renegotiation (supported=%s secure=%s)"
               % (r.get("supported"), r.get("secure")))


def check_compression_xml(test):
    c = test.find("compression")
    if c is not None and c.get("supported") == "1":
        failed("TLS compression supported (CRIME), per sslscan")


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def client_hello_with_deflate():
    """A TLS 1.2 ClientHello offering compression methods DEFLATE (1) and null (0)."""
    suites = [0xC02F, 0xC030, 0xC02B, 0xC02C, 0xCCA8, 0xCCA9, 0x009E, 0x009F]
    ext = b""
    host = b"localhost"
    sni = struct.pack("!BH", 0, len(host)) + host
    ext += struct.pack("!HH", 0x0000, len(sni) + 2) + struct.pack("!H", len(sni)) + sni
    groups = [0x001D, 0x0017, 0x0018]
    body = struct.pack("!H", 2 * len(groups)) + b"".join(struct.pack("!H", g) for g in groups)
    ext += struct.pack("!HH", 0x000A, len(body)) + body            # supported_groups
    ext += struct.pack("!HHBB", 0x000B, 2, 1, 0)                   # ec_point_formats
    sigs = [0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0401, 0x0501, 0x0601]
    body = struct.pack("!H", 2 * len(sigs)) + b"".join(struct.pack("!H", a) for a in sigs)
    ext += struct.pack("!HH", 0x000D, len(body)) + body            # signature_algorithms
    hello = (struct.pack("!H", 0x0303) + bytes(range(32)) + b"\x00"
             + struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", x) for x in suites)
             + b"\x02\x01\x00" + struct.pack("!H", len(ext)) + ext)
    handshake = b"\x01" + struct.pack("!I", len(hello))[1:] + hello
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def check_compression_raw(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(client_hello_with_deflate())
            ctype, _, length = struct.unpack("!BHH", recv_exact(s, 5))
            record = recv_exact(s, length)
    except (OSError, ConnectionError, struct.error) as e:
        failed(f"TLS compression: no ServerHello to a ClientHello offering DEFLATE ({e})")
        return
    if ctype != 0x16 or not record or record[0] != 0x02:
        failed(f"TLS compression: expected a ServerHello, got record type {ctype} "
               f"(first bytes {record[:8].hex()}) to a ClientHello offering DEFLATE+null")
        return
    sid_len = record[4 + 2 + 32]
    suite = struct.unpack("!H", record[4 + 2 + 32 + 1 + sid_len:][:2])[0]
    method = record[4 + 2 + 32 + 1 + sid_len + 2]
    if method == 0:
        passed(f"TLS compression refused: the ServerHello (suite 0x{suite:04X}) picks null "
               "over the offered DEFLATE")
    else:
        failed(f"TLS compression ENABLED: ServerHello picks method {method} (CRIME)")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    xml_path, port = sys.argv[1], int(sys.argv[2])
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as e:
        failed(f"sslscan output is not XML: {e}")
        return 1
    test = root.find("ssltest")
    if test is None:
        failed("sslscan output has no <ssltest> (could it connect?)")
        return 1
    print(f"sslscan {root.get('version', '?')}: {len(list(test))} findings")
    check_protocols(test)
    check_ciphers(test)
    check_heartbleed(test)
    check_renegotiation(test)
    check_compression_xml(test)
    check_compression_raw(port)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
