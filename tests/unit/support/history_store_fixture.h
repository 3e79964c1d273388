// The fixture of the store's tests (history_store_test, schema_test): a history file
// path in a fresh temp dir, the sqlite3 shell as an independent reader, and a sample
// minute row. Header-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/history_rows.h"
#include "support/temp_dir.h"

namespace observd {

class HistoryStoreTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    path_ = (dir_ / "history.db").string();
  }

  // The sqlite3 shell's answer to `sql`, or "" when the shell is not installed.
  std::string Shell(const std::string& sql) {
    if (system("command -v sqlite3 >/dev/null 2>&1") != 0) return "";
    std::string cmd = "sqlite3 '" + path_ + "' \"" + sql + "\" 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
    return out;
  }

  std::string path_;
};

inline MinuteRow Row(int64_t t, double ms) {
  return MinuteRow{.t = t,
                   .samples = 60,
                   .failed = 1,
                   .min_ms = ms,
                   .mean_ms = ms,
                   .max_ms = ms,
                   .p99_ms = ms,
                   .requests = 7,
                   .cache_hits = 3,
                   .cache_misses = std::nullopt};
}

}  // namespace observd
