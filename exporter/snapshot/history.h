// History keeps the server-side series behind the charts: Redis latency samples
// (ring buffer, one hour by default) and requests per minute, so that charts are
// full right after a page reload; MakeHistoryView copies what the charts draw into
// plain data (model/history_view.h) for render/. Thread-safe: latency under a mutex
// (written once a second), request counting lock-free (hot path).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "model/history_rows.h"
#include "model/history_view.h"
#include "model/minutes.h"
#include "snapshot/annotations.h"

namespace observd {

class History {
 public:
  explicit History(size_t latency_capacity);
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  void AddLatency(LatencySample sample);
  // Samples oldest first; at most the newest `max` when max > 0.
  std::vector<LatencySample> Latency(size_t max = 0) const;
  std::optional<LatencySample> LastLatency() const;
  std::optional<LatencySample> FirstLatency() const;

  // Samples with t in [from, to), oldest first.
  std::vector<LatencySample> LatencyBetween(double from, double to) const;

  // Counts one request in the minute of `now` (unix seconds).
  void CountRequest(double now);
  // The kMinutes minutes up to the current one (model/minutes.h), oldest first.
  std::vector<MinuteCount> RequestsPerMinute(double now) const;
  // Requests counted in unix minute `minute` (seconds / 60); 0 once its slot is reused.
  uint64_t RequestsInMinute(int64_t minute) const;

  // The closed minutes' rows (snapshot/HistoryRecorder writes them once a minute): the
  // newest kMemoryMinutes are kept, for the charts without a store and for the minutes
  // not yet written to it.
  static constexpr size_t kMemoryMinutes = 24 * 60;
  void AddMinute(const MinuteRow& row);
  // Rows with t in [from, to), oldest first.
  std::vector<MinuteRow> Minutes(int64_t from, int64_t to) const;
  // The oldest row kept, nullopt when none.
  std::optional<int64_t> OldestMinute() const;

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
  std::deque<MinuteRow> minutes_;  // under mu_
};

// What the charts draw at `now`: the newest `latency_points` latency samples (0 = all),
// the requests per minute and the annotations (none without `annotations`) of the
// chart window.
HistoryView MakeHistoryView(const History& history, const Annotations* annotations, double now,
                            size_t latency_points = 0);

}  // namespace observd
