#include "http/web_server.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

#include "http/response.h"
#include "util/listen_address.h"

namespace observd {
namespace {

int HandleRequest(mg_connection* conn, void* cbdata) {
  return static_cast<Router*>(cbdata)->Handle(conn);
}

// CivetWeb's own error replies (malformed request, oversized headers, 411, 505...)
// get the same security headers as ours. Written raw with Connection: close: the
// request could not be parsed, so the connection cannot be reused.
int HttpError(mg_connection* conn, int status, const char* /*message*/) {
  auto* router = static_cast<const Router*>(mg_get_user_data(mg_get_context(conn)));
  const std::string reply = ErrorReply(status, router ? router->ExtraHeaders() : Headers{});
  mg_disable_keep_alive(conn);
  mg_write(conn, reply.data(), reply.size());
  return 0;  // handled
}

// A client that connects and sends nothing stays in the kernel (TCP_DEFER_ACCEPT)
// for about this long before CivetWeb accepts it and a worker waits on it for the
// header deadline; real clients send their request with the handshake's last ACK.
constexpr int kDeferAcceptSeconds = 30;

// Sets TCP_DEFER_ACCEPT on the listening socket(s) bound to `port`. CivetWeb 1.15 has
// no option for it and does not expose its sockets, so this process's descriptors are
// scanned for a listening TCP socket with that local port. Returns how many were set.
int DeferAccept(int port, int seconds) {
  int done = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const int fd = std::atoi(entry.path().filename().c_str());
    int listening = 0;
    socklen_t len = sizeof(listening);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_in addr{};
    len = sizeof(addr);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        addr.sin_family != AF_INET || ntohs(addr.sin_port) != port) {
      continue;
    }
    if (setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof(seconds)) == 0) ++done;
  }
  return done;
}

int LogMessage(const mg_connection*, const char* message) {
  spdlog::debug("civetweb: {}", message);
  return 1;  // handled: keep CivetWeb from printing to stderr itself
}

}  // namespace

Result<std::unique_ptr<WebServer>> WebServer::Start(const Listener& listener, Router* router) {
  static std::once_flag init;
  std::call_once(init, [] { mg_init_library(0); });
  auto listen = ParseListenAddress(listener.address);  // validated with the config
  if (!listen.ok()) return Fail(listen.error());
  const std::string ports = listen->ToString();
  const std::string threads = std::to_string(listener.threads);
  const std::string timeout = std::to_string(listener.request_timeout.count());
  // clang-format off
  const char* options[] = {
      "listening_ports", ports.c_str(),
      "num_threads", threads.c_str(),
      // Also the header deadline: a socket that has not sent a whole request line and
      // headers by then is closed, and gives its worker back.
      "request_timeout_ms", timeout.c_str(),
      "enable_keep_alive", "yes",
      // An idle keep-alive socket holds a worker thread: keep it short. Dashboard
      // partials close after the response anyway (ApplyPollPolicy); scrapes and page
      // loads keep their connection this long.
      "keep_alive_timeout_ms", "1000",
      // Room for a burst of connects (a thousand dashboards reloading) while every
      // worker is busy; the kernel caps it at net.core.somaxconn.
      "listen_backlog", "1024",
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
    return Fail("cannot listen on " + listener.address + ": " +
                (text[0] ? std::string(text) : "unknown error"));
  }
  if (DeferAccept(listen->port, kDeferAcceptSeconds) == 0) {
    spdlog::warn("could not set TCP_DEFER_ACCEPT on {}: idle connections hold workers",
                 listener.address);
  }
  mg_set_request_handler(ctx, "/", HandleRequest, router);
  auto server = std::unique_ptr<WebServer>(new WebServer());
  server->ctx_ = ctx;
  return Result<std::unique_ptr<WebServer>>(std::move(server));
}

WebServer::~WebServer() { Stop(); }

void WebServer::Stop() {
  if (ctx_) {
    mg_stop(ctx_);
    ctx_ = nullptr;
  }
}

}  // namespace observd
