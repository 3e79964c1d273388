// Tests of snapshot/annotations.h: chart marks and Redis outage bands.
#include "snapshot/annotations.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(Annotations, OutageIsABandFromFirstFailureToRecovery) {
  Annotations a;
  a.Mark(100, "restart", "observd started");
  a.RedisState(101, true);  // first reading up: nothing to record
  a.RedisState(110, false);
  a.RedisState(111, false);  // still down: no new band
  auto open = a.Since(0);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[1].kind, "redis_down");
  EXPECT_FALSE(open[1].end);
  a.RedisState(130, true);
  auto closed = a.Since(0);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[1].end, 130.0);
  EXPECT_EQ(a.Since(120).size(), 1u) << "the restart mark is older than 120";
}

TEST(Annotations, BoundedAndAnOpenOutageIsKept) {
  Annotations a;
  a.RedisState(0, false);  // never recovers
  for (int i = 1; i <= 200; ++i) a.Mark(i * 60.0, "reload", "reload");
  auto all = a.Since(0);
  EXPECT_LE(all.size(), Annotations::kMax);
  EXPECT_EQ(all.front().kind, "redis_down");
  EXPECT_EQ(all.back().t, 200 * 60.0);
}

}  // namespace
}  // namespace observd
