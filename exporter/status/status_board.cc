#include "status/status_board.h"

namespace observd {

StatusBoard::StatusBoard(SnapshotReader* cache, std::function<double()> now, std::string version,
                         std::string revision)
    : cache_(cache),
      now_(std::move(now)),
      version_(std::move(version)),
      revision_(std::move(revision)),
      start_time_(now_()) {
  settings_.queries = std::make_shared<const std::vector<QueryConfig>>();
}

void StatusBoard::CountCacheRead(bool hit) {
  (hit ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
}

void StatusBoard::RecordPing(bool up, double seconds) {
  if (up) latency_seconds_.store(seconds);
  redis_up_.store(up);
  redis_sampled_.store(true);
}

void StatusBoard::SetSettings(StatusSettings settings) {
  if (!settings.queries) settings.queries = std::make_shared<const std::vector<QueryConfig>>();
  std::lock_guard<std::mutex> lk(settings_mu_);
  settings_ = std::move(settings);
}

Status StatusBoard::Read() { return Fill(cache_->Get()); }

Status StatusBoard::ReadCurrent() { return Fill(cache_->Current()); }

Status StatusBoard::Fill(std::shared_ptr<const VersionedSnapshot> snapshot) {
  Status s;
  // First: the read may have refreshed (so `now` follows it) and counted itself.
  s.snapshot = std::move(snapshot);
  s.now = now_();
  s.start_time = start_time_;
  s.requests_total = requests_.load(std::memory_order_relaxed);
  s.dashboard_refreshes = refreshes_.load(std::memory_order_relaxed);
  s.htmx_events = htmx_.load(std::memory_order_relaxed);
  // sampled first: once it reads true, the first PING's `up` is visible too.
  s.redis.sampled = redis_sampled_.load();
  s.redis.up = redis_up_.load();
  if (s.redis.up) s.redis.latency_seconds = latency_seconds_.load();
  s.redis.errors_total = redis_errors_.load(std::memory_order_relaxed);
  if (endpoints_) s.redis.endpoints = endpoints_->Current();
  s.cache.hits = hits_.load(std::memory_order_relaxed);
  s.cache.misses = misses_.load(std::memory_order_relaxed);
  s.cache.ttl_seconds = cache_->ttl().count() / 1000.0;
  {
    std::lock_guard<std::mutex> lk(settings_mu_);
    s.stale_after_seconds = settings_.stale_after_seconds;
    s.queries = settings_.queries;
  }
  if (store_state_) s.history_store = store_state_();
  s.version = version_;
  s.revision = revision_;
  return s;
}

}  // namespace observd
