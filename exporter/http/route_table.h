// RouteTable is the list of everything observd answers: one row per route with its
// path, the methods it takes, the handler label its requests are counted under and
// the function that answers. Matching is by exact path, or by prefix for rows that
// say so (the static assets). Immutable after construction; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace observd {

struct Route {
  enum class Match { kExact, kPrefix };
  std::string path;  // "/metrics", or a prefix such as "/static/"
  Match match = Match::kExact;
  std::string
      label;  // the handler label of observd_http_requests_total (fixed, never from the request)
  bool open = false;  // answered without authentication (liveness)
  // Polled by open dashboards (partials, JSON): ApplyPollPolicy sets its caching
  // headers and closes the connection after the answer.
  bool polled = false;
  // Also answered on web.metrics_listen_address, the scrape listener whose own small
  // pool site viewers cannot take: /metrics and the health checks.
  bool scrape = false;
  // Answers a GET or HEAD (the only methods observd serves); never throws on
  // purpose, but the router answers 500 if it does.
  std::function<Response(const Request&)> handle;
};

class RouteTable {
 public:
  explicit RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {}

  // The row for `path`, or nullptr (404). `*index` is its position.
  const Route* Find(std::string_view path, size_t* index) const;
  // Handler labels in row order: index i labels route i.
  std::vector<std::string> Labels() const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  const std::vector<Route> routes_;
};

}  // namespace observd
