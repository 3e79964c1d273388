// HistoryRecorder with a real SQLite file, driven through Tick() with a fake clock.
#include "snapshot/history_recorder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>

namespace observd {
namespace {

namespace fs = std::filesystem;

constexpr double kT0 = 1'800'000'000;  // a minute boundary (divisible by 60)

class HistoryRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "observd-recorder-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "history.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  struct Process {  // one observd's history, as Services builds it
    History history{3600};
    Annotations annotations;
    std::pair<uint64_t, uint64_t> cache{0, 0};
    double now = kT0;
    std::unique_ptr<HistoryRecorder> recorder;
    Process(const std::string& path) {
      recorder = std::make_unique<HistoryRecorder>(
          &history, &annotations, [this] { return cache; }, [this] { return now; },
          HistoryRecorder::Options{path, 30 * 86400.0});
    }
    // One PING a second for `seconds` from `now` (every 10th failing), 2 requests a second.
    void Run(int seconds, double ms) {
      for (int i = 0; i < seconds; ++i, now += 1) {
        history.AddLatency({now, i % 10 == 9 ? std::nullopt : std::optional<double>(ms)});
        history.CountRequest(now);
        history.CountRequest(now);
        cache.first += 1;
      }
    }
  };

  fs::path dir_;
  std::string path_;
};

TEST_F(HistoryRecorderTest, ClosesMinutesIntoRowsAndWindows) {
  Process p(path_);
  p.recorder->Open();
  EXPECT_EQ(p.recorder->state().kind, StoreState::Kind::kOk) << p.recorder->state().message;
  p.Run(180, 2.0);  // three whole minutes
  p.now += 3;       // past the close delay
  p.recorder->Tick(p.now);
  auto w = MakeWindow(kT0, kT0 + 3600, p.now);
  ASSERT_TRUE(w.ok());
  HistoryWindow h = p.recorder->Read(*w, p.now);
  ASSERT_GE(h.buckets.size(), 3u);
  EXPECT_EQ(h.buckets[0].t, static_cast<int64_t>(kT0));
  EXPECT_EQ(h.buckets[0].samples, 60);
  EXPECT_EQ(h.buckets[0].failed, 6);
  EXPECT_EQ(h.buckets[0].mean_ms, 2.0);
  EXPECT_EQ(h.buckets[0].requests, 120);
  EXPECT_EQ(h.store.kind, StoreState::Kind::kOk);
  EXPECT_EQ(h.since, kT0);
  // What the history store panel and /metrics show.
  StoreState st = p.recorder->state();
  ASSERT_TRUE(st.size_bytes.has_value());
  EXPECT_GT(*st.size_bytes, 4096);  // the file and its WAL
  EXPECT_EQ(st.last_write, p.now);
  EXPECT_EQ(st.since, kT0);
}

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

TEST_F(HistoryRecorderTest, AStoreThatCannotBeOpenedIsSaidAndMemoryStillServes) {
  Process p((dir_ / "missing-dir" / "history.db").string());
  p.recorder->Open();
  StoreState s = p.recorder->state();
  EXPECT_EQ(s.kind, StoreState::Kind::kFailed);
  EXPECT_NE(s.message.find("missing-dir/history.db"), std::string::npos) << s.message;
  EXPECT_FALSE(s.size_bytes.has_value());
  EXPECT_FALSE(s.last_write.has_value());
  p.Run(120, 1.0);
  p.now += 3;
  p.recorder->Tick(p.now);
  HistoryWindow h = p.recorder->Read(*MakeWindow(kT0, kT0 + 3600, p.now), p.now);
  EXPECT_EQ(h.store.kind, StoreState::Kind::kFailed);
  EXPECT_GE(h.buckets.size(), 2u);  // live data from memory
  auto notes = p.annotations.Since(0);
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0].kind, "store");
}

TEST_F(HistoryRecorderTest, MemoryOnlyWithoutAPath) {
  Process p("");
  p.recorder->Open();
  EXPECT_EQ(p.recorder->state().kind, StoreState::Kind::kMemory);
  p.Run(61, 1.0);
  p.now += 3;
  p.recorder->Tick(p.now);
  EXPECT_EQ(p.history.Minutes(0, static_cast<int64_t>(p.now)).size(), 1u);
  EXPECT_FALSE(fs::exists(path_));
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
}

}  // namespace
}  // namespace observd
