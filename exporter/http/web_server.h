// WebServer owns the CivetWeb context: one port, a fixed worker pool, every request
// handed to the Router. CivetWeb's document root, directory listing, CGI, SSI, its own
// auth and TLS stay off. Start/Stop from one thread; serving is multi-threaded.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "http/router.h"

struct mg_context;

namespace observd {

class WebServer {
 public:
  // Binds and starts serving. On failure (bad address, port in use) returns nullptr
  // with `*error` set.
  static std::unique_ptr<WebServer> Start(const WebConfig& config, Router* router,
                                          std::string* error);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Stops accepting, lets in-flight requests finish, joins the workers. Idempotent.
  void Stop();

 private:
  WebServer() = default;
  mg_context* ctx_ = nullptr;
};

}  // namespace observd
