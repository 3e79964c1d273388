// Tests of metrics/family.h: the MetricFamily builders the scrape-time collectors use.
#include "metrics/family.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

using prometheus::MetricType;

TEST(Family, SamplesLandInTheValueOfTheFamilysType) {
  auto counter = MakeFamily("app_jobs_total", "Jobs.", MetricType::Counter);
  AddSample(&counter, {{"queue", "a"}}, 3);
  ASSERT_EQ(counter.metric.size(), 1u);
  EXPECT_EQ(counter.metric[0].counter.value, 3);
  EXPECT_EQ(counter.metric[0].gauge.value, 0);
  EXPECT_EQ(counter.metric[0].label[0].name, "queue");

  auto gauge = MakeFamily("app_depth", "Depth.", MetricType::Gauge);
  AddSample(&gauge, {}, 1.5);
  EXPECT_EQ(gauge.metric[0].gauge.value, 1.5);
  EXPECT_EQ(gauge.metric[0].counter.value, 0);
}

TEST(Family, SingleSampleHasOneUnlabelledSample) {
  auto f = SingleSample("app_up", "Up.", MetricType::Gauge, 1);
  EXPECT_EQ(f.name, "app_up");
  EXPECT_EQ(f.help, "Up.");
  EXPECT_EQ(f.type, MetricType::Gauge);
  ASSERT_EQ(f.metric.size(), 1u);
  EXPECT_TRUE(f.metric[0].label.empty());
  EXPECT_EQ(f.metric[0].gauge.value, 1);
}

}  // namespace
}  // namespace observd
