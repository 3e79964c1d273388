// WebServer owns the CivetWeb context: one port, a fixed worker pool, every request
// handed to the Router. CivetWeb's document root, directory listing, CGI, SSI, its own
// auth and TLS stay off. Start/Stop from one thread; serving is multi-threaded.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "http/router.h"
#include "util/result.h"

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
  // Binds and starts serving; an error (bad address, port in use) says which.
  static Result<std::unique_ptr<WebServer>> Start(const Listener& listener, Router* router);
  // The main listener of `config` (web.listen_address, num_threads, request_timeout).
  static Result<std::unique_ptr<WebServer>> Start(const WebConfig& config, Router* router) {
    return Start(Listener{config.listen_address, config.num_threads, config.request_timeout},
                 router);
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
