// Tests of render/partials.h's HistoryJson: the start, gaps, annotations and deltas of
// observd's own history, and the application's series from the view (AppSeries).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "model/app_series_view.h"
#include "model/minutes.h"
#include "render/partials.h"
#include "support/partials_fixture.h"

namespace observd {
namespace {

using partials_test::HostileView;

TEST(Render, HistoryHasStartGapsAnnotationsAndDeltas) {
  Status v = HostileView("x");
  v.start_time = v.now - 600;
  HistoryView h;
  for (int i = 0; i < 5; ++i) h.latency.push_back({v.now - 5 + i, 0.1});
  for (int64_t m = FirstMinute(v.now); m < FirstMinute(v.now) + kMinutes; ++m) {
    h.requests_per_minute.push_back({m * 60, 0});
  }
  h.annotations.push_back({v.start_time, std::nullopt, "restart", "observd started"});
  auto j = nlohmann::json::parse(HistoryJson(v, h, 1, {v.now - 3, true}));
  EXPECT_EQ(j["started_at"], v.start_time);
  EXPECT_EQ(j["latency"]["points"].size(), 2u) << "only points after ?since=";
  const auto& rpm = j["requests_per_minute"];
  ASSERT_EQ(rpm.size(), 60u);
  EXPECT_TRUE(rpm[0][1].is_null()) << "before the start: unknown";
  EXPECT_TRUE(rpm[59][1].is_number());
  ASSERT_EQ(j["annotations"].size(), 1u);
  EXPECT_EQ(j["annotations"][0]["kind"], "restart");
  auto delta = nlohmann::json::parse(HistoryJson(v, h, 1, {v.now - 1, false}));
  EXPECT_FALSE(delta.contains("requests_per_minute")) << "no minute completed: not resent";
}

// The application's series come from the view (AppSeries), not the snapshot: "uploads"
// and "runs" at any step, and under their per-minute names for the live minute window.
TEST(Render, HistoryCarriesTheAppSeries) {
  Status v = HostileView("x");
  HistoryView h;
  const BucketRange live = LiveMinutes(v.now);
  AppSeriesView a{live.first, 60, std::vector<MaybeInt>(60, 2), {}};
  a.uploads[5] = std::nullopt;
  a.runs["failed"] = std::vector<MaybeInt>(60, 1);
  a.runs["running"] = std::vector<MaybeInt>(60, std::nullopt);
  h.app_series = a;
  auto j = nlohmann::json::parse(HistoryJson(v, h, 1, {}));
  ASSERT_EQ(j["uploads"].size(), 60u);
  EXPECT_EQ(j["uploads"][0], nlohmann::json::array({live.first, 2}));
  EXPECT_EQ(j["uploads"][59][0], live.last);
  EXPECT_TRUE(j["uploads"][5][1].is_null()) << "unknown is null, never 0";
  EXPECT_TRUE(j["runs"]["running"][0][1].is_null());
  EXPECT_EQ(j["runs"]["failed"][1], nlohmann::json::array({live.first + 60, 1}));
  EXPECT_EQ(j["uploads_per_minute"], j["uploads"]) << "the live window keeps its old names";
  EXPECT_EQ(j["workflow_runs_per_minute"], j["runs"]);

  h.app_series->step = 300;  // not minutes: only the step-neutral names
  h.app_series->first = live.first / 300 * 300;
  j = nlohmann::json::parse(HistoryJson(v, h, 1, {}));
  EXPECT_EQ(j["uploads"][1][0], live.first / 300 * 300 + 300);
  EXPECT_EQ(j["uploads_per_minute"], nlohmann::json::array());
  EXPECT_EQ(j["workflow_runs_per_minute"], nlohmann::json::object());

  h.app_series.reset();  // no reader: nothing to draw, nothing invented
  j = nlohmann::json::parse(HistoryJson(v, h, 1, {}));
  EXPECT_EQ(j["uploads"], nlohmann::json::array());
  EXPECT_EQ(j["runs"], nlohmann::json::object());
  EXPECT_EQ(j["uploads_per_minute"], nlohmann::json::array());
}

}  // namespace
}  // namespace observd
