// Response is what a route handler returns; WriteResponse sends it through CivetWeb
// with the security headers every response carries (CivetWeb's additional_header
// does not reach handler-written responses). Thread-safe: no shared state.
#pragma once

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
  // Shared bytes (cached renders, static files) take precedence over `body`.
  std::shared_ptr<const std::string> shared;
  std::shared_ptr<const std::string> shared_gzip;  // precompressed variant, if any
  bool compressible = false;                       // gzip on the fly when the client accepts it
  Headers headers;

  std::string_view bytes() const { return shared ? std::string_view(*shared) : body; }
};

Response TextResponse(int status, std::string body);
Response HtmlResponse(std::string body);
Response JsonResponse(std::string body);

// Headers on every response: CSP, nosniff, Referrer-Policy, frame denial, plus
// the operator's extra headers from the web-config file.
const Headers& SecurityHeaders();

// Sends `r` (headers + body, or headers only for HEAD). `extra` comes from the
// web-config file. Returns false when the client went away.
bool WriteResponse(mg_connection* conn, const Response& r, const Headers& extra, bool head_only,
                   bool accepts_gzip);

const char* StatusText(int status);

}  // namespace observd
