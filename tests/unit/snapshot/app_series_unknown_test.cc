// AppSeries tests of unknown counts: a refused reply or failed batch is unknown, never kept.
#include <gtest/gtest.h>

#include "snapshot/app_series.h"
#include "support/app_series_fixture.h"

namespace observd::app_series_test {
namespace {

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
