#include "model/history_rows.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(HistoryRowsTest, SummariseMinuteCountsFailuresApartFromLatency) {
  std::vector<LatencySample> s;
  for (int i = 0; i < 100; ++i) s.push_back({600.0 + i * 0.5, 1.0 + i});  // 600..649.5
  s.push_back({630, std::nullopt});
  s.push_back({660, 5.0});  // the next minute: not counted
  s.push_back({599, 5.0});  // the previous one
  MinuteRow r = SummariseMinute(600, s);
  EXPECT_EQ(r.t, 600);
  EXPECT_EQ(r.samples, 101);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.min_ms, 1.0);
  EXPECT_EQ(r.max_ms, 100.0);
  EXPECT_DOUBLE_EQ(*r.mean_ms, 50.5);
  EXPECT_EQ(r.p99_ms, 99.0);  // nearest rank: the 99th of 100
}

TEST(HistoryRowsTest, AMinuteWhosePingsAllFailedHasNoLatency) {
  MinuteRow r = SummariseMinute(0, {{1, std::nullopt}, {2, std::nullopt}});
  EXPECT_EQ(r.samples, 2);
  EXPECT_EQ(r.failed, 2);
  EXPECT_FALSE(r.min_ms || r.mean_ms || r.max_ms || r.p99_ms);
}

TEST(HistoryRowsTest, MergeWeightsTheMeanByAnsweredPingsAndKeepsTheWorstP99) {
  MinuteRow a{.t = 0,
              .samples = 60,
              .failed = 0,
              .min_ms = 1,
              .mean_ms = 2,
              .max_ms = 3,
              .p99_ms = 3,
              .requests = 10,
              .cache_hits = 4,
              .cache_misses = 1};
  MinuteRow b{.t = 60,
              .samples = 60,
              .failed = 40,
              .min_ms = 0.5,
              .mean_ms = 8,
              .max_ms = 9,
              .p99_ms = 9,
              .requests = 5,
              .cache_hits = std::nullopt,
              .cache_misses = 2};
  MinuteRow m = MergeRows(0, {a, b});
  EXPECT_EQ(m.samples, 120);
  EXPECT_EQ(m.failed, 40);
  EXPECT_EQ(m.min_ms, 0.5);
  EXPECT_EQ(m.max_ms, 9);
  EXPECT_EQ(m.p99_ms, 9);
  EXPECT_DOUBLE_EQ(*m.mean_ms, (2.0 * 60 + 8.0 * 20) / 80);
  EXPECT_EQ(m.requests, 15);
  EXPECT_EQ(m.cache_hits, 4);  // an unknown minute adds nothing, but is not a zero
  EXPECT_EQ(m.cache_misses, 3);
}

TEST(HistoryRowsTest, MergeOfUnknownCacheCountsStaysUnknown) {
  MinuteRow a{.t = 0};
  EXPECT_FALSE(MergeRows(0, {a, a}).cache_hits.has_value());
}

}  // namespace
}  // namespace observd
