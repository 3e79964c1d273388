// HistoryView is what the charts draw, copied out of the threaded owners
// (snapshot/History, snapshot/Annotations) so that render/ reads plain data: Redis
// latency samples, observd's requests per minute and the annotation marks and bands.
// Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace observd {

struct LatencySample {
  double t = 0;              // unix seconds
  std::optional<double> ms;  // nullopt when the PING failed
  bool operator==(const LatencySample&) const = default;
};

struct MinuteCount {
  int64_t t = 0;  // unix seconds of the minute's start
  uint64_t count = 0;
  bool operator==(const MinuteCount&) const = default;
};

struct Annotation {
  double t = 0;               // unix seconds
  std::optional<double> end;  // bands only; nullopt while still going on
  std::string kind;           // "restart" | "reload" | "redis_down"
  std::string text;
  bool operator==(const Annotation&) const = default;
};

struct HistoryView {
  std::vector<LatencySample> latency;            // oldest first
  std::vector<MinuteCount> requests_per_minute;  // kMinutes (model/minutes.h), oldest first
  std::vector<Annotation> annotations;           // overlapping the last hour, oldest first
};

}  // namespace observd
