// Router answers every HTTP request CivetWeb hands over: it refuses malformed
// requests, checks Basic auth, finds the route-table row, enforces GET/HEAD, calls
// the row's handler, writes the response with the headers every response carries,
// and records the request (metrics by handler label, the status board, the history).
// Thread-safe; Handle() never throws.
#pragma once

#include <functional>
#include <memory>

#include "http/http_settings.h"
#include "http/route_table.h"
#include "metrics/metrics_registry.h"
#include "snapshot/history.h"
#include "status/status_board.h"
#include "util/log_budget.h"

struct mg_connection;

namespace observd {

class Router {
 public:
  struct Deps {
    const RouteTable* table;
    // The settings in force (the current site's: a reload swaps them whole).
    std::function<std::shared_ptr<const HttpSettings>()> settings;
    Metrics* metrics;
    StatusBoard* board;
    History* history;
    std::function<double()> now;  // unix seconds
    // The scrape listener's router: only rows with Route::scrape; the rest is 404.
    bool scrape_only = false;
  };
  explicit Router(Deps deps) : deps_(std::move(deps)) {}
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // CivetWeb entry point: answers the request, returns the status code.
  int Handle(mg_connection* conn);

  // The extra headers in force, for replies written outside Handle().
  Headers ExtraHeaders() const { return deps_.settings()->extra_headers; }

 private:
  Response Answer(const Request& req, const Route* route, const HttpSettings& site);
  // Counts a 401 and logs it (not a missing header: that is every browser's first
  // request), at most kAuthLogPerSecond lines a second.
  void RecordAuthFailure(const Request& req, AuthOutcome outcome);

  static constexpr int kAuthLogPerSecond = 5;
  const Deps deps_;
  LogBudget auth_log_{kAuthLogPerSecond};
};

}  // namespace observd
