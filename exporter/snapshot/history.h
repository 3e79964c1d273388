// History keeps the server-side series behind the charts: Redis latency samples
// (ring buffer, one hour by default) and requests per minute, so that charts are
// full right after a page reload. Thread-safe: latency under a mutex (written once
// a second), request counting lock-free (hot path).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace observd {

struct LatencySample {
  double t = 0;              // unix seconds
  std::optional<double> ms;  // nullopt when the PING failed
};

class History {
 public:
  static constexpr int kMinutes = 60;

  explicit History(size_t latency_capacity);
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  void AddLatency(LatencySample sample);
  // Samples oldest first; at most the newest `max` when max > 0.
  std::vector<LatencySample> Latency(size_t max = 0) const;
  std::optional<LatencySample> LastLatency() const;

  // Counts one request in the minute of `now` (unix seconds).
  void CountRequest(double now);
  // The last kMinutes whole-or-current minutes, oldest first: (minute start, count).
  std::vector<std::pair<int64_t, uint64_t>> RequestsPerMinute(double now) const;

 private:
  struct Bucket {
    std::atomic<int64_t> minute{-1};
    std::atomic<uint64_t> count{0};
  };

  mutable std::mutex mu_;
  std::vector<LatencySample> ring_;
  size_t head_ = 0;  // next write position
  size_t size_ = 0;
  std::array<Bucket, kMinutes + 4> buckets_;
};

}  // namespace observd
