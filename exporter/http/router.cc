#include "http/router.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "http/route_policy.h"
#include "util/host_port.h"

namespace observd {

Response Router::Answer(const Request& req, const Route* route, const HttpSettings& site) {
  if (!req.framing.ok()) {
    // Where this request ends is ambiguous (RFC 9112): answer once and close, so no
    // byte of it is ever read as the next request.
    Response r = TextResponse(400, "bad request: " + req.framing.error());
    r.close = true;
    return r;
  }
  if (!req.path_ok || (req.is_get() && req.has_body)) {
    // A bad escape or NUL in the path, or a body on a GET: refuse and close, since
    // the body's framing cannot be trusted.
    Response r = TextResponse(400, "bad request");
    r.close = true;
    return r;
  }
  const AuthOutcome auth = site.auth_required() && !(route && route->open)
                               ? site.auth->Verify(req.Header("Authorization"))
                               : AuthOutcome::kOk;
  if (auth != AuthOutcome::kOk) {
    RecordAuthFailure(req, auth);
    Response r = TextResponse(401, "Unauthorized");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"observd\", charset=\"UTF-8\"");
    return r;
  }
  if (!route) return TextResponse(404, "not found");
  if (!req.is_get()) {
    Response r = TextResponse(405, "method not allowed");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  return route->handle(req);
}

void Router::RecordAuthFailure(const Request& req, AuthOutcome outcome) {
  const std::string_view name = AuthOutcomeName(outcome);
  deps_.metrics->CountAuthFailure(name);
  if (outcome == AuthOutcome::kMissing) return;
  uint64_t suppressed = 0;
  const double now =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (!auth_log_.Allow(now, &suppressed)) return;
  // One line a tool such as fail2ban can match (packaging/fail2ban/). Behind a proxy on
  // loopback (the shipped nginx front) the client is the one it names in X-Real-IP, when
  // that is an IPv4 address; the proxy's address follows as via=. From any other peer the
  // header is ignored: it would let a client pick the address that gets banned.
  std::string client = req.remote_addr, via;
  const char* real = req.Header("X-Real-IP");
  if (real && req.remote_addr.starts_with("127.") && IsIPv4Literal(real)) {
    via = " via=" + req.remote_addr;
    client = real;
  }
  if (suppressed == 0) {
    spdlog::warn("authentication failed: client={} reason={}{}", client, name, via);
  } else {
    spdlog::warn("authentication failed: client={} reason={}{} (and {} more not logged)", client,
                 name, via, suppressed);
  }
}

int Router::Handle(mg_connection* conn) {
  const auto t0 = std::chrono::steady_clock::now();
  size_t index = deps_.table->routes().size();  // unmatched: the "other" label
  int status = 500;
  try {
    Request req = ReadRequest(conn);
    if (req.htmx) deps_.board->CountHtmxEvent();
    const Route* route = deps_.table->Find(req.path, &index);
    if (route && deps_.scrape_only && !route->scrape) {
      route = nullptr;  // the scrape listener serves the site's routes nowhere
      index = deps_.table->routes().size();
    }
    auto site = deps_.settings();
    Response r;
    try {
      r = Answer(req, route, *site);
    } catch (const std::exception& e) {
      spdlog::error("handler {} failed: {}", route ? route->label : "other", e.what());
      r = TextResponse(500, "internal error");
    }
    // Every answer of a polled route, a 401 included: closed, and cacheable only as
    // ApplyPollPolicy says.
    if (route && route->polled) ApplyPollPolicy(site->auth_required(), &r);
    status = r.status;
    WriteResponse(conn, r, site->extra_headers, req.head, req.gzip);
  } catch (...) {
    // Nothing may cross into CivetWeb's C callbacks.
    status = 500;
  }
  deps_.metrics->ObserveRequest(
      index, status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  deps_.board->CountRequest();
  deps_.history->CountRequest(deps_.now());
  return status;
}

}  // namespace observd
