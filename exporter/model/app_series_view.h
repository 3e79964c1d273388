// The application's series per time bucket (uploads and workflow runs, counted from its
// sorted sets): the bucket grid they are counted on (BucketRange: aligned starts, a step
// of the ladder, at most kMaxPoints), the plain-data answer render/ reads
// (AppSeriesView) and the read interface of whoever counts them (snapshot/AppSeries).
// Plain data and pure functions (thread-safe); implementations of AppSeriesReader say
// their own thread-safety.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/app_snapshot.h"
#include "model/time_window.h"
#include "util/result.h"

namespace observd {

// Buckets [first, first + step), ..., [last, last + step): starts are multiples of
// `step` (UTC epoch seconds), first <= last.
struct BucketRange {
  int64_t first = 0;
  int64_t last = 0;
  int64_t step = 60;
  int64_t count() const { return (last - first) / step + 1; }
  bool operator==(const BucketRange&) const = default;
};

// Fails, naming the problem, unless `range` is a step of kSteps (model/time_window.h) with
// aligned starts, first <= last, at most kMaxPoints buckets, between 1970 and 9999.
Result<> CheckBucketRange(const BucketRange& range);

// The live chart window: the kMinutes one-minute buckets ending with the one holding
// `now` (model/minutes.h).
BucketRange LiveMinutes(double now);

// Counts per bucket of `range`, oldest first; nullopt = unknown (Redis failed or
// answered garbage), never 0.
struct AppSeriesView {
  int64_t first = 0;  // start of the first bucket (unix seconds)
  int64_t step = 60;  // bucket width (seconds)
  std::vector<MaybeInt> uploads;
  std::map<std::string, std::vector<MaybeInt>> runs;  // status -> counts
  bool operator==(const AppSeriesView&) const = default;
};

class AppSeriesReader {
 public:
  virtual ~AppSeriesReader() = default;
  // The series over `range`; waits on Redis at most a bounded time (the implementation
  // says how long). Fails only when CheckBucketRange does.
  virtual Result<AppSeriesView> Read(const BucketRange& range) = 0;
};

}  // namespace observd
