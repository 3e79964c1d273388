// WriteResponse fixture for the tests of http/response.h: a real CivetWeb server on a
// loopback port answering each path with one response shape (ResponseFor), and a raw
// socket client that reads a reply back whole (Reply). Header-only; one server per test.
#pragma once

#include <civetweb.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/response.h"
#include "support/loopback.h"
#include "util/gzip.h"

namespace observd::write_response_test {

inline const Headers kExtra = {{"X-Operator", "from-web-config"}};

// The response each path answers; "/gzip*" bodies are large enough to compress.
inline Response ResponseFor(const std::string& path) {
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

inline int Handle(mg_connection* conn, void*) {
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

}  // namespace observd::write_response_test
