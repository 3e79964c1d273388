// Framing is the RFC 9112 check of a request's message framing, applied before any
// route: the shapes request smuggling is built from (Content-Length with
// Transfer-Encoding, differing or malformed Content-Length, whitespace before a
// header's colon, obs-folded lines) get a 400 and a closed connection, because a front
// and observd could otherwise disagree on where the request ends. Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "util/result.h"

struct mg_request_info;

namespace observd {

// One header line as it arrived, as far as the parser let it be seen.
struct WireHeader {
  std::string_view name;
  std::string_view value;
  bool space_before_colon = false;  // "Name : value"
};

// The header block of one request.
struct WireRequest {
  std::string_view http_version;  // "1.1", "1.0"
  std::vector<WireHeader> headers;
  // A line the parser stopped at without taking it as a header (an obs-fold
  // continuation starting with a space or tab, or a line past the header limit).
  bool unparsed_line = false;
};

// Ok for a request whose framing is unambiguous; otherwise why it is not, for the
// 400's body (no request bytes are echoed). observd serves no request bodies, so any
// Transfer-Encoding is refused too.
Result<> CheckFraming(const WireRequest& request);

// Reads the header block CivetWeb 1.15 parsed. CivetWeb drops spaces before a colon
// and stops silently at a folded line; both leave traces in the request buffer (NUL
// bytes where the spaces were, a line after the last header that is not the blank
// one), and this reads them. tests/integration/test_hostile_http.py sends each shape
// over a raw socket, so a CivetWeb whose buffer differs fails a test, not silently.
WireRequest ReadWireRequest(const mg_request_info& info);

}  // namespace observd
