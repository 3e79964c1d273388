#include "http/response.h"

#include <civetweb.h>
#include <strings.h>

#include "util/gzip.h"

namespace observd {
namespace {

Response DynamicResponse(const char* content_type, std::string body) {
  Response r;
  r.content_type = content_type;
  r.body = std::move(body);
  r.compressible = true;
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

const Headers& SecurityHeaders() {
  static const Headers kHeaders = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
  return kHeaders;
}

void AddAll(mg_connection* conn, const Headers& headers) {
  for (const auto& [k, v] : headers) mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
}

}  // namespace

Response TextResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
  return r;
}

Response HtmlResponse(std::string body) {
  return DynamicResponse("text/html; charset=utf-8", std::move(body));
}

Response JsonResponse(std::string body) {
  return DynamicResponse("application/json", std::move(body));
}

Headers ResponseHeaders(const Headers& extra) {
  Headers out;
  for (const auto& h : SecurityHeaders()) {
    bool replaced = false;
    for (const auto& e : extra) replaced |= strcasecmp(e.first.c_str(), h.first.c_str()) == 0;
    if (!replaced) out.push_back(h);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

const char* StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return mg_get_response_code_text(nullptr, status);
  }
}

bool WriteResponse(mg_connection* conn, const Response& r, const Headers& extra, bool head_only,
                   bool accepts_gzip) {
  if (r.close) mg_disable_keep_alive(conn);
  std::string_view body = r.bytes();
  std::string compressed;
  bool gzip = false;
  if (accepts_gzip && r.shared_gzip) {
    body = *r.shared_gzip;
    gzip = true;
  } else if (accepts_gzip && r.compressible && body.size() >= kGzipMinBytes && r.status == 200) {
    compressed = GzipCompress(body);
    if (!compressed.empty()) {
      body = compressed;
      gzip = true;
    }
  }
  const bool streamed = r.stream && !head_only;
  mg_response_header_start(conn, r.status);
  mg_response_header_add(conn, "Content-Type", r.content_type.c_str(), -1);
  std::string length = std::to_string(body.size());
  if (streamed) {
    // Chunked, so the end of the stream is visible at once.
    mg_response_header_add(conn, "Transfer-Encoding", "chunked", -1);
  } else if (r.status != 304) {
    mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  }
  if (gzip && !streamed) mg_response_header_add(conn, "Content-Encoding", "gzip", -1);
  if (r.status != 304 && (r.compressible || r.shared_gzip)) {
    mg_response_header_add(conn, "Vary", "Accept-Encoding", -1);
  }
  if (r.close) mg_response_header_add(conn, "Connection", "close", -1);
  AddAll(conn, r.headers);
  AddAll(conn, ResponseHeaders(extra));
  if (mg_response_header_send(conn) != 0) return false;
  if (streamed) {
    r.stream(conn);
    return true;
  }
  if (head_only || body.empty() || r.status == 304) return true;
  return mg_write(conn, body.data(), body.size()) == static_cast<int>(body.size());
}

}  // namespace observd
