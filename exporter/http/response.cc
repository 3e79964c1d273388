#include "http/response.h"

#include <civetweb.h>

#include <ctime>

#include "util/field_list.h"
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

// Bodies up to this size go out in the same write as the head: one send(), and with
// TCP_NODELAY one segment, instead of two.
constexpr size_t kJoinBodyBytes = 16 * 1024;

// A response head written whole, in one buffer. CivetWeb's mg_response_header_send
// sends every header line with its own send() (a dozen small TCP segments per
// response under TCP_NODELAY) from an 8 KiB stack buffer in every worker that answers.
class Head {
 public:
  explicit Head(int status) {
    text_.reserve(1024);
    text_ += "HTTP/1.1 ";
    text_ += std::to_string(status);
    text_ += ' ';
    text_ += StatusText(status);
    text_ += "\r\n";
  }
  void Add(std::string_view name, std::string_view value) {
    text_ += name;
    text_ += ": ";
    text_ += value;
    text_ += "\r\n";
  }
  void AddAll(const Headers& headers) {
    for (const auto& [k, v] : headers) Add(k, v);
  }
  std::string& Finish() {
    text_ += "\r\n";
    return text_;
  }

 private:
  std::string text_;
};

// RFC 9110 IMF-fixdate of now, as CivetWeb writes it.
std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

// CivetWeb's keep-alive rule: when the server enables it, the client's Connection
// header decides when present, else HTTP/1.1 keeps the connection and older versions
// do not.
bool ClientKeepsAlive(mg_connection* conn) {
  const char* enabled = mg_get_option(mg_get_context(conn), "enable_keep_alive");
  if (!enabled || !EqualsIgnoreCase(enabled, "yes")) return false;
  if (const char* header = mg_get_header(conn, "Connection")) {
    return AnyListElement(
        header, [](std::string_view option) { return EqualsIgnoreCase(option, "keep-alive"); });
  }
  const mg_request_info* info = mg_get_request_info(conn);
  return info && info->http_version && std::string_view(info->http_version) == "1.1";
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
    for (const auto& e : extra) replaced |= EqualsIgnoreCase(e.first, h.first);
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

std::string ErrorReply(int status, const Headers& extra) {
  const std::string body = std::string(StatusText(status)) + "\n";
  Head head(status);
  head.Add("Content-Type", "text/plain; charset=utf-8");
  head.Add("Content-Length", std::to_string(body.size()));
  head.AddAll(ResponseHeaders(extra));
  head.Add("Date", HttpDate());
  head.Add("Connection", "close");
  std::string& out = head.Finish();
  out += body;
  return out;
}

bool WriteResponse(mg_connection* conn, const Response& r, const Headers& extra, bool head_only,
                   bool accepts_gzip) {
  const bool keep_alive = !r.close && ClientKeepsAlive(conn);
  if (!keep_alive) mg_disable_keep_alive(conn);
  std::string_view body = r.bytes();
  std::string compressed;
  bool gzip = false;
  const std::string_view precompressed = r.gzip_bytes();
  if (accepts_gzip && !precompressed.empty()) {
    body = precompressed;
    gzip = true;
  } else if (accepts_gzip && r.compressible && body.size() >= kGzipMinBytes && r.status == 200) {
    compressed = GzipCompress(body);
    if (!compressed.empty()) {
      body = compressed;
      gzip = true;
    }
  }
  const bool streamed = r.stream && !head_only;
  Head head(r.status);
  head.Add("Content-Type", r.content_type);
  if (streamed) {
    // Chunked, so the end of the stream is visible at once.
    head.Add("Transfer-Encoding", "chunked");
  } else if (r.status != 304) {
    head.Add("Content-Length", std::to_string(body.size()));
  }
  if (gzip && !streamed) head.Add("Content-Encoding", "gzip");
  if (r.status != 304 && (r.compressible || !precompressed.empty())) {
    head.Add("Vary", "Accept-Encoding");
  }
  head.AddAll(r.headers);
  head.AddAll(ResponseHeaders(extra));
  head.Add("Date", HttpDate());
  head.Add("Connection", keep_alive ? "keep-alive" : "close");
  std::string& out = head.Finish();
  const bool send_body = !streamed && !head_only && r.status != 304 && !body.empty();
  if (send_body && body.size() <= kJoinBodyBytes) {
    out += body;
    return mg_write(conn, out.data(), out.size()) == static_cast<int>(out.size());
  }
  if (mg_write(conn, out.data(), out.size()) != static_cast<int>(out.size())) return false;
  if (streamed) {
    r.stream(conn);
    return true;
  }
  if (!send_body) return true;
  return mg_write(conn, body.data(), body.size()) == static_cast<int>(body.size());
}

}  // namespace observd
