#include "model/time_window.h"

#include <gtest/gtest.h>

#include <cmath>

namespace observd {
namespace {

TEST(TimeWindowTest, StepKeepsEveryWindowWithinTheMaximumPoints) {
  EXPECT_EQ(StepFor(3600), 60);
  EXPECT_EQ(StepFor(24 * 3600), 60);     // 1,440 minutes
  EXPECT_EQ(StepFor(26 * 3600), 120);    // 1,560 points would exceed 1,500 at 60 s
  EXPECT_EQ(StepFor(7 * 86400), 600);    // 1,008 points
  EXPECT_EQ(StepFor(90 * 86400), 7200);  // 1,080 points
  for (double span : {60.0, 3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0, 90 * 86400.0}) {
    EXPECT_LE(span / static_cast<double>(StepFor(span)), static_cast<double>(kMaxPoints)) << span;
  }
}

TEST(TimeWindowTest, BucketsAreAlignedToTheStepAndEndAtNow) {
  auto w = MakeWindow(1000, 1000 + 7 * 86400, /*now=*/1000 + 3 * 86400 + 30);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->step, 600);
  EXPECT_EQ(w->first, 600);                                 // floor(1000 / 600) * 600
  EXPECT_EQ(w->last, (1000 + 3 * 86400 + 30) / 600 * 600);  // the bucket holding now
  EXPECT_EQ(w->buckets(), (w->last - w->first) / 600 + 1);
}

TEST(TimeWindowTest, RefusesWindowsThatCannotBeDrawn) {
  EXPECT_FALSE(MakeWindow(100, 100, 200).ok());
  EXPECT_FALSE(MakeWindow(200, 100, 200).ok());
  EXPECT_FALSE(MakeWindow(100, 130, 200).ok());         // under a minute
  EXPECT_FALSE(MakeWindow(0, 91 * 86400.0, 1e9).ok());  // over 90 days
  EXPECT_FALSE(MakeWindow(0, std::nan(""), 1e9).ok());
  EXPECT_EQ(MakeWindow(200, 100, 200).error(), "from must be before to");
}

TEST(TimeWindowTest, BucketStartFloorsNegativeAndPositiveTimes) {
  EXPECT_EQ(BucketStart(59.9, 60), 0);
  EXPECT_EQ(BucketStart(60, 60), 60);
  EXPECT_EQ(BucketStart(-1, 60), -60);
}

}  // namespace
}  // namespace observd
