// Tests of dashboard/handlers.cc without a server: each panel of the panel table is
// answered by its row (template, 400 on a bad view, 503 without templates), the JSON's
// `since` and the application's series in the history. The CSV exports, the event
// stream, /metrics and health are the *_handler_test.cc files of their units.
#include "dashboard/handlers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/dashboard_handlers_fixture.h"

namespace observd {
namespace {

// The data-partial="..." marker of a rendering (every partial's root carries one).
std::string Marker(std::string_view html) {
  const std::string_view key = "data-partial=\"";
  size_t at = html.find(key);
  if (at == std::string_view::npos) return "";
  at += key.size();
  return std::string(html.substr(at, html.find('"', at) - at));
}

TEST_F(HandlersTest, EveryPanelRendersItsOwnTemplate) {
  auto site = site_.Get();
  const std::function<std::string()> text = [] { return std::string("observd_up 1\n"); };
  for (const Panel& panel : Panels()) {
    size_t index = 0;
    const Route* route = table_.Find(std::string(panel.route), &index);
    ASSERT_TRUE(route) << panel.route;
    Response r = route->handle(Get());
    EXPECT_EQ(r.status, 200) << panel.name;
    // The panel's own template, rendered directly, names the partial the route must answer.
    const std::string own = Marker(site->templates->Render(
        std::string(panel.name),
        panel.data({board_.Read(), site->thresholds, UploadsQuery{}, text})));
    ASSERT_FALSE(own.empty()) << panel.name << ": its template carries no data-partial";
    EXPECT_EQ(Marker(r.bytes()), own) << panel.name << ": rendered with another template";
  }
  std::set<std::string> markers;
  for (const Panel& panel : Panels()) {
    markers.insert(Marker(handlers_.PanelHtml(panel, Get()).bytes()));
  }
  EXPECT_EQ(markers.size(), Panels().size()) << "two panels answer the same partial";
}

TEST_F(HandlersTest, WithoutTemplatesEveryPanelAnswers503) {
  site_.Set(MakeSite(false));
  for (const Panel& panel : Panels()) {
    EXPECT_EQ(handlers_.PanelHtml(panel, Get()).status, 503) << panel.name;
  }
}

TEST_F(HandlersTest, BadParametersAre400WithTheReason) {
  const Panel* uploads = nullptr;
  for (const Panel& p : Panels()) {
    if (p.name == "recent_uploads") uploads = &p;
  }
  ASSERT_TRUE(uploads);
  Response r = handlers_.PanelHtml(*uploads, Get("limit=0"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "limit must be an integer from 1 to 100\n");
  EXPECT_EQ(handlers_.PanelHtml(*uploads, Get("sort=evil")).status, 400);
  EXPECT_EQ(handlers_.HistoryJson(Get("since=soon")).status, 400);
  EXPECT_EQ(handlers_.HistoryJson(Get("since=1764355100")).status, 200);
}

TEST_F(HandlersTest, HistoryTakesTheAppSeriesOfTheLiveWindow) {
  const BucketRange live = LiveMinutes(1764355200.0);
  Response r = handlers_.HistoryJson(Get());
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(series_.asked.size(), 1u);
  EXPECT_EQ(series_.asked[0], live);
  auto j = nlohmann::json::parse(r.bytes());
  EXPECT_EQ(j["uploads_per_minute"][1], nlohmann::json::array({live.first + 60, 1}));
  EXPECT_TRUE(j["uploads"][59][1].is_null()) << "unknown stays null";
  EXPECT_EQ(j["workflow_runs_per_minute"]["failed"].size(), 60u);
  EXPECT_EQ(j["runs"], j["workflow_runs_per_minute"]);
}

}  // namespace
}  // namespace observd
