// TimeWindow is the span a chart shows and the width of its buckets: the step is the
// smallest of kSteps (the one step ladder: model/app_series_view.h's BucketRange uses it
// too) that keeps the window within kMaxPoints buckets, and buckets
// start at multiples of the step (UTC), so the same bucket has the same bounds in
// every window that contains it (what lets closed buckets be computed once).
// Plain data and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "util/result.h"

namespace observd {

inline constexpr int64_t kSteps[] = {60,   120,  300,   600,   900,   1800,
                                     3600, 7200, 10800, 21600, 43200, 86400};
inline constexpr int64_t kMaxPoints = 1500;
inline constexpr double kMinWindowSeconds = 60;
inline constexpr double kMaxWindowSeconds = 90 * 86400.0;
inline constexpr double kDefaultWindowSeconds = 3600;  // the live view without from/to
// How long the application's data may still change after its time: a run written when it
// ends, an upload's status settling, queueing delays. A bucket that ended longer ago is
// counted for good (AppSeries); an upload record older than this is re-read at most once
// per this period (UploadTable).
inline constexpr int64_t kSettleSeconds = 300;

struct TimeWindow {
  double from = 0;    // unix seconds, as asked
  double to = 0;      // unix seconds, as asked (may be past now)
  int64_t step = 60;  // bucket width, seconds
  int64_t first = 0;  // start of the first bucket (floor(from / step) * step)
  int64_t last = 0;   // start of the last bucket: the one holding min(to, now)
  int64_t buckets() const { return last < first ? 0 : (last - first) / step + 1; }
  bool operator==(const TimeWindow&) const = default;
};

// The smallest step of kSteps whose aligned buckets over a span stay within kMaxPoints
// (span / step + 2 <= kMaxPoints; the largest step if none).
int64_t StepFor(double span_seconds);

// The window [from, to] at `now`; an error (for a 400) when from >= to, or the span is
// under kMinWindowSeconds or over kMaxWindowSeconds, or a bound is not finite.
Result<TimeWindow> MakeWindow(double from, double to, double now);

// The start of the bucket of width `step` holding `t`.
int64_t BucketStart(double t, int64_t step);

}  // namespace observd
