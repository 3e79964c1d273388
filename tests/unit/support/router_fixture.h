// RouterTest: a real CivetWeb server (http/web_server.h) on a loopback port whose every
// request goes to a Router over a small route table, and a raw-socket client, so tests
// see exactly the bytes a client gets. Shared by request_test and router_test.
// Header-only; the fixture is used by one test thread (the server has its own).
#pragma once

#include <gtest/gtest.h>
#include <strings.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/router.h"
#include "http/web_server.h"
#include "support/loopback.h"

namespace observd::testing {

// Writes `request` on a new loopback connection to `port` and returns everything read
// until the server closes it (requests should say Connection: close).
inline std::string Exchange(int port, const std::string& request) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  std::string raw;
  if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return raw;
}

// The parts of one raw HTTP/1.1 reply.
struct Reply {
  int status = 0;
  std::string head;  // status line and headers, each line ending "\r\n"
  std::string body;

  explicit Reply(const std::string& raw) {
    const size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return;
    status = std::stoi(raw.substr(9, 3));
    head = raw.substr(0, end + 2);
    body = raw.substr(end + 4);
  }
  // The value of header `name` (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const {
    for (size_t pos = head.find("\r\n"); pos != std::string::npos && pos + 2 < head.size();) {
      const size_t eol = head.find("\r\n", pos + 2);
      const std::string line = head.substr(pos + 2, eol - pos - 2);
      if (line.size() > name.size() && line[name.size()] == ':' &&
          strncasecmp(line.c_str(), name.c_str(), name.size()) == 0) {
        return line.substr(line.find_first_not_of(' ', name.size() + 1));
      }
      pos = eol;
    }
    return "";
  }
};

class EmptyReader : public SnapshotReader {
 public:
  std::shared_ptr<const VersionedSnapshot> Get() override { return nullptr; }
  std::shared_ptr<const VersionedSnapshot> Current() const override { return nullptr; }
  Millis ttl() const override { return Millis(1000); }
};

class RouterTest : public ::testing::Test {
 protected:
  static constexpr double kNow = 1764355200;

  RouterTest()
      : table_(Routes()),
        metrics_("t", "t", table_.Labels()),
        board_(
            &reader_, [] { return kNow; }, "t", "t"),
        history_(16),
        settings_(std::make_shared<HttpSettings>()) {}
  ~RouterTest() override {
    if (server_) server_->Stop();
  }

  // Starts serving; `auth` (user -> bcrypt hash) turns on Basic auth.
  void Start(std::map<std::string, std::string> auth = {}, bool scrape_only = false) {
    auto settings = std::make_shared<HttpSettings>();
    settings->auth = std::make_unique<BasicAuth>(std::move(auth));
    settings->extra_headers = {{"X-Operator", "1"}};
    settings_ = std::move(settings);
    router_ = std::make_unique<Router>(Router::Deps{&table_, [this] { return settings_; },
                                                    &metrics_, &board_, &history_,
                                                    [] { return kNow; }, scrape_only});
    port_ = FreeLoopbackPort();
    auto server = WebServer::Start(Listener{"127.0.0.1:" + std::to_string(port_), 4, Millis(5000)},
                                   router_.get());
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
  }

  // One request: `method path` with `headers` (each ending "\r\n"), closed after.
  Reply Send(const std::string& method, const std::string& path, const std::string& headers = "") {
    return Reply(Exchange(port_, method + " " + path + " HTTP/1.1\r\nHost: t\r\n" + headers +
                                     "Connection: close\r\n\r\n"));
  }

  // What the server scraped for `status` and `handler` (a line of /metrics), or "".
  std::string Requests(int status, const std::string& handler) {
    std::string text;
    metrics_.Serialize(board_.Read(), &text);
    const std::string key = "observd_http_requests_total{code=\"" + std::to_string(status) +
                            "\",handler=\"" + handler + "\"} ";
    const size_t at = text.find(key);
    return at == std::string::npos
               ? ""
               : text.substr(at + key.size(), text.find('\n', at) - at - key.size());
  }

  // The request each /echo answer describes, one field a line.
  static Response Echo(const Request& r) {
    std::string out = "path=" + r.path + "\nquery=" + (r.query ? r.query : "(null)") +
                      "\nmethod=" + r.method + "\nremote=" + r.remote_addr +
                      "\nhead=" + std::to_string(r.head) + "\nbody=" + std::to_string(r.has_body) +
                      "\nhtmx=" + std::to_string(r.htmx) + "\ngzip=" + std::to_string(r.gzip) +
                      "\nua=" + (r.Header("User-Agent") ? r.Header("User-Agent") : "(null)");
    return TextResponse(200, out);
  }

  static std::vector<Route> Routes() {
    auto row = [](std::string path, std::function<Response(const Request&)> handle) {
      Route r;
      r.path = std::move(path);
      r.label = r.path;
      r.handle = std::move(handle);
      return r;
    };
    std::vector<Route> routes;
    routes.push_back(row("/ok", [](const Request&) { return TextResponse(200, "ok"); }));
    routes.push_back(row("/echo/", Echo));
    routes.back().match = Route::Match::kPrefix;
    routes.push_back(row("/open", [](const Request&) { return TextResponse(200, "open"); }));
    routes.back().open = true;
    routes.push_back(
        row("/boom", [](const Request&) -> Response { throw std::runtime_error("handler bug"); }));
    routes.push_back(row("/polled", [](const Request&) { return TextResponse(200, "p"); }));
    routes.back().polled = true;
    routes.push_back(row("/scrape", [](const Request&) { return TextResponse(200, "s"); }));
    routes.back().scrape = true;
    return routes;
  }

  const RouteTable table_;
  Metrics metrics_;
  EmptyReader reader_;
  StatusBoard board_;
  History history_;
  std::shared_ptr<const HttpSettings> settings_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<WebServer> server_;
  int port_ = 0;
};

}  // namespace observd::testing
