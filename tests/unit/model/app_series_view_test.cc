// Tests of model/app_series_view.h: the bucket grid every series is counted on.
#include "model/app_series_view.h"

#include <gtest/gtest.h>

#include "model/minutes.h"

namespace observd {
namespace {

constexpr int64_t kT = 1764355200;  // a whole minute (unix seconds)

TEST(BucketRange, LiveMinutesIsTheChartsMinuteWindow) {
  const BucketRange r = LiveMinutes(kT + 59.9);
  EXPECT_EQ(r.first, FirstMinute(kT + 59.9) * 60);
  EXPECT_EQ(r.last, kT) << "the bucket holding now";
  EXPECT_EQ(r.step, 60);
  EXPECT_EQ(r.count(), kMinutes);
  EXPECT_TRUE(CheckBucketRange(r));
}

TEST(BucketRange, OnlyAlignedLadderStepsWithinTheBound) {
  for (int64_t step : kBucketSteps) {
    const int64_t first = kT / step * step;
    EXPECT_TRUE(CheckBucketRange({first, first + (kMaxBuckets - 1) * step, step})) << step;
    EXPECT_FALSE(CheckBucketRange({first, first + kMaxBuckets * step, step})) << step;
  }
  EXPECT_FALSE(CheckBucketRange({kT, kT, 61}));
  EXPECT_FALSE(CheckBucketRange({kT, kT, 0}));
  EXPECT_FALSE(CheckBucketRange({kT + 1, kT + 61, 60}));
  EXPECT_FALSE(CheckBucketRange({kT, kT + 30, 60}));
  EXPECT_FALSE(CheckBucketRange({kT, kT - 60, 60}));
  EXPECT_FALSE(CheckBucketRange({-60, 0, 60}));
  EXPECT_FALSE(CheckBucketRange({253402300800, 253402300800, 60})) << "after 9999";
  EXPECT_TRUE(CheckBucketRange({0, 0, 86400}));
}

}  // namespace
}  // namespace observd
