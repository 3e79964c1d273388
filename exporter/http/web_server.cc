#include "http/web_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

#include "http/response.h"

namespace observd {
namespace {

int HandleRequest(mg_connection* conn, void* cbdata) {
  return static_cast<Router*>(cbdata)->Handle(conn);
}

// CivetWeb's own error replies (malformed request, oversized headers, 411, 505...)
// get the same security headers as ours. Written raw with Connection: close: the
// request could not be parsed, so the connection cannot be reused.
int HttpError(mg_connection* conn, int status, const char* message) {
  std::string body = std::string(StatusText(status)) + "\n";
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + StatusText(status) +
                     "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\nConnection: close\r\n";
  auto* router = static_cast<const Router*>(mg_get_user_data(mg_get_context(conn)));
  for (const auto& [k, v] : ResponseHeaders(router ? router->ExtraHeaders() : Headers{})) {
    head += k + ": " + v + "\r\n";
  }
  head += "\r\n";
  (void)message;
  mg_disable_keep_alive(conn);
  mg_write(conn, head.data(), head.size());
  mg_write(conn, body.data(), body.size());
  return 0;  // handled
}

int LogMessage(const mg_connection*, const char* message) {
  spdlog::debug("civetweb: {}", message);
  return 1;  // handled: keep CivetWeb from printing to stderr itself
}

}  // namespace

std::string CivetListenSpec(const std::string& addr) {
  auto colon = addr.rfind(':');
  std::string host = addr.substr(0, colon);
  std::string port = addr.substr(colon + 1);
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  return host + ":" + port;
}

std::unique_ptr<WebServer> WebServer::Start(const WebConfig& config, Router* router,
                                            std::string* error) {
  static std::once_flag init;
  std::call_once(init, [] { mg_init_library(0); });
  const std::string ports = CivetListenSpec(config.listen_address);
  const std::string threads = std::to_string(config.num_threads);
  const std::string timeout = std::to_string(config.request_timeout.count());
  // clang-format off
  const char* options[] = {
      "listening_ports", ports.c_str(),
      "num_threads", threads.c_str(),
      "request_timeout_ms", timeout.c_str(),
      "enable_keep_alive", "yes",
      // An idle keep-alive socket holds a worker thread: keep it short.
      "keep_alive_timeout_ms", "1000",
      // Without it every keep-alive response waits ~40 ms (Nagle vs delayed ACKs).
      "tcp_nodelay", "1",
      "enable_directory_listing", "no",
      "max_request_size", "16384",
      "decode_url", "yes",
      nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.log_message = LogMessage;
  callbacks.http_error = HttpError;
  mg_init_data init_data{};
  init_data.callbacks = &callbacks;
  init_data.configuration_options = options;
  init_data.user_data = router;
  char text[256] = {0};
  unsigned code = 0;
  mg_error_data err{&code, text, sizeof(text)};
  mg_context* ctx = mg_start2(&init_data, &err);
  if (!ctx) {
    *error = "cannot listen on " + config.listen_address + ": " +
             (text[0] ? std::string(text) : "unknown error");
    return nullptr;
  }
  mg_set_request_handler(ctx, "/", HandleRequest, router);
  auto server = std::unique_ptr<WebServer>(new WebServer());
  server->ctx_ = ctx;
  return server;
}

WebServer::~WebServer() { Stop(); }

void WebServer::Stop() {
  if (ctx_) {
    mg_stop(ctx_);
    ctx_ = nullptr;
  }
}

}  // namespace observd
