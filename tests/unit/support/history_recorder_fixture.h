// The fixture of HistoryRecorder's tests (history_recorder_test, history_window_test):
// a history file in a fresh temp dir and Process, one observd's history as Services
// builds it, driven by a fake clock. Header-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "snapshot/history_recorder.h"
#include "support/temp_dir.h"

namespace observd {

inline constexpr double kT0 = 1'800'000'000;  // a minute boundary (divisible by 60)

class HistoryRecorderTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    path_ = (dir_ / "history.db").string();
  }

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

  std::string path_;
};

}  // namespace observd
