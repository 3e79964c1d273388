// Tests of util/clock.h: the bounds of a representable time and the two clocks.
#include "util/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

namespace observd {
namespace {

TEST(ClockTest, IsUnixTimeHoldsExactlyTheRepresentableRange) {
  EXPECT_TRUE(IsUnixTime(0));
  EXPECT_TRUE(IsUnixTime(1764355200));
  EXPECT_TRUE(IsUnixTime(kMaxUnixSeconds));  // 9999-12-31T23:59:59Z itself
  EXPECT_FALSE(IsUnixTime(kMaxUnixSeconds + 1));
  EXPECT_FALSE(IsUnixTime(std::nextafter(kMaxUnixSeconds, 1e300)));
  EXPECT_FALSE(IsUnixTime(-1));
  EXPECT_FALSE(IsUnixTime(-std::numeric_limits<double>::denorm_min()));
  EXPECT_FALSE(IsUnixTime(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(IsUnixTime(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(IsUnixTime(-std::numeric_limits<double>::infinity()));
  static_assert(IsUnixTime(0) && !IsUnixTime(-0.5), "usable in constant expressions");
}

TEST(ClockTest, MaxUnixSecondsIsTheLastSecondOfYear9999) {
  // 10000-01-01T00:00:00Z is 253402300800: days from 1970 to 10000 times 86400.
  EXPECT_EQ(kMaxUnixSeconds + 1, 253402300800.0);
  EXPECT_EQ(std::fmod(kMaxUnixSeconds + 1, 86400), 0);
}

TEST(ClockTest, UnixNowIsSecondsNotMillisecondsAndRepresentable) {
  const double now = UnixNow();
  EXPECT_TRUE(IsUnixTime(now));
  EXPECT_GT(now, 1.7e9);  // after 2023-11: not 0, not a monotonic origin
  EXPECT_LT(now, 1e11);   // seconds, not milliseconds or nanoseconds
}

TEST(ClockTest, BothClocksHaveSubSecondResolution) {
  const double wall = UnixNow();
  const double steady = SteadySeconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(UnixNow() - wall, 0.015);  // a seconds clock would say 0 (or 1)
  EXPECT_LT(UnixNow() - wall, 10);
  EXPECT_GE(SteadySeconds() - steady, 0.015);
  EXPECT_LT(SteadySeconds() - steady, 10);
}

TEST(ClockTest, SteadySecondsNeverGoesBackwards) {
  double last = SteadySeconds();
  for (int i = 0; i < 10000; ++i) {
    const double t = SteadySeconds();
    ASSERT_GE(t, last);
    last = t;
  }
  // Seconds: a busy loop of 10^4 readings does not take a thousand of them.
  EXPECT_LT(SteadySeconds() - last, 1000);
}

}  // namespace
}  // namespace observd
