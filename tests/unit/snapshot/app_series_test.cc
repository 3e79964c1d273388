// AppSeries tests (app_series.cc, the reading half): closed buckets counted once, open
// ones per TTL; fingerprints, single-flight, bounds. What a count sends and keeps
// (app_series_count.cc) is app_series_count_test.cc.
#include "snapshot/app_series.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "support/app_series_fixture.h"

namespace observd::app_series_test {
namespace {

TEST(AppSeries, BoundsAreExactAndExclusive) {
  EXPECT_EQ(BucketCountCommand("k", kT, 60), (Command{"ZCOUNT", "k", "1764355200", "(1764355260"}));
  // The next bucket starts where this one stops, inclusive there: no member is in both.
  EXPECT_EQ(BucketCountCommand("k", kT + 60, 60)[2], "1764355260");
  EXPECT_EQ(BucketCountCommand("k", kT, 86400)[3], "(1764441600");
}

TEST(AppSeries, SeriesFollowTheConfiguredKeys) {
  KeysConfig keys;
  keys.uploads_timeline = "t";
  keys.workflow_runs_prefix = "r:";
  keys.workflow_statuses = {"ok", "bad"};
  EXPECT_EQ(AppSeriesKeys(keys),
            (std::vector<AppSeriesKey>{
                {"uploads", "t", ""}, {"runs:ok", "r:ok", "ok"}, {"runs:bad", "r:bad", "bad"}}));
}

TEST(AppSeries, ClosedBucketsAreCountedOnceOpenOnesOncePerTtl) {
  Fixture f;
  const AppSeriesView first = f.Read();
  ASSERT_EQ(f.batches.size(), 1u) << "one pipelined batch";
  EXPECT_EQ(f.batches[0].size(), 60 * kSeries);
  ASSERT_EQ(first.uploads.size(), 60u);
  EXPECT_EQ(first.first, LiveMinutes(kNow).first);
  EXPECT_EQ(first.uploads[0], Truth("uploads:timeline", first.first));
  EXPECT_EQ(first.runs.at("failed")[59], Truth("workflows:runs:failed", kT));
  EXPECT_EQ(first.runs.size(), 3u);

  f.now = kNow + 5;  // within the TTL: nothing is asked again
  EXPECT_EQ(f.Read(), first);
  EXPECT_EQ(f.batches.size(), 1u);

  f.now = kNow + 11;  // past the TTL: only the open and trailing buckets
  EXPECT_EQ(f.Read(), first);
  ASSERT_EQ(f.batches.size(), 2u) << "the trailing totals were unchanged: no second batch";
  ASSERT_EQ(f.batches[1].size(), 2 * kSeries) << "a series: one check of its 5 ended "
                                                 "trailing buckets, one count of the open one";
  for (const Command& c : f.batches[1]) {
    EXPECT_GT(std::stoll(c[2]) + 360, kNow) << c[1] << " " << c[2] << " was closed";
  }
  // Another window holding the same buckets shares them.
  f.Read({kT - 600, kT, 60});
  EXPECT_EQ(f.batches.size(), 2u);
}

TEST(AppSeries, FingerprintChangeInvalidates) {
  Fixture f;
  f.Read();
  f.series->SetSource(Source());  // same keys: same fingerprint, counts kept
  f.Read();
  EXPECT_EQ(f.batches.size(), 1u);
  f.series->SetSource(Source("other:timeline"));
  const AppSeriesView v = f.Read();
  ASSERT_EQ(f.batches.size(), 2u);
  EXPECT_EQ(f.batches[1].size(), 60 * kSeries) << "every series: the fingerprint changed";
  EXPECT_EQ(f.batches[1][0][1], "other:timeline");
  EXPECT_EQ(v.uploads[0], Truth("other:timeline", v.first));
  EXPECT_EQ(f.series->stats().entries, 60 * kSeries) << "the old counts are gone";
}

TEST(AppSeries, ConcurrentReadersShareOneCount) {
  Fixture f;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  f.pipeline = [&f, released](const std::vector<Command>& c) -> Result<std::vector<ReplyPtr>> {
    f.batches.push_back(c);
    released.wait();  // a slow Redis
    std::vector<ReplyPtr> out;
    for (const auto& cmd : c) out.emplace_back(test::Int(TruthOf(cmd)));
    return out;
  };
  AppSeries::Options o = Fixture::Defaults();
  o.max_wait = Millis(60000);
  f.series = std::make_unique<AppSeries>(
      o, [&f](const std::vector<Command>& c) { return f.pipeline(c); }, Source(), nullptr,
      [&f] { return f.now.load(); });
  auto a = std::async(std::launch::async, [&f] { return f.Read(); });
  // The second reader starts once the first is counting, and must wait for it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (f.series->stats().batches == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  auto b = std::async(std::launch::async, [&f] { return f.Read(); });
  while (f.series->stats().waiting == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(f.series->stats().waiting, 1u);
  release.set_value();
  const AppSeriesView va = a.get();
  EXPECT_EQ(b.get(), va);
  EXPECT_EQ(f.series->stats().batches, 1u) << "the waiting reader sent nothing";
  EXPECT_EQ(f.series->stats().waits, 1u);
  EXPECT_EQ(va.uploads[0], Truth("uploads:timeline", va.first));
}

TEST(AppSeries, WorkAndMemoryAreBounded) {
  AppSeries::Options o = Fixture::Defaults();
  o.max_entries = 2000;
  Fixture f(nullptr, o);
  EXPECT_FALSE(f.series->Read({kT, kT + 1500 * 60, 60})) << "1,501 buckets";
  EXPECT_FALSE(f.series->Read({kT + 1, kT + 61, 60})) << "unaligned";
  EXPECT_FALSE(f.series->Read({kT, kT + 70, 70})) << "not a step of the ladder";
  EXPECT_FALSE(f.series->Read({kT, kT - 60, 60})) << "reversed";
  EXPECT_TRUE(f.batches.empty());
  const BucketRange widest{kT - 1499 * 60, kT, 60};
  EXPECT_EQ(f.Read(widest).uploads.size(), 1500u);
  ASSERT_EQ(f.batches.size(), 1u);
  EXPECT_EQ(f.batches[0].size(), 1500 * kSeries);
  EXPECT_LE(f.series->stats().entries, 2000u);
  // A bucket that has not started is unknown and not asked for.
  const AppSeriesView ahead = f.Read({kT, kT + 600, 60});
  EXPECT_EQ(ahead.uploads[1], std::nullopt);
  EXPECT_EQ(ahead.uploads[0], Truth("uploads:timeline", kT));
  for (const Command& c : f.batches.back()) EXPECT_LE(std::stoll(c[2]), kNow);
}

}  // namespace
}  // namespace observd::app_series_test
