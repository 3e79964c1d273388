// Tests of http/response.h: the response builders, the headers every response
// carries (ResponseHeaders), and WriteResponse through a real CivetWeb server on a
// loopback port (read back with a raw socket), so every response shape, streams
// included, is checked for every one of those headers.
#include "http/response.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "support/loopback.h"
#include "util/gzip.h"

namespace observd {
namespace {

TEST(ResponseBuilders, TextEndsWithANewline) {
  Response r = TextResponse(404, "not found");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "not found\n");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(TextResponse(200, "ok\n").body, "ok\n");
  EXPECT_EQ(TextResponse(200, "").body, "");
}

TEST(ResponseBuilders, DynamicBodiesAreCompressibleAndNeverCached) {
  for (const Response& r : {HtmlResponse("<p>x</p>"), JsonResponse("{}")}) {
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.compressible);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("Cache-Control", "no-store")));
  }
  EXPECT_EQ(HtmlResponse("").content_type, "text/html; charset=utf-8");
  EXPECT_EQ(JsonResponse("").content_type, "application/json");
}

TEST(ResponseBuilders, SharedBytesWin) {
  Response r = TextResponse(200, "own");
  EXPECT_EQ(r.bytes(), "own\n");
  r.shared = std::make_shared<const std::string>("shared");
  EXPECT_EQ(r.bytes(), "shared");
}

TEST(ResponseHeaders, ForbidInlineScriptsFramingAndSniffing) {
  const Headers headers = ResponseHeaders({});
  std::map<std::string, std::string> h(headers.begin(), headers.end());
  ASSERT_EQ(h.size(), headers.size()) << "a header listed twice";
  const std::string& csp = h["Content-Security-Policy"];
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(h["X-Frame-Options"], "DENY");
  EXPECT_EQ(h["Referrer-Policy"], "no-referrer");
}

TEST(ResponseHeaders, OperatorHeadersAreAddedOrReplaceByName) {
  const size_t base = ResponseHeaders({}).size();
  Headers h = ResponseHeaders({{"x-frame-options", "SAMEORIGIN"}, {"X-Operator", "1"}});
  EXPECT_EQ(h.size(), base + 1) << "one replaced, one added";
  int frame = 0;
  for (const auto& [k, v] : h) {
    if (strcasecmp(k.c_str(), "X-Frame-Options") == 0) {
      ++frame;
      EXPECT_EQ(v, "SAMEORIGIN");
    }
  }
  EXPECT_EQ(frame, 1) << "the replaced header is sent once";
  EXPECT_EQ(h.back(), (std::pair<std::string, std::string>("X-Operator", "1")));
}

TEST(StatusText, KnownCodes) {
  EXPECT_STREQ(StatusText(200), "OK");
  EXPECT_STREQ(StatusText(304), "Not Modified");
  EXPECT_STREQ(StatusText(401), "Unauthorized");
  EXPECT_STREQ(StatusText(503), "Service Unavailable");
  EXPECT_NE(StatusText(299), nullptr);
}

// ------------------------------------------------------------- WriteResponse

const Headers kExtra = {{"X-Operator", "from-web-config"}};

// The response each path answers; "/gzip*" bodies are large enough to compress.
Response ResponseFor(const std::string& path) {
  if (path == "/text") return TextResponse(200, "hello");
  if (path == "/close") {  // a polled route: answered, then the connection closes
    Response r = TextResponse(200, "polled");
    r.close = true;
    return r;
  }
  if (path == "/fixed") {  // static data with its precompressed variant, no owner
    static const std::string kGz = GzipCompress(std::string(2000, 'f'));
    static const std::string kPlain(2000, 'f');
    Response r;
    r.fixed = kPlain;
    r.fixed_gzip = kGz;
    return r;
  }
  if (path == "/missing") return TextResponse(404, "no such page");
  if (path == "/html") return HtmlResponse(std::string(4096, 'h'));
  if (path == "/small-html") return HtmlResponse("<p>short</p>");
  if (path == "/not-modified") {
    Response r;
    r.status = 304;
    r.headers.emplace_back("ETag", "\"e1\"");
    return r;
  }
  if (path == "/stream") {  // an event stream: chunked, written by `stream`
    Response r;
    r.content_type = "text/event-stream";
    r.stream = [](mg_connection* conn) {
      const std::string event = "data: x\n\n";
      mg_send_chunk(conn, event.data(), static_cast<unsigned>(event.size()));
      mg_send_chunk(conn, "", 0);
    };
    return r;
  }
  if (path == "/big") return TextResponse(200, std::string(99999, 'b'));  // + newline
  Response r;  // "/static": shared bytes with a precompressed variant
  r.content_type = "text/css; charset=utf-8";
  r.shared = std::make_shared<const std::string>(std::string(3000, 'c'));
  r.shared_gzip = std::make_shared<const std::string>(GzipCompress(*r.shared));
  return r;
}

int Handle(mg_connection* conn, void*) {
  const mg_request_info* info = mg_get_request_info(conn);
  const char* ae = mg_get_header(conn, "Accept-Encoding");
  bool head = std::string(info->request_method) == "HEAD";
  WriteResponse(conn, ResponseFor(info->local_uri), kExtra, head, AcceptsGzip(ae));
  return 1;  // handled (the status is in the response)
}

struct Reply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class WriteResponseTest : public ::testing::Test {
 protected:
  void SetUp() override { Start("no"); }
  void Start(const char* keep_alive) {
    static std::once_flag init;
    std::call_once(init, [] { mg_init_library(0); });
    port_ = testing::FreeLoopbackPort();
    const std::string ports = "127.0.0.1:" + std::to_string(port_);
    const char* options[] = {"listening_ports",   ports.c_str(), "num_threads", "2",
                             "enable_keep_alive", keep_alive,    nullptr};
    mg_callbacks callbacks{};
    ctx_ = mg_start(&callbacks, nullptr, options);
    ASSERT_NE(ctx_, nullptr) << "civetweb did not start on " << ports;
    mg_set_request_handler(ctx_, "/", Handle, nullptr);
  }
  void TearDown() override {
    if (ctx_) mg_stop(ctx_);
  }

  // One request on a fresh connection; reads until the server closes it.
  Reply Fetch(const std::string& method, const std::string& path, bool gzip) {
    int fd = testing::ConnectLoopback(port_);
    if (fd < 0) return Reply{};
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" +
                      (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n";
    (void)!write(fd, req.data(), req.size());
    std::string raw;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) raw.append(buf, static_cast<size_t>(n));
    close(fd);
    return Parse(raw);
  }

  static Reply Parse(const std::string& raw) {
    Reply r;
    size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return r;
    r.status = std::stoi(raw.substr(9, 3));
    size_t pos = raw.find("\r\n") + 2;
    while (pos < end) {
      size_t eol = raw.find("\r\n", pos);
      std::string line = raw.substr(pos, eol - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(tolower(c));
      size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers.emplace(name, v == std::string::npos ? "" : line.substr(v));
      pos = eol + 2;
    }
    r.body = raw.substr(end + 4);
    return r;
  }

  static void ExpectSecurityHeaders(const Reply& r, const std::string& what) {
    for (const auto& [name, value] : ResponseHeaders(kExtra)) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(tolower(c));
      EXPECT_EQ(r.headers.count(lower), 1u) << what << ": " << name;
      EXPECT_EQ(r.Header(lower), value) << what << ": " << name;
    }
  }

  int port_ = 0;
  mg_context* ctx_ = nullptr;
};

TEST_F(WriteResponseTest, EveryShapeCarriesTheSecurityHeaders) {
  for (const char* path :
       {"/text", "/missing", "/html", "/small-html", "/not-modified", "/static", "/stream"}) {
    for (const char* method : {"GET", "HEAD"}) {
      for (bool gzip : {false, true}) {
        std::string what = std::string(method) + " " + path + (gzip ? " gzip" : "");
        Reply r = Fetch(method, path, gzip);
        ASSERT_NE(r.status, 0) << what << ": no parseable response";
        EXPECT_EQ(r.status, ResponseFor(path).status) << what;
        ExpectSecurityHeaders(r, what);
      }
    }
  }
}

TEST_F(WriteResponseTest, BodiesAndLengthsMatch) {
  Reply text = Fetch("GET", "/text", true);
  EXPECT_EQ(text.body, "hello\n");
  EXPECT_EQ(text.Header("content-length"), "6");
  EXPECT_EQ(text.Header("content-encoding"), "") << "plain text is not compressible";
  Reply head = Fetch("HEAD", "/text", false);
  EXPECT_EQ(head.Header("content-length"), "6");
  EXPECT_EQ(head.body, "") << "HEAD has no body";
  Reply nm = Fetch("GET", "/not-modified", false);
  EXPECT_EQ(nm.body, "");
  EXPECT_EQ(nm.Header("etag"), "\"e1\"");
}

TEST_F(WriteResponseTest, GzipOnlyWhenAcceptedAndWorthIt) {
  Reply plain = Fetch("GET", "/html", false);
  EXPECT_EQ(plain.body, std::string(4096, 'h'));
  EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(plain.Header("cache-control"), "no-store");
  Reply gz = Fetch("GET", "/html", true);
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.Header("content-length"), std::to_string(gz.body.size()));
  EXPECT_LT(gz.body.size(), 4096u);
  EXPECT_EQ(Fetch("GET", "/small-html", true).Header("content-encoding"), "")
      << "bodies under 1 KiB are sent as they are";
  Reply css = Fetch("GET", "/static", true);
  EXPECT_EQ(css.Header("content-encoding"), "gzip");
  EXPECT_EQ(css.body, ResponseFor("/static").gzip_bytes()) << "the precompressed bytes";
  EXPECT_EQ(Fetch("GET", "/static", false).body, std::string(3000, 'c'));
  Reply fixed = Fetch("GET", "/fixed", true);
  EXPECT_EQ(fixed.Header("content-encoding"), "gzip");
  EXPECT_EQ(fixed.body, ResponseFor("/fixed").gzip_bytes());
  EXPECT_EQ(Fetch("GET", "/fixed", false).body, std::string(2000, 'f'));
}

TEST_F(WriteResponseTest, ErrorRepliesCarryEveryHeaderAndClose) {
  Reply r = Parse(ErrorReply(400, kExtra));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Bad Request\n");
  EXPECT_EQ(r.Header("content-length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_NE(r.Header("date"), "");
  ExpectSecurityHeaders(r, "error reply");
}

TEST_F(WriteResponseTest, LargeBodiesFollowTheHeadWhole) {
  Reply big = Fetch("GET", "/big", false);
  EXPECT_EQ(big.status, 200);
  EXPECT_TRUE(big.body == std::string(99999, 'b') + "\n") << big.body.size() << " bytes";
  EXPECT_EQ(big.Header("content-length"), "100000");
}

TEST_F(WriteResponseTest, StreamsAreChunked) {
  Reply r = Fetch("GET", "/stream", true);
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.Header("content-length"), "");
  EXPECT_EQ(r.Header("content-encoding"), "");
  EXPECT_EQ(r.body, "9\r\ndata: x\n\n\r\n0\r\n\r\n");
}

// Requests written one after another on one connection; the replies read back by
// Content-Length. Returns the raw text read and whether the server closed at the end.
std::pair<std::string, bool> Exchange(int port, const std::vector<std::string>& requests) {
  int fd = testing::ConnectLoopback(port);
  std::string all;
  bool closed = false;
  if (fd >= 0) {
    for (const auto& req : requests) {
      if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) break;
      std::string raw;
      char buf[4096];
      size_t need = std::string::npos;
      while (raw.size() < need) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
          closed = n == 0;
          break;
        }
        raw.append(buf, static_cast<size_t>(n));
        size_t end = raw.find("\r\n\r\n");
        size_t cl = raw.find("Content-Length: ");
        if (end != std::string::npos && cl != std::string::npos && cl < end) {
          need = end + 4 + std::stoul(raw.substr(cl + 16));
        }
      }
      all += raw;
      if (closed) break;
    }
    if (!closed) {
      char c;
      closed = read(fd, &c, 1) == 0;  // a kept connection times out the read instead
    }
    close(fd);
  }
  return {all, closed};
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

class KeepAliveTest : public WriteResponseTest {
 protected:
  void SetUp() override { Start("yes"); }
};

TEST_F(KeepAliveTest, Http11KeepsTheConnectionAndSaysSo) {
  const std::string get = "GET /text HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::string last = "GET /text HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  auto [raw, closed] = Exchange(port_, {get, get, last});
  EXPECT_EQ(Count(raw, "HTTP/1.1 200 OK\r\n"), 3u) << raw;
  EXPECT_EQ(Count(raw, "\r\nConnection: keep-alive\r\n"), 2u) << raw;
  EXPECT_EQ(Count(raw, "\r\nConnection: close\r\n"), 1u) << raw;
  EXPECT_EQ(Count(raw, "\r\nDate: "), 3u) << raw;
  EXPECT_TRUE(closed) << "closed after the request that asked for it";
}

TEST_F(KeepAliveTest, Http10AndPolledRoutesClose) {
  auto [raw10, closed10] = Exchange(port_, {"GET /text HTTP/1.0\r\n\r\n"});
  EXPECT_NE(raw10.find("\r\nConnection: close\r\n"), std::string::npos) << raw10;
  EXPECT_TRUE(closed10);
  auto [ka10, kept10] = Exchange(port_, {"GET /text HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"});
  EXPECT_NE(ka10.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << ka10;
  auto [polled, closed] = Exchange(port_, {"GET /close HTTP/1.1\r\nHost: t\r\n\r\n"});
  EXPECT_EQ(Count(polled, "\r\nConnection: "), 1u) << polled;
  EXPECT_NE(polled.find("\r\nConnection: close\r\n"), std::string::npos) << polled;
  EXPECT_TRUE(closed);
}

TEST_F(WriteResponseTest, WithoutServerKeepAliveEveryReplySaysClose) {
  auto [raw, closed] = Exchange(port_, {"GET /text HTTP/1.1\r\nHost: t\r\n\r\n"});
  EXPECT_NE(raw.find("\r\nConnection: close\r\n"), std::string::npos) << raw;
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace observd
