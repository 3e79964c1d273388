// Tests of metrics/openmetrics_format.h: the OpenMetrics 1.0.0 writer against the
// spec's rules (TYPE/UNIT/HELP, _total, info families, EOF).
#include "metrics/openmetrics_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <string_view>

namespace observd {
namespace {

TEST(OpenMetricsFormat, UnitsFromBaseUnitSuffixes) {
  EXPECT_EQ(OpenMetricsUnit("observd_http_request_duration_seconds"), "seconds");
  EXPECT_EQ(OpenMetricsUnit("process_resident_memory_bytes"), "bytes");
  EXPECT_EQ(OpenMetricsUnit("observd_cache_hit_ratio"), "ratio");
  EXPECT_EQ(OpenMetricsUnit("process_cpu_seconds"), "seconds");
  EXPECT_EQ(OpenMetricsUnit("observd_redis_up"), "");
  EXPECT_EQ(OpenMetricsUnit("process_open_fds"), "");
  EXPECT_EQ(OpenMetricsUnit("seconds"), "");              // no family name before the unit
  EXPECT_EQ(OpenMetricsUnit("observd_nanoseconds"), "");  // not "_seconds"
}

TEST(OpenMetricsFormat, WritesTheSpecLayout) {
  using prometheus::ClientMetric;
  using prometheus::MetricFamily;
  using prometheus::MetricType;
  MetricFamily counter{
      "app_jobs_total", "Jobs \"done\" \\ so far\nin total.", MetricType::Counter, {}};
  ClientMetric c;
  c.label = {{"queue", "a\"b\\c\nd"}};
  c.counter.value = 17;
  counter.metric.push_back(c);
  MetricFamily bare{"app_events", "Counter without the suffix.", MetricType::Counter, {}};
  ClientMetric b;
  b.counter.value = 2;
  bare.metric.push_back(b);
  MetricFamily info{"app_build_info", "Build.", MetricType::Gauge, {}};
  ClientMetric i;
  i.label = {{"version", "1.0"}};
  i.gauge.value = 1;
  info.metric.push_back(i);
  MetricFamily gauge{"app_other_info", "A gauge not listed as info.", MetricType::Gauge, {}};
  MetricFamily hist{"app_wait_seconds", "Wait.", MetricType::Histogram, {}};
  ClientMetric h;
  h.histogram.sample_count = 3;
  h.histogram.sample_sum = 1.25;
  h.histogram.bucket = {{1, 0.5}, {2, 1}, {3, std::numeric_limits<double>::infinity()}};
  hist.metric.push_back(h);
  MetricFamily ratio{"app_hit_ratio", "", MetricType::Gauge, {}};
  ClientMetric r;
  r.gauge.value = 0.75;
  ratio.metric.push_back(r);
  MetricFamily untyped{"app_thing", "Untyped.", MetricType::Untyped, {}};
  constexpr std::string_view kInfo[] = {"app_build_info"};
  std::string out;
  AppendOpenMetrics({counter, bare, info, gauge, hist, ratio, untyped}, kInfo, &out);
  EXPECT_EQ(out,
            "# TYPE app_jobs counter\n"
            "# HELP app_jobs Jobs \\\"done\\\" \\\\ so far\\nin total.\n"
            "app_jobs_total{queue=\"a\\\"b\\\\c\\nd\"} 17\n"
            "# TYPE app_events counter\n"
            "# HELP app_events Counter without the suffix.\n"
            "app_events_total 2\n"
            "# TYPE app_build info\n"
            "# HELP app_build Build.\n"
            "app_build_info{version=\"1.0\"} 1\n"
            "# TYPE app_other_info gauge\n"
            "# HELP app_other_info A gauge not listed as info.\n"
            "# TYPE app_wait_seconds histogram\n"
            "# UNIT app_wait_seconds seconds\n"
            "# HELP app_wait_seconds Wait.\n"
            "app_wait_seconds_bucket{le=\"0.5\"} 1\n"
            "app_wait_seconds_bucket{le=\"1.0\"} 2\n"
            "app_wait_seconds_bucket{le=\"+Inf\"} 3\n"
            "app_wait_seconds_sum 1.25\n"
            "app_wait_seconds_count 3\n"
            "# TYPE app_hit_ratio gauge\n"
            "# UNIT app_hit_ratio ratio\n"
            "app_hit_ratio 0.75\n"
            "# TYPE app_thing unknown\n"
            "# HELP app_thing Untyped.\n"
            "# EOF\n");
}

}  // namespace
}  // namespace observd
