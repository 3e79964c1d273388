// HistoryView is what the charts draw, copied out of the threaded owners
// (snapshot/History, snapshot/Annotations, snapshot/AppSeries) so that render/ reads
// plain data: Redis latency samples, observd's requests per minute, the annotation marks
// and bands, and the application's series per bucket.
// Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/app_series_view.h"

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
  // The application's uploads and runs per bucket (AppSeriesReader); nullopt when this
  // answer does not carry them (an event-stream delta).
  std::optional<AppSeriesView> app_series;
};

}  // namespace observd
