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

// One listening address and its own worker pool.
struct Listener {
  std::string address;  // web.listen_address grammar, validated with the config
  int threads = 0;      // CivetWeb workers: one per open connection
  Millis request_timeout{5000};
};

class WebServer {
 public:
  // Binds and starts serving. On failure (bad address, port in use) returns nullptr
  // with `*error` set.
  static std::unique_ptr<WebServer> Start(const Listener& listener, Router* router,
                                          std::string* error);
  // The main listener of `config` (web.listen_address, num_threads, request_timeout).
  static std::unique_ptr<WebServer> Start(const WebConfig& config, Router* router,
                                          std::string* error) {
    return Start(Listener{config.listen_address, config.num_threads, config.request_timeout},
                 router, error);
  }
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
