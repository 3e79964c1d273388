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
  for (int64_t step : kSteps) {
    const int64_t first = kT / step * step;
    EXPECT_TRUE(CheckBucketRange({first, first + (kMaxPoints - 1) * step, step})) << step;
    EXPECT_FALSE(CheckBucketRange({first, first + kMaxPoints * step, step})) << step;
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

// Every chart window the history API makes is a range the series accept: one ladder,
// and the aligned ends never push a window past the bound.
TEST(BucketRange, EveryChartWindowIsAValidRange) {
  for (double span :
       {60.0, 3599.0, 3600.0, 86400.0, 89999.0, 90000.0, 7 * 86400.0, 30 * 86400.0, 90 * 86400.0}) {
    for (double from : {kT + 0.0, kT + 1.0, kT + 59.9, kT + 3599.5}) {
      auto w = MakeWindow(from, from + span, from + span);
      ASSERT_TRUE(w.ok()) << span;
      EXPECT_TRUE(CheckBucketRange({w->first, w->last, w->step})) << span << " " << from;
    }
  }
}

}  // namespace
}  // namespace observd
