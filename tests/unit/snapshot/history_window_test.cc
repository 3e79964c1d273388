// Tests of snapshot/history_window.cc, HistoryRecorder::Read: a chart window from the
// store and memory (a restart shows the previous process), gaps for minutes nobody
// observed, and the live hour of a long-running process read from memory alone.
#include <gtest/gtest.h>

#include "snapshot/history_recorder.h"
#include "support/history_recorder_fixture.h"

namespace observd {
namespace {

TEST_F(HistoryRecorderTest, ARestartShowsThePreviousProcessDataAndItsMarks) {
  {
    Process first(path_);
    first.recorder->Open();
    first.annotations.Mark(kT0, "restart", "observd started");
    first.Run(150, 3.0);
    first.recorder->Tick(first.now, /*final=*/true);  // a clean stop
  }
  Process second(path_);
  second.now = kT0 + 600;
  second.recorder->Open();
  EXPECT_FALSE(second.history.Latency().empty());  // the last hour of 1 s samples is back
  auto w = MakeWindow(kT0 - 60, kT0 + 660, second.now);
  HistoryWindow h = second.recorder->Read(*w, second.now);
  ASSERT_EQ(h.buckets.size(), 3u);  // two whole minutes and the half one before the stop
  EXPECT_EQ(h.buckets[2].samples, 30);
  EXPECT_EQ(h.since, kT0);
  ASSERT_EQ(h.annotations.size(), 1u);
  EXPECT_EQ(h.annotations[0].kind, "restart");
  EXPECT_EQ(h.annotations[0].text, "observd started");
}

TEST_F(HistoryRecorderTest, MinutesWithoutObservationsAreGapsNotZeros) {
  Process p(path_);
  p.recorder->Open();
  p.Run(60, 1.0);
  p.now += 600;  // observd saw nothing for ten minutes (suspended, say)
  p.Run(60, 1.0);
  p.now += 3;
  p.recorder->Tick(p.now);
  HistoryWindow h = p.recorder->Read(*MakeWindow(kT0, kT0 + 3600, p.now), p.now);
  for (const MinuteRow& r : h.buckets) EXPECT_GT(r.samples, 0) << r.t;
}

TEST_F(HistoryRecorderTest, TheLiveHourOfAProcessUpForLongerIsReadFromMemoryOnly) {
  {
    Process first(path_);
    first.recorder->Open();
    first.annotations.Mark(kT0, "restart", "observd started");
    first.Run(120, 3.0);
    first.recorder->Tick(first.now, /*final=*/true);
  }
  Process p(path_);
  p.now = kT0 + 3600;
  p.recorder->Open();
  p.annotations.Mark(p.now, "restart", "observd started");
  for (int m = 0; m < 90; ++m) {  // 90 minutes, closed as the recorder's thread would
    p.Run(60, 2.0);
    p.recorder->Tick(p.now + 3);
  }
  p.now += 3;
  auto live = MakeWindow(p.now - 3600, p.now, p.now);
  ASSERT_TRUE(live.ok());
  auto week = MakeWindow(kT0 - 60, p.now, p.now);
  ASSERT_TRUE(week.ok());

  HistoryWindow before = p.recorder->Read(*week, p.now);  // reaches back before the start
  ASSERT_FALSE(before.buckets.empty());
  EXPECT_EQ(before.buckets.front().t, static_cast<int64_t>(kT0));  // the earlier process
  EXPECT_EQ(before.since, kT0);
  ASSERT_EQ(before.annotations.size(), 2u);  // both starts

  const uint64_t reads = p.recorder->store_reads();
  HistoryWindow h = p.recorder->Read(*live, p.now);
  EXPECT_EQ(p.recorder->store_reads(), reads);  // nothing read from disk
  EXPECT_EQ(h.store.kind, StoreState::Kind::kOk);
  EXPECT_EQ(h.since, kT0);  // the store's oldest minute, kept by the recorder
  ASSERT_GE(h.buckets.size(), 59u);
  for (const MinuteRow& r : h.buckets) EXPECT_EQ(r.requests, 120) << r.t;  // once, not twice
  EXPECT_TRUE(h.annotations.empty());  // both starts are before this hour

  p.recorder->Read(*week, p.now);
  EXPECT_EQ(p.recorder->store_reads(), reads + 2);  // the buckets and the annotations
  // The events export reads the annotations only (none from disk for the live hour).
  EXPECT_EQ(p.recorder->ReadAnnotations(*week).size(), 2u);
  EXPECT_EQ(p.recorder->store_reads(), reads + 3);
  EXPECT_TRUE(p.recorder->ReadAnnotations(*live).empty());
  EXPECT_EQ(p.recorder->store_reads(), reads + 3);
}

}  // namespace
}  // namespace observd
