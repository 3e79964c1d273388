// Tests of metrics/app_collector.h: the observd_app_* families from a snapshot, unknown
// values without a sample, and the configured extra queries.
#include "metrics/app_collector.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

const prometheus::MetricFamily* Find(const std::vector<prometheus::MetricFamily>& all,
                                     const std::string& name) {
  for (const auto& f : all) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(AppCollector, GaugesFromTheSnapshotAndNoSampleForUnknowns) {
  AppSnapshot s;
  s.uploads_total = 12;
  s.uploads_1h = 3;
  s.uploads_24h = std::nullopt;  // garbage in Redis
  s.active_users = 5;
  s.workflow_runs["failed"] = {2, std::nullopt};
  auto all = CollectAppMetrics(s, {});
  ASSERT_NE(Find(all, "observd_app_uploads"), nullptr);
  EXPECT_EQ(Find(all, "observd_app_uploads")->metric[0].gauge.value, 12);
  const auto* window = Find(all, "observd_app_uploads_window");
  ASSERT_NE(window, nullptr);
  ASSERT_EQ(window->metric.size(), 1u) << "24h is unknown: no sample";
  EXPECT_EQ(window->metric[0].label[0].value, "1h");
  EXPECT_EQ(Find(all, "observd_app_active_users")->metric[0].gauge.value, 5);
  const auto* runs = Find(all, "observd_app_workflow_runs_window");
  ASSERT_NE(runs, nullptr);
  ASSERT_EQ(runs->metric.size(), 1u);
  EXPECT_EQ(runs->metric[0].gauge.value, 2);
}

TEST(AppCollector, ExtraQueriesInConfigOrderWithTheirHelpAndLabels) {
  QueryConfig a;
  a.name = "observd_app_queue";
  a.help = "Queue length.";
  QueryConfig b = a;
  b.labels = {{"queue", "slow"}};
  QueryConfig c;
  c.name = "observd_app_other";
  AppSnapshot s;
  s.queries = {{"observd_app_queue", {}, 4},
               {"observd_app_queue", {{"queue", "slow"}}, 9},
               {"observd_app_other", {}, std::nullopt},
               {"observd_app_not_configured", {}, 1}};
  auto all = CollectAppMetrics(s, {a, b, c});
  const auto* queue = Find(all, "observd_app_queue");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->help, "Queue length.");
  ASSERT_EQ(queue->metric.size(), 2u) << "one family, two label sets";
  EXPECT_EQ(queue->metric[1].label[0].value, "slow");
  EXPECT_EQ(queue->metric[1].gauge.value, 9);
  const auto* other = Find(all, "observd_app_other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->help, "Configured Redis query.");
  EXPECT_TRUE(other->metric.empty()) << "unknown value: no sample";
  EXPECT_EQ(Find(all, "observd_app_not_configured"), nullptr);
}

TEST(AppCollector, ProcessFamilies) {
  ProcessStats p;
  p.open_fds = 7;
  auto all = CollectProcessMetrics(p);
  ASSERT_NE(Find(all, "process_open_fds"), nullptr);
  EXPECT_EQ(Find(all, "process_open_fds")->metric[0].gauge.value, 7);
  EXPECT_EQ(Find(all, "process_cpu_seconds_total")->type, prometheus::MetricType::Counter);
}

}  // namespace
}  // namespace observd
