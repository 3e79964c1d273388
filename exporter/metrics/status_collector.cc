#include "metrics/status_collector.h"

#include "metrics/family.h"
#include "util/metric_names.h"

namespace observd {

using prometheus::MetricType;
namespace names = metric_names;

std::vector<prometheus::MetricFamily> CollectStatusMetrics(const Status& s) {
  std::vector<prometheus::MetricFamily> out;
  auto add = [&](std::string_view name, const char* help, MetricType type, double v) {
    out.push_back(SingleSample(name, help, type, v));
  };
  add(names::kDashboardRefresh, "Dashboard auto-refresh updates served (stats partial, SSE ticks).",
      MetricType::Counter, static_cast<double>(s.dashboard_refreshes));
  add(names::kHtmxEvents, "HTTP requests that carried the header HX-Request: true.",
      MetricType::Counter, static_cast<double>(s.htmx_events));
  add(names::kCacheHits, "Snapshot reads served from the cache without starting a Redis refresh.",
      MetricType::Counter, static_cast<double>(s.cache.hits));
  add(names::kCacheMisses, "Snapshot reads that found the cache expired or empty.",
      MetricType::Counter, static_cast<double>(s.cache.misses));
  add(names::kCacheHitRatio,
      "Cache hits divided by hits plus misses since start; 0 before any read.", MetricType::Gauge,
      s.cache.hit_ratio().value_or(0));
  // No sample before the first PING has answered or failed: unknown, not down.
  auto up =
      MakeFamily(names::kRedisUp, "1 when the last Redis round trip (PING) succeeded, else 0.",
                 MetricType::Gauge);
  if (s.redis.sampled) AddSample(&up, {}, s.redis.up ? 1 : 0);
  out.push_back(std::move(up));
  // No sample while Redis is down: the last good value is not today's latency.
  auto latency = MakeFamily(names::kRedisLatency,
                            "Round-trip time of the last successful Redis PING, in seconds.",
                            MetricType::Gauge);
  if (s.redis.latency_seconds) AddSample(&latency, {}, *s.redis.latency_seconds);
  out.push_back(std::move(latency));
  add(names::kRedisErrors, "Failed Redis operations (connect, command, timeout, protocol).",
      MetricType::Counter, static_cast<double>(s.redis.errors_total));
  add(names::kSnapshotAge,
      "Age of the application snapshot being served, in seconds; -1 when there is none.",
      MetricType::Gauge, s.snapshot_age_seconds().value_or(-1));
  // Known only for a snapshot whose uploads table was read.
  auto skipped = MakeFamily(names::kSnapshotSkippedRecords,
                            "Upload records in the served snapshot that observd did not read "
                            "because they exceed its size bound or are not hashes (their "
                            "rows say so).",
                            MetricType::Gauge);
  if (s.snapshot && s.snapshot->app.recent_error.empty()) {
    AddSample(&skipped, {}, static_cast<double>(s.snapshot->app.skipped_records));
  }
  out.push_back(std::move(skipped));
  // No samples when history.path is empty (memory only, by choice): nothing to alert on.
  const StoreState& store = s.history_store;
  auto store_up = MakeFamily(names::kHistoryStoreUp,
                             "1 when the history store (history.path) was opened and its last "
                             "write committed, 0 while it cannot be opened or written.",
                             MetricType::Gauge);
  if (store.kind != StoreState::Kind::kMemory) {
    AddSample(&store_up, {}, store.kind == StoreState::Kind::kOk ? 1 : 0);
  }
  out.push_back(std::move(store_up));
  auto store_size = MakeFamily(names::kHistoryStoreSize,
                               "Bytes of the history store file and its write-ahead log after "
                               "the last write; no sample while the store is not kept.",
                               MetricType::Gauge);
  if (store.size_bytes) AddSample(&store_size, {}, static_cast<double>(*store.size_bytes));
  out.push_back(std::move(store_size));
  return out;
}

}  // namespace observd
