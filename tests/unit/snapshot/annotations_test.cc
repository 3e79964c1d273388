// Tests of snapshot/annotations.h: marks, Redis outage bands, the window they are kept
// for (the charts' window) and the cap.
#include "snapshot/annotations.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

TEST(AnnotationsRules, KeepsTheChartWindow) {
  EXPECT_EQ(Annotations::kKeepSeconds, kMinutes * 60.0);
}

TEST(AnnotationsRules, OnlyRedisTransitionsRecordAnything) {
  Annotations a;
  a.RedisState(100, true);  // first state, up: nothing to draw
  a.RedisState(101, true);
  EXPECT_TRUE(a.Since(0).empty());
  a.RedisState(102, false);
  a.RedisState(103, false);  // still down: the same band
  ASSERT_EQ(a.Since(0).size(), 1u);
  EXPECT_EQ(a.Since(0)[0].end, std::nullopt);
  a.RedisState(110, true);
  ASSERT_EQ(a.Since(0).size(), 1u);
  EXPECT_EQ(a.Since(0)[0].end, 110);
}

TEST(AnnotationsRules, SinceKeepsWhatOverlapsTheWindow) {
  Annotations a;
  a.Mark(100, "reload", "configuration reloaded");
  a.RedisState(200, false);
  a.RedisState(300, true);  // band [200, 300]
  EXPECT_EQ(a.Since(250).size(), 1u) << "the band still overlaps";
  EXPECT_EQ(a.Since(301).size(), 0u);
  EXPECT_EQ(a.Since(50).size(), 2u);
  EXPECT_EQ(a.Since(50)[0].kind, "reload") << "oldest first";
}

TEST(AnnotationsRules, EventsOlderThanTheWindowLeave) {
  Annotations a;
  a.Mark(10, "reload", "old");
  a.Mark(10 + Annotations::kKeepSeconds + 100, "reload", "new");
  auto all = a.Since(0);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].text, "new");
}

TEST(AnnotationsRules, AtTheCapAnOpenOutageStays) {
  Annotations a;
  a.RedisState(0, false);  // open band from t = 0
  for (size_t i = 1; i <= Annotations::kMax + 10; ++i) {
    a.Mark(static_cast<double>(i), "reload", std::to_string(i));
  }
  auto all = a.Since(0);
  ASSERT_EQ(all.size(), Annotations::kMax);
  EXPECT_EQ(all[0].kind, "redis_down");
  EXPECT_EQ(all.back().text, std::to_string(Annotations::kMax + 10)) << "the newest are kept";
}

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
