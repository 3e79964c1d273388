// Tests of snapshot/history.h: the latency ring buffer (order, wrap-around, sizes,
// gaps for failed PINGs) and the requests-per-minute buckets (window, slot reuse,
// concurrent counting).
#include "snapshot/history.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace observd {
namespace {

std::vector<double> Times(const std::vector<LatencySample>& samples) {
  std::vector<double> out;
  for (const auto& s : samples) out.push_back(s.t);
  return out;
}

// A unix time at the start of a minute, so offsets below stay inside it.
constexpr double kMinuteStart = 1764355200;  // 2025-11-28T18:40:00Z

TEST(HistoryLatency, EmptyHasNoSamples) {
  History h(5);
  EXPECT_TRUE(h.Latency().empty());
  EXPECT_TRUE(h.Latency(3).empty());
  EXPECT_EQ(h.LastLatency(), std::nullopt);
}

TEST(HistoryLatency, OldestFirstBeforeTheRingIsFull) {
  History h(5);
  h.AddLatency({1, 0.5});
  h.AddLatency({2, 0.7});
  EXPECT_EQ(Times(h.Latency()), (std::vector<double>{1, 2}));
  ASSERT_TRUE(h.LastLatency());
  EXPECT_EQ(h.LastLatency()->t, 2);
  EXPECT_EQ(h.LastLatency()->ms, 0.7);
}

TEST(HistoryLatency, WrapsKeepingTheNewestInOrder) {
  History h(3);
  for (int i = 1; i <= 7; ++i) h.AddLatency({static_cast<double>(i), i * 1.0});
  EXPECT_EQ(Times(h.Latency()), (std::vector<double>{5, 6, 7}));
  EXPECT_EQ(h.LastLatency()->t, 7);
  // Exactly full, then one more: the oldest goes first.
  History g(2);
  g.AddLatency({1, 1.0});
  g.AddLatency({2, 1.0});
  EXPECT_EQ(Times(g.Latency()), (std::vector<double>{1, 2}));
  g.AddLatency({3, 1.0});
  EXPECT_EQ(Times(g.Latency()), (std::vector<double>{2, 3}));
}

TEST(HistoryLatency, MaxReturnsTheNewestOnly) {
  History h(4);
  for (int i = 1; i <= 6; ++i) h.AddLatency({static_cast<double>(i), 1.0});
  EXPECT_EQ(Times(h.Latency(2)), (std::vector<double>{5, 6}));
  EXPECT_EQ(Times(h.Latency(1)), (std::vector<double>{6}));
  EXPECT_EQ(Times(h.Latency(4)), (std::vector<double>{3, 4, 5, 6}));
  EXPECT_EQ(Times(h.Latency(100)), (std::vector<double>{3, 4, 5, 6}));
  EXPECT_EQ(Times(h.Latency(0)), (std::vector<double>{3, 4, 5, 6}));  // 0 = all
}

TEST(HistoryLatency, ZeroCapacityStillKeepsTheLastSample) {
  History h(0);
  h.AddLatency({1, 1.0});
  h.AddLatency({2, 2.0});
  EXPECT_EQ(Times(h.Latency()), (std::vector<double>{2}));
  EXPECT_EQ(h.LastLatency()->ms, 2.0);
}

TEST(HistoryLatency, FailedPingsStayAsGaps) {
  History h(4);
  h.AddLatency({1, 0.3});
  h.AddLatency({2, std::nullopt});
  h.AddLatency({3, 0.4});
  auto s = h.Latency();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].ms, 0.3);
  EXPECT_EQ(s[1].ms, std::nullopt) << "a failed PING must not read as 0 ms";
  EXPECT_EQ(s[2].ms, 0.4);
  h.AddLatency({4, std::nullopt});
  EXPECT_EQ(h.LastLatency()->ms, std::nullopt);
}

TEST(HistoryRequests, WindowIsSixtyMinutesOldestFirst) {
  History h(1);
  const double now = kMinuteStart + 30;
  auto rpm = h.RequestsPerMinute(now);
  ASSERT_EQ(rpm.size(), static_cast<size_t>(kMinutes));
  EXPECT_EQ(rpm.back().t, static_cast<int64_t>(kMinuteStart));
  EXPECT_EQ(rpm.front().t, static_cast<int64_t>(kMinuteStart) - 59 * 60);
  for (size_t i = 1; i < rpm.size(); ++i) EXPECT_EQ(rpm[i].t - rpm[i - 1].t, 60);
  for (const auto& [start, count] : rpm) EXPECT_EQ(count, 0u) << start;
}

TEST(HistoryRequests, CountsLandInTheirMinute) {
  History h(1);
  h.CountRequest(kMinuteStart + 1);
  h.CountRequest(kMinuteStart + 59.9);
  h.CountRequest(kMinuteStart - 0.1);  // the minute before
  for (int i = 0; i < 3; ++i) h.CountRequest(kMinuteStart - 10 * 60 + 5);
  auto rpm = h.RequestsPerMinute(kMinuteStart + 30);
  EXPECT_EQ(rpm[59].count, 2u);
  EXPECT_EQ(rpm[58].count, 1u);
  EXPECT_EQ(rpm[49].count, 3u);
  uint64_t total = 0;
  for (const auto& p : rpm) total += p.count;
  EXPECT_EQ(total, 6u);
}

TEST(HistoryRequests, MinutesOutsideTheWindowAreNotShown) {
  History h(1);
  h.CountRequest(kMinuteStart);
  // 60 minutes later the request's minute has left the window.
  auto rpm = h.RequestsPerMinute(kMinuteStart + 60 * 60);
  for (const auto& p : rpm) EXPECT_EQ(p.count, 0u) << p.t;
  // 59 minutes later it is the oldest entry.
  rpm = h.RequestsPerMinute(kMinuteStart + 59 * 60);
  EXPECT_EQ(rpm.front().t, static_cast<int64_t>(kMinuteStart));
  EXPECT_EQ(rpm.front().count, 1u);
}

TEST(HistoryRequests, AReusedSlotStartsFromZero) {
  // Every minute maps to a slot; after a full turn of the slots (whatever their
  // number, a multiple of it lies within 2 hours) the old count must be gone.
  for (int later = 61; later <= 120; ++later) {
    History fresh(1);
    for (int i = 0; i < 5; ++i) fresh.CountRequest(kMinuteStart);
    const double t = kMinuteStart + later * 60;
    fresh.CountRequest(t);
    auto rpm = fresh.RequestsPerMinute(t);
    EXPECT_EQ(rpm.back().count, 1u) << "minute +" << later;
    uint64_t total = 0;
    for (const auto& p : rpm) total += p.count;
    EXPECT_EQ(total, 1u) << "minute +" << later;
  }
}

TEST(HistoryRequests, ConcurrentCountsInOneMinuteAreAllKept) {
  History h(1);
  const double t = kMinuteStart + 10;
  h.CountRequest(t);  // claims the slot; only that first reset may race
  constexpr int kThreads = 8, kEach = 5000;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kEach; ++j) h.CountRequest(t);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(h.RequestsPerMinute(t).back().count, 1u + kThreads * kEach);
}

}  // namespace
}  // namespace observd
