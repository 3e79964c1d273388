// Annotations records the events the site draws on every time chart: observd starts,
// configuration reloads and Redis outages (a band from the first failure to the next
// success). Keeps the last hour, at most kMax. Thread-safe: one mutex, taken on state
// changes and when the history is read.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/history_view.h"
#include "model/minutes.h"

namespace observd {

class Annotations {
 public:
  static constexpr size_t kMax = 50;
  static constexpr double kKeepSeconds = kMinutes * 60;  // the charts' window

  void Mark(double t, std::string kind, std::string text);
  // Feeds every Redis round-trip outcome; only transitions record anything.
  void RedisState(double t, bool up);
  // Events that overlap [since, now], oldest first.
  std::vector<Annotation> Since(double since) const;
  // True when no event overlapping [since, now] has been dropped (by age or kMax), so
  // Since(since) is all of them.
  bool Complete(double since) const;

 private:
  void Push(Annotation a);  // mu_ held

  mutable std::mutex mu_;
  std::deque<Annotation> events_;
  std::optional<size_t> open_outage_;  // index into events_ of a band without end
  bool redis_up_ = true;
  bool seen_redis_ = false;
  double dropped_until_ = -1;  // the latest end (or time) of a dropped event
};

}  // namespace observd
