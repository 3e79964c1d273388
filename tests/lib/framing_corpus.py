"""The request-framing corpus (RFC 9112): each entry is one request whose end is
ambiguous, the shapes request smuggling is built from. Read by
tests/integration/test_framing.py (directly against observd) and
tests/packaging/smuggle_through.py (through the nginx front). Data only."""

import re

STATUS_LINE = re.compile(rb"(?:^|\n)HTTP/1\.[01] \d{3} ")
SMUGGLED = b"GET /nope-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


def shape(head_lines, body=b""):
    return b"\r\n".join(head_lines) + b"\r\n\r\n" + body


# name -> the bytes of one request whose end is ambiguous (each followed by SMUGGLED)
CORPUS = {
    "CL + TE chunked": shape([b"POST /metrics HTTP/1.1", b"Host: x", b"Content-Length: 4",
                              b"Transfer-Encoding: chunked"], b"0\r\n\r\n"),
    "TE + CL chunked (GET)": shape([b"GET /metrics HTTP/1.1", b"Host: x",
                                    b"Transfer-Encoding: chunked", b"Content-Length: 5"],
                                   b"0\r\n\r\n"),
    "TE chunked alone": shape([b"GET /-/healthy HTTP/1.1", b"Host: x",
                               b"Transfer-Encoding: chunked"], b"0\r\n\r\n"),
    "TE obfuscated": shape([b"GET /-/healthy HTTP/1.1", b"Host: x",
                            b"Transfer-Encoding: xchunked"]),
    "two differing CL": shape([b"POST /metrics HTTP/1.1", b"Host: x", b"Content-Length: 0",
                               b"Content-Length: 44"]),
    "two equal CL": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"Content-Length: 0",
                           b"Content-Length: 0"]),
    "CL with sign": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"Content-Length: +0"]),
    "space before colon (CL)": shape([b"POST /metrics HTTP/1.1", b"Host: x",
                                      b"Content-Length : 0"]),
    "space before colon (TE)": shape([b"GET /-/healthy HTTP/1.1", b"Host: x",
                                      b"Transfer-Encoding : chunked"], b"0\r\n\r\n"),
    "obs-fold": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"X-A: a", b" folded"]),
    "obs-fold with tab": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"X-A: a",
                                b"\tContent-Length: 0"]),
    "obs-fold before more headers": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"X-A: a",
                                           b" folded", b"X-B: b"]),
    "whitespace before the first header": shape([b"GET /-/healthy HTTP/1.1", b" Host: x"]),
    "whitespace before the first header (HTTP/1.0)": shape([b"GET /-/healthy HTTP/1.0",
                                                            b" X-A: a"]),
    "bad header name": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"X(y): 1"]),
    "no Host (HTTP/1.1)": shape([b"GET /-/healthy HTTP/1.1", b"Accept: */*"]),
    "two Host": shape([b"GET /-/healthy HTTP/1.1", b"Host: x", b"Host: y"]),
}
