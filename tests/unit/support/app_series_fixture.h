// AppSeries test fixture: injected clock, scripted pipeline, recording BucketStore.
// Shared by the tests of snapshot/app_series.h; header-only; not thread-safe (but `now`).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "snapshot/app_series.h"
#include "support/fake_replies.h"

namespace observd::app_series_test {

inline constexpr int64_t kT = 1764355200;      // a whole minute
inline constexpr double kNow = kT + 30;        // inside the live window's last bucket
inline constexpr size_t kSeries = 4;           // uploads + the default three statuses
inline constexpr size_t kOpen = 6;             // buckets with t > now - 360: open + 5 trailing
inline constexpr size_t kClosed = 60 - kOpen;  // of the live window

// The count Redis "has" for bucket t of key: distinct per key and bucket.
inline int64_t Truth(const std::string& key, int64_t t) {
  return static_cast<int64_t>(key.size()) * 1000 + (t / 60) % 97;
}
// The reply to `ZCOUNT key from (to`: the sum over the minutes it spans (one bucket, or
// the span that checks several).
inline int64_t TruthOf(const Command& c) {
  int64_t n = 0;
  for (int64_t t = std::stoll(c[2]); t < std::stoll(c[3].substr(1)); t += 60) n += Truth(c[1], t);
  return n;
}

inline std::shared_ptr<const SnapshotSource> Source(
    const std::string& timeline = "uploads:timeline") {
  KeysConfig keys;
  keys.uploads_timeline = timeline;
  return std::make_shared<const SnapshotSource>(keys, std::vector<QueryConfig>{}, "test");
}

struct RecordingStore : BucketStore {
  std::map<std::tuple<std::string, std::string, int64_t, int64_t>, int64_t> rows;
  int saves = 0;
  int loads = 0;
  void SaveBuckets(const std::string& fp, const std::string& series, int64_t step,
                   const std::vector<BucketCount>& closed) override {
    ++saves;
    for (const auto& b : closed) rows[{fp, series, step, b.t}] = b.count;
  }
  std::vector<BucketCount> LoadBuckets(const std::string& fp, const std::string& series,
                                       int64_t step, int64_t from, int64_t to) override {
    ++loads;
    std::vector<BucketCount> out;
    for (const auto& [k, n] : rows) {
      if (std::get<0>(k) == fp && std::get<1>(k) == series && std::get<2>(k) == step &&
          std::get<3>(k) >= from && std::get<3>(k) < to) {
        out.push_back({std::get<3>(k), n});
      }
    }
    return out;
  }
};

struct Fixture {
  std::atomic<double> now{kNow};
  std::vector<std::vector<Command>> batches;  // what was sent, per pipeline
  // The reply to one command; default: its true count.
  std::function<ReplyPtr(const Command&)> reply = [](const Command& c) {
    return ReplyPtr(test::Int(TruthOf(c)));
  };
  std::function<Result<std::vector<ReplyPtr>>(const std::vector<Command>&)> pipeline =
      [this](const std::vector<Command>& commands) -> Result<std::vector<ReplyPtr>> {
    batches.push_back(commands);
    std::vector<ReplyPtr> out;
    for (const auto& c : commands) out.push_back(reply(c));
    return out;
  };
  std::unique_ptr<AppSeries> series;

  explicit Fixture(BucketStore* store = nullptr, AppSeries::Options o = Defaults()) {
    series = std::make_unique<AppSeries>(
        o, [this](const std::vector<Command>& c) { return pipeline(c); }, Source(), store,
        [this] { return now.load(); });
  }
  static AppSeries::Options Defaults() {
    AppSeries::Options o;
    o.ttl = Millis(10000);
    return o;
  }
  AppSeriesView Read(BucketRange r = LiveMinutes(kNow)) {
    auto v = series->Read(r);
    EXPECT_TRUE(v) << v.error();
    return v ? *v : AppSeriesView{};
  }
};

}  // namespace observd::app_series_test
