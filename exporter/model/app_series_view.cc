#include "model/app_series_view.h"

#include <algorithm>

#include "model/minutes.h"
#include "util/clock.h"

namespace observd {

Result<> CheckBucketRange(const BucketRange& r) {
  if (std::find(std::begin(kSteps), std::end(kSteps), r.step) == std::end(kSteps)) {
    return Fail("step " + std::to_string(r.step) + " is not a bucket width");
  }
  if (r.first % r.step != 0 || r.last % r.step != 0) return Fail("bucket starts must be aligned");
  if (r.first > r.last) return Fail("first bucket after the last");
  if (r.first < 0 || static_cast<double>(r.last) > kMaxUnixSeconds) {
    return Fail("buckets outside 1970..9999");
  }
  if (r.count() > kMaxPoints) return Fail("more than " + std::to_string(kMaxPoints) + " buckets");
  return Ok();
}

BucketRange LiveMinutes(double now) {
  const int64_t first = FirstMinute(now) * 60;
  return {first, first + (kMinutes - 1) * 60, 60};
}

}  // namespace observd
