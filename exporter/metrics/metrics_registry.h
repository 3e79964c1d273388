// Metrics owns the prometheus-cpp Registry and every observd_* metric of the
// DESIGN.md contract, plus the collectors computed at scrape time (application
// gauges, process_*). Serialize() renders the text format 0.0.4. Thread-safe:
// prometheus-cpp metrics are atomic; the per-(handler, code) counter table is
// filled lazily under a mutex and read lock-free.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "snapshot/snapshot_cache.h"

namespace observd {

// Every route the server answers, for the handler label. Fixed set: no label
// value ever comes from the request.
enum class Handler {
  kMetrics,
  kIndex,
  kObservabilityPage,
  kUploadsPage,
  kStatic,
  kApiStats,
  kStatsHtml,
  kUploadsHtml,
  kMetricsHtml,
  kHistory,
  kHistoryCsv,
  kUploadsCsv,
  kEvents,
  kHealthy,
  kReady,
  kOther,
  kCount,
};
const char* HandlerLabel(Handler h);

// What the application collector needs at scrape time.
struct SnapshotState {
  std::shared_ptr<const VersionedSnapshot> snapshot;
  double age_seconds = 0;
  bool stale = true;  // older than the staleness limit: application gauges omitted.
  std::shared_ptr<const std::vector<QueryConfig>> queries;
};

class Metrics {
 public:
  Metrics(std::string version, std::string revision);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Records one response.
  void ObserveRequest(Handler handler, int code, double seconds);

  prometheus::Counter& dashboard_refresh() { return *dashboard_refresh_; }
  prometheus::Counter& htmx_events() { return *htmx_events_; }
  prometheus::Counter& cache_hits() { return *cache_hits_; }
  prometheus::Counter& cache_misses() { return *cache_misses_; }
  prometheus::Counter& redis_errors() { return *redis_errors_; }
  void ObserveRefresh(RefreshOutcome outcome, double seconds);
  void ObservePing(bool up, double seconds);
  double requests_total() const;

  // Sets where the application gauges come from (called once at start-up).
  void SetSnapshotState(std::function<SnapshotState()> state);

  // Renders every metric family; `out` is cleared first.
  void Serialize(std::string* out) const;

 private:
  prometheus::Counter& RequestCounter(Handler handler, int code);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Counter* dashboard_refresh_;
  prometheus::Counter* htmx_events_;
  prometheus::Counter* cache_hits_;
  prometheus::Counter* cache_misses_;
  prometheus::Counter* redis_errors_;
  prometheus::Gauge* cache_hit_ratio_;
  prometheus::Gauge* redis_up_;
  prometheus::Gauge* redis_latency_;
  prometheus::Gauge* snapshot_age_;
  prometheus::Histogram* ping_duration_;
  std::array<prometheus::Counter*, 3> refreshes_;
  std::array<prometheus::Histogram*, 3> refresh_duration_;
  prometheus::Family<prometheus::Counter>* requests_family_;
  std::array<prometheus::Histogram*, static_cast<size_t>(Handler::kCount)> durations_;

  static constexpr int kMinCode = 100;
  static constexpr int kCodes = 500;
  std::mutex requests_mu_;  // guards creation in requests_family_
  std::unique_ptr<std::atomic<prometheus::Counter*>[]> requests_;
  std::atomic<uint64_t> requests_total_{0};

  std::function<SnapshotState()> state_;
};

}  // namespace observd
