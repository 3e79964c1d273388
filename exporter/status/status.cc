#include "status/status.h"

#include <algorithm>

namespace observd {

std::optional<double> HitRatio(uint64_t hits, uint64_t misses) {
  if (hits + misses == 0) return std::nullopt;
  return static_cast<double>(hits) / static_cast<double>(hits + misses);
}

bool IsStale(std::optional<double> age_seconds, double stale_after_seconds) {
  return !age_seconds || *age_seconds > stale_after_seconds;
}

std::optional<double> Status::snapshot_age_seconds() const {
  if (!snapshot) return std::nullopt;
  return std::max(0.0, now - snapshot->app.computed_at);
}

std::optional<double> Status::cache_hit_ratio() const {
  if (!snapshot) return std::nullopt;
  return cache.hit_ratio();
}

}  // namespace observd
