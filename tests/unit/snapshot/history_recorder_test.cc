// HistoryRecorder with a real SQLite file, driven through Tick() with a fake clock:
// opening the store, closing minutes into rows. Reading windows back
// (history_window.cc) is history_window_test.cc.
#include "snapshot/history_recorder.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/history_recorder_fixture.h"

namespace observd {
namespace {

namespace fs = std::filesystem;

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
  EXPECT_EQ(p.recorder->state().retention_seconds, 86400) << "what memory keeps";
  p.Run(61, 1.0);
  p.now += 3;
  p.recorder->Tick(p.now);
  EXPECT_EQ(p.history.Minutes(0, static_cast<int64_t>(p.now)).size(), 1u);
  EXPECT_FALSE(fs::exists(path_));
}

}  // namespace
}  // namespace observd
