// StatusBoard collects what lower layers report through hooks (cache reads, Redis
// errors and PINGs, requests) and builds a Status from it on demand. It is the only
// place those counters live: metrics/ and render/ read Status, never each other.
// Thread-safe: counters are atomics, the reloadable settings sit behind a mutex.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "model/history_rows.h"
#include "model/redis_endpoint.h"
#include "status/status.h"

namespace observd {

// The parts of Status that come from the configuration and change on reload.
struct StatusSettings {
  double stale_after_seconds = 60;
  std::shared_ptr<const std::vector<QueryConfig>> queries;
};

class StatusBoard {
 public:
  // `cache` (snapshot/SnapshotCache) must outlive the board; `now` returns unix seconds.
  StatusBoard(SnapshotReader* cache, std::function<double()> now, std::string version,
              std::string revision);
  StatusBoard(const StatusBoard&) = delete;
  StatusBoard& operator=(const StatusBoard&) = delete;

  // Hooks for the layers below and the HTTP layer.
  void CountCacheRead(bool hit);
  void CountRedisError() { redis_errors_.fetch_add(1, std::memory_order_relaxed); }
  void RecordPing(bool up, double seconds);
  void CountRequest() { requests_.fetch_add(1, std::memory_order_relaxed); }
  void CountDashboardRefresh() { refreshes_.fetch_add(1, std::memory_order_relaxed); }
  void CountHtmxEvent() { htmx_.fetch_add(1, std::memory_order_relaxed); }

  void SetSettings(StatusSettings settings);

  // Where the Redis clients publish their endpoints (set once, before reads).
  void SetEndpoints(std::shared_ptr<const EndpointSource> endpoints) {
    endpoints_ = std::move(endpoints);
  }

  // Where the history recorder tells whether its store is kept (set once, before reads).
  void SetStoreState(std::function<StoreState()> store) { store_state_ = std::move(store); }

  // Cache hits and misses counted so far (uncounted read: no snapshot is read).
  std::pair<uint64_t, uint64_t> CacheReads() const {
    return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed)};
  }

  // The status for a consumer that shows the snapshot: reads it through the cache
  // (counted as a hit or a miss; a miss starts a refresh and waits at most the
  // cache's max_wait).
  Status Read();
  // The same without reading through the cache: the snapshot as it is (not counted, no
  // refresh, no wait), for a handler that must not wait on Redis for it because it waits
  // for something else (the history's application series).
  Status ReadCurrent();

 private:
  Status Fill(std::shared_ptr<const VersionedSnapshot> snapshot);

  SnapshotReader* const cache_;
  const std::function<double()> now_;
  const std::string version_;
  const std::string revision_;
  const double start_time_;

  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> refreshes_{0};
  std::atomic<uint64_t> htmx_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> redis_errors_{0};
  std::atomic<bool> redis_sampled_{false};
  std::atomic<bool> redis_up_{false};
  std::atomic<double> latency_seconds_{0};

  std::shared_ptr<const EndpointSource> endpoints_;  // may be null
  std::function<StoreState()> store_state_;          // may be empty

  mutable std::mutex settings_mu_;
  StatusSettings settings_;  // guarded by settings_mu_
};

}  // namespace observd
