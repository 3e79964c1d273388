// Metrics owns the prometheus-cpp Registry for what only Prometheus sees (request
// counters and durations by handler, PING and refresh histograms, build info) and
// writes the whole exposition (text 0.0.4 or OpenMetrics): those families, the families computed
// from a Status (counters and gauges the site shows too), the application gauges and process_*.
// Thread-safe: prometheus-cpp metrics are atomic; the per-(handler, code) counter
// table is filled lazily under a mutex and read lock-free.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/exposition_format.h"
#include "model/refresh_outcome.h"
#include "status/status.h"

namespace observd {

class Metrics {
 public:
  // `handler_labels` is the fixed set of handler label values (the route table's,
  // index = handler id); the label of an unmatched request is `kOtherHandler`.
  Metrics(std::string version, std::string revision, std::vector<std::string> handler_labels);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  static constexpr const char* kOtherHandler = "other";

  // Records one response. `handler` indexes handler_labels; any other value counts
  // as kOtherHandler. Codes outside 100..599 count as 500.
  void ObserveRequest(size_t handler, int code, double seconds);
  void ObserveRefresh(RefreshOutcome outcome, double seconds);
  void ObservePing(bool up, double seconds);
  // Counts one request answered 401 by basic auth; `reason` is the label value (the
  // HTTP layer's names: http/basic_auth.h AuthOutcomeName). A series appears with
  // its first failure.
  void CountAuthFailure(std::string_view reason);
  // Counts `n` commands sent on Redis connection `client` (RedisOptions::name). A series
  // appears with the connection's first batch.
  void CountRedisCommands(std::string_view client, size_t n);

  // Renders every family for `status` in `format` (text 0.0.4 or OpenMetrics); `out`
  // is cleared first.
  void Serialize(const Status& status, std::string* out,
                 ExpositionFormat format = ExpositionFormat::kText004) const;
  // The same families, for other writers.
  std::vector<prometheus::MetricFamily> Collect(const Status& status) const;

 private:
  prometheus::Counter& RequestCounter(size_t handler, int code);

  const std::vector<std::string> labels_;  // handler_labels + kOtherHandler
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Histogram* ping_duration_;
  std::array<prometheus::Counter*, 3> refreshes_;
  prometheus::Family<prometheus::Counter>* auth_failures_;
  prometheus::Family<prometheus::Counter>* redis_commands_;
  std::array<prometheus::Histogram*, 3> refresh_duration_;
  prometheus::Family<prometheus::Counter>* requests_family_;
  std::vector<prometheus::Histogram*> durations_;  // one per label

  static constexpr int kMinCode = 100;
  static constexpr int kCodes = 500;
  std::mutex requests_mu_;  // guards creation in requests_family_
  std::unique_ptr<std::atomic<prometheus::Counter*>[]> requests_;
};

}  // namespace observd
