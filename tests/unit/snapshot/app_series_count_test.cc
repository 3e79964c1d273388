// Tests of snapshot/app_series_count.cc, AppSeries' counting half: ended trailing buckets
// checked by one ZCOUNT per span and recounted one by one only when it changed, closed
// counts saved to the store, and unknown counts (a refused reply or failed batch) never
// kept.
#include <gtest/gtest.h>

#include "snapshot/app_series.h"
#include "support/app_series_fixture.h"

namespace observd::app_series_test {
namespace {

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

}  // namespace
}  // namespace observd::app_series_test
