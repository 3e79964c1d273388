#include "http/framing.h"

#include <civetweb.h>

#include <cstring>

#include "util/field_list.h"

namespace observd {
namespace {

// RFC 9110 token characters: what a field name may be made of.
bool IsTchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTchar(c)) return false;
  }
  return true;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<> CheckFraming(const WireRequest& request) {
  if (request.unparsed_line) return Fail("folded or unparsed header line");
  int lengths = 0, hosts = 0;
  for (const WireHeader& h : request.headers) {
    if (!IsToken(h.name)) return Fail("invalid header name");
    if (h.space_before_colon) return Fail("whitespace before a header's colon");
    if (EqualsIgnoreCase(h.name, "Transfer-Encoding")) {
      return Fail("Transfer-Encoding is not accepted (observd takes no request body)");
    }
    if (EqualsIgnoreCase(h.name, "Content-Length")) {
      if (++lengths > 1) return Fail("more than one Content-Length");
      if (!IsDigits(h.value)) return Fail("invalid Content-Length");
    }
    if (EqualsIgnoreCase(h.name, "Host") && ++hosts > 1) return Fail("more than one Host");
  }
  if (request.http_version == "1.1" && hosts == 0) return Fail("HTTP/1.1 request without Host");
  return Ok();
}

WireRequest ReadWireRequest(const mg_request_info& info) {
  WireRequest w;
  if (info.http_version) w.http_version = info.http_version;
  const int n = info.num_headers;
  // CivetWeb stops at MG_MAX_HEADERS lines and ignores the rest without a word.
  if (n >= static_cast<int>(MG_MAX_HEADERS)) w.unparsed_line = true;
  for (int i = 0; i < n; ++i) {
    const mg_header& hdr = info.http_headers[i];
    if (!hdr.name || !hdr.value) continue;
    WireHeader h{hdr.name, hdr.value};
    // The parser writes a NUL over the colon and over each space before it, so
    // "Name : v" leaves two NULs where "Name: v" leaves one. An empty value starts
    // right after the colon and has no second byte to look at.
    const char* end = hdr.name + h.name.size();
    h.space_before_colon = end + 1 < hdr.value && end[1] == '\0';
    w.headers.push_back(h);
  }
  if (n > 0 && info.http_version) {
    // Whitespace between the start-line and the first header (RFC 9112 2.2: reject). The
    // parser writes a NUL over every whitespace byte after the version, line end
    // included, and reads the line as a header: "\r\n" leaves two NULs, "\r\n " three.
    // (A bare "\n" and one space leave two, like "\r\n": that one shape passes.)
    const char* version_end = info.http_version + std::strlen(info.http_version);
    const char* first = info.http_headers[0].name;
    if (first && first > version_end && first - version_end > 2) w.unparsed_line = true;
  }
  if (n > 0 && n < static_cast<int>(MG_MAX_HEADERS)) {
    // After the last header's value its line end is NULs ("\r\n" -> two, "\n" -> one);
    // the next line is the blank one. A folded line starts with a space or tab there.
    const mg_header& last = info.http_headers[n - 1];
    if (last.value) {
      const char* e = last.value + std::strlen(last.value);
      const char next = e[1] != '\0' ? e[1] : e[2];
      if (next == ' ' || next == '\t') w.unparsed_line = true;
    }
  }
  return w;
}

}  // namespace observd
