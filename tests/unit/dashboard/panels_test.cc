// Tests of dashboard/panels.h: every row is complete and unique, its template exists in
// frontend/templates/ and renders its builder's data.
#include "dashboard/panels.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "dashboard/site_query.h"
#include "render/templates.h"

namespace observd {
namespace {

TEST(Panels, RowsAreCompleteAndUnique) {
  std::set<std::string_view> names, routes, topics;
  for (const Panel& p : Panels()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_TRUE(routes.insert(p.route).second) << p.route;
    if (!p.topic.empty()) {
      EXPECT_TRUE(topics.insert(p.topic).second) << p.topic;
    }
    EXPECT_TRUE(p.route.starts_with("/dashboard/api/")) << p.route << ": the nginx cache's prefix";
    EXPECT_GT(p.poll_seconds, 0) << p.name;
    EXPECT_GE(p.stream_every, 0) << p.name;
    EXPECT_NE(p.data, nullptr) << p.name;
  }
  EXPECT_TRUE(topics.count("uploads"));
  EXPECT_FALSE(topics.count(kHistoryTopic)) << "the charts' JSON is no panel";
}

TEST(Panels, EveryTemplateExistsAndRendersItsData) {
  auto required = RequiredTemplates();
  for (const std::string& name : required) {
    EXPECT_TRUE(
        std::filesystem::is_regular_file(std::string(OBSERVD_TEMPLATES) + "/" + name + ".mustache"))
        << name;
  }
  auto templates = Templates::Load(OBSERVD_TEMPLATES, required);
  ASSERT_TRUE(templates) << templates.error();
  Status status;
  status.now = 1764355200;
  const CardThresholds thresholds = CardThresholdsOf(WebConfig{});
  const UploadsQuery uploads;
  int metrics_calls = 0;
  const std::function<std::string()> metrics_text = [&] {
    ++metrics_calls;
    return std::string("observd_up 1\n");
  };
  for (const Panel& p : Panels()) {
    std::string html =
        (*templates)
            ->Render(std::string(p.name), p.data({status, thresholds, uploads, metrics_text}));
    EXPECT_FALSE(html.empty()) << p.name;
  }
  EXPECT_EQ(metrics_calls, 1) << "only the metrics panel reads the /metrics text";
}

}  // namespace
}  // namespace observd
