// Tests of snapshot/app_series.h with an injected clock, a scripted pipeline (hand-built
// replies, no server) and a recording BucketStore: closed buckets counted once, only the
// open and trailing ones recounted, unknown never kept, exact bounds, single-flight.
#include "snapshot/app_series.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <thread>

#include "support/fake_replies.h"

namespace observd {
namespace {

constexpr int64_t kT = 1764355200;      // a whole minute
constexpr double kNow = kT + 30;        // inside the live window's last bucket
constexpr size_t kSeries = 4;           // uploads + the default three statuses
constexpr size_t kOpen = 6;             // buckets with t > now - 360: open + 5 trailing
constexpr size_t kClosed = 60 - kOpen;  // of the live window

// The count Redis "has" for bucket t of key: distinct per key and bucket.
int64_t Truth(const std::string& key, int64_t t) {
  return static_cast<int64_t>(key.size()) * 1000 + (t / 60) % 97;
}
// The reply to `ZCOUNT key from (to`: the sum over the minutes it spans (one bucket, or
// the span that checks several).
int64_t TruthOf(const Command& c) {
  int64_t n = 0;
  for (int64_t t = std::stoll(c[2]); t < std::stoll(c[3].substr(1)); t += 60) n += Truth(c[1], t);
  return n;
}

std::shared_ptr<const SnapshotSource> Source(const std::string& timeline = "uploads:timeline") {
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

TEST(AppSeries, ABucketThatClosesIsCountedOnceMoreThenKept) {
  Fixture f;
  f.Read();
  f.now = kNow + 60;  // bucket kT - 360 closed meanwhile; kT + 60 opened
  const AppSeriesView v = f.Read({kT - 3540, kT + 60, 60});
  ASSERT_EQ(f.batches.size(), 2u);
  EXPECT_EQ(f.batches[1].size(), 2 * kSeries)
      << "the newly closed one checked with the trailing ones; the new open one counted";
  EXPECT_EQ(v.uploads.back(), Truth("uploads:timeline", kT + 60));
  f.now = kNow + 120;
  f.Read({kT - 3540, kT + 60, 60});
  EXPECT_EQ(f.batches[2].size(), kSeries) << "kT - 240 closed and 5 ended: one check a series";
}

TEST(AppSeries, AnEndedBucketThatChangedIsCountedAgain) {
  Fixture f;
  f.Read();
  f.now = kNow + 11;
  const int64_t late = kT - 120;  // a run written late into an ended bucket
  f.reply = [late](const Command& c) {
    const int64_t from = std::stoll(c[2]), to = std::stoll(c[3].substr(1));
    const bool spans = c[1] == "uploads:timeline" && from <= late && late < to;
    return ReplyPtr(test::Int(TruthOf(c) + (spans ? 1 : 0)));
  };
  const AppSeriesView v = f.Read();
  ASSERT_EQ(f.batches.size(), 3u);
  EXPECT_EQ(f.batches[2].size(), kOpen - 1) << "the uploads' 5 ended buckets, one by one";
  EXPECT_EQ(v.uploads[57], Truth("uploads:timeline", late) + 1);
  EXPECT_EQ(v.uploads[56], Truth("uploads:timeline", late - 60));
}

TEST(AppSeries, UnknownStaysUnknownAndIsAskedAgain) {
  Fixture f;
  const int64_t bad = kT - 1800;
  f.reply = [bad](const Command& c) {
    if (std::stoll(c[2]) != bad) return ReplyPtr(test::Int(TruthOf(c)));
    if (c[1] == "uploads:timeline") return ReplyPtr(test::Err("WRONGTYPE Operation"));
    if (c[1] == "workflows:runs:failed") return ReplyPtr(test::Int(-1));
    return ReplyPtr(test::Str("7"));
  };
  AppSeriesView v = f.Read();
  const size_t i = static_cast<size_t>((bad - v.first) / 60);
  EXPECT_EQ(v.uploads[i], std::nullopt) << "never 0";
  EXPECT_EQ(v.runs.at("failed")[i], std::nullopt);
  EXPECT_EQ(v.runs.at("running")[i], std::nullopt);
  EXPECT_EQ(v.uploads[i - 1], Truth("uploads:timeline", bad - 60));
  f.reply = [](const Command& c) { return ReplyPtr(test::Int(TruthOf(c))); };
  v = f.Read();
  ASSERT_EQ(f.batches.size(), 2u);
  EXPECT_EQ(f.batches[1].size(), kSeries) << "only the unknown closed buckets (TTL not over)";
  EXPECT_EQ(v.uploads[i], Truth("uploads:timeline", bad));
}

TEST(AppSeries, FailedOrRefusedBatchIsAllUnknownAndNotKept) {
  Fixture f;
  f.pipeline = [&f](const std::vector<Command>& c) -> Result<std::vector<ReplyPtr>> {
    f.batches.push_back(c);
    return Fail("connection refused");
  };
  AppSeriesView v = f.Read();
  EXPECT_EQ(v.uploads, std::vector<MaybeInt>(60, std::nullopt));
  EXPECT_EQ(f.series->stats().entries, 0u);
  f.pipeline = [&f](const std::vector<Command>& c) -> Result<std::vector<ReplyPtr>> {
    f.batches.push_back(c);
    std::vector<ReplyPtr> out;
    for (size_t i = 0; i < c.size(); ++i) out.emplace_back(test::Int(1));
    out[3] = ReplyPtr(test::Err("NOAUTH Authentication required."));
    return out;
  };
  v = f.Read();
  EXPECT_EQ(v.runs.at("running"), std::vector<MaybeInt>(60, std::nullopt));
  EXPECT_EQ(f.series->stats().entries, 0u);
  EXPECT_EQ(f.batches.back().size(), 60 * kSeries) << "everything asked again";
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

TEST(AppSeries, ClosedCountsGoToTheStoreWhichSparesCommandsLater) {
  RecordingStore store;
  {
    Fixture f(&store);
    f.Read();
    EXPECT_EQ(store.rows.size(), kClosed * kSeries) << "closed buckets only";
    EXPECT_EQ(store.saves, static_cast<int>(kSeries)) << "one save per series";
  }
  Fixture restarted(&store);  // a new process: empty memory, same store
  const AppSeriesView v = restarted.Read();
  ASSERT_EQ(restarted.batches.size(), 1u);
  EXPECT_EQ(restarted.batches[0].size(), kOpen * kSeries) << "the store answered the rest";
  EXPECT_EQ(v.runs.at("succeeded")[0], Truth("workflows:runs:succeeded", v.first));
  const int loads = store.loads;
  restarted.Read();
  EXPECT_EQ(store.loads, loads) << "memory first";
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
}  // namespace observd
