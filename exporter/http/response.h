// Response is what a route handler returns; WriteResponse sends it through CivetWeb.
// ResponseHeaders is the one place that decides the headers every response carries
// (security headers, the operator's extra headers), used for handler responses,
// event streams and CivetWeb's own error replies alike. Thread-safe: no shared state.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mg_connection;

namespace observd {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Shared bytes (cached renders, the scrape text) take precedence over `body`.
  std::shared_ptr<const std::string> shared;
  std::shared_ptr<const std::string> shared_gzip;  // precompressed variant, if any
  // Or bytes owned elsewhere (static files): valid while `keep` lives (static data
  // needs nothing); `fixed_gzip` is their precompressed variant, empty when none.
  std::string_view fixed;
  std::string_view fixed_gzip;
  std::shared_ptr<const void> keep;
  bool compressible = false;  // gzip on the fly when the client accepts it
  bool close = false;         // send Connection: close and drop keep-alive
  Headers headers;
  // Set for a streamed body (SSE): the headers are sent chunked, then `stream` writes
  // the body until it returns; `body`/`shared` are ignored.
  std::function<void(mg_connection*)> stream;

  std::string_view bytes() const {
    if (shared) return *shared;
    return fixed.data() ? fixed : std::string_view(body);
  }
  // The precompressed variant of bytes(), empty when there is none.
  std::string_view gzip_bytes() const {
    if (shared) return shared_gzip ? std::string_view(*shared_gzip) : std::string_view();
    return fixed_gzip;
  }
};

Response TextResponse(int status, std::string body);
// Dynamic bodies (partials, JSON): compressible, never stored by browsers or proxies.
Response HtmlResponse(std::string body);
Response JsonResponse(std::string body);

// The headers every response carries: observd's security headers (CSP, nosniff,
// frame denial, referrer and opener policy) with the operator's `extra` headers from
// the web-config file appended; an extra header with the name of a security header
// replaces it (names compared case-insensitively).
Headers ResponseHeaders(const Headers& extra);

// Sends `r` (headers + body, or headers only for HEAD). Returns false when the
// client went away.
bool WriteResponse(mg_connection* conn, const Response& r, const Headers& extra, bool head_only,
                   bool accepts_gzip);

// The whole reply to a request that could not be parsed (CivetWeb's error callback):
// status line, a plain-text body naming the status, the headers every response
// carries, Date and Connection: close, ready for one write.
std::string ErrorReply(int status, const Headers& extra);

const char* StatusText(int status);

}  // namespace observd
