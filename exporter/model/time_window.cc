#include "model/time_window.h"

#include <cmath>
#include <string>

namespace observd {

int64_t StepFor(double span_seconds) {
  for (int64_t step : kSteps) {
    // + 2: aligned to the step, a window can touch a partial bucket at each end.
    if (span_seconds / static_cast<double>(step) + 2 <= static_cast<double>(kMaxPoints)) {
      return step;
    }
  }
  return std::end(kSteps)[-1];
}

int64_t BucketStart(double t, int64_t step) {
  return static_cast<int64_t>(std::floor(t / static_cast<double>(step))) * step;
}

Result<TimeWindow> MakeWindow(double from, double to, double now) {
  if (!std::isfinite(from) || !std::isfinite(to)) return Fail("from and to must be numbers");
  if (from >= to) return Fail("from must be before to");
  const double span = to - from;
  if (span < kMinWindowSeconds) return Fail("the window must be at least 60 seconds");
  if (span > kMaxWindowSeconds) return Fail("the window must be at most 90 days");
  TimeWindow w;
  w.from = from;
  w.to = to;
  w.step = StepFor(span);
  w.first = BucketStart(from, w.step);
  w.last = BucketStart(std::min(to, now), w.step);
  return w;
}

}  // namespace observd
