// Tests of model/minutes.h: the one per-minute window of the charts.
#include "model/minutes.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

constexpr double kMinuteStart = 1764355200;  // a whole minute (unix seconds)

TEST(Minutes, WindowEndsWithTheCurrentMinute) {
  const int64_t current = static_cast<int64_t>(kMinuteStart) / 60;
  EXPECT_EQ(kMinutes, 60);
  EXPECT_EQ(FirstMinute(kMinuteStart), current - 59);
  EXPECT_EQ(FirstMinute(kMinuteStart + 59.999), current - 59) << "same minute";
  EXPECT_EQ(FirstMinute(kMinuteStart + 60), current - 58) << "the next minute";
  EXPECT_EQ(FirstMinute(kMinuteStart - 0.001), current - 60) << "the minute before";
}

}  // namespace
}  // namespace observd
