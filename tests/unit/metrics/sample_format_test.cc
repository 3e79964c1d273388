// Tests of metrics/sample_format.h: what both exposition formats write the same way
// (escaping, values, the canonical `le`/`quantile` rendering, sample lines).
#include "metrics/sample_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <utility>

namespace observd {
namespace {

std::string Canonical(double v) {
  std::string out;
  AppendCanonicalFloat(v, &out);
  return out;
}

TEST(SampleFormat, CanonicalFloatsAreTheSpecExamples) {
  // The examples of the OpenMetrics spec, section "Considerations: Canonical Numbers".
  const std::pair<double, const char*> kExamples[] = {
      {0.0, "0.0"},
      {0.001, "0.001"},
      {0.002, "0.002"},
      {0.01, "0.01"},
      {0.1, "0.1"},
      {0.9, "0.9"},
      {0.95, "0.95"},
      {0.99, "0.99"},
      {0.999, "0.999"},
      {1.0, "1.0"},
      {1.7, "1.7"},
      {10.0, "10.0"},
      {1e-10, "1e-10"},
      {1e-09, "1e-09"},
      {1e-05, "1e-05"},
      {0.0001, "0.0001"},
      {100000, "100000.0"},
      {1e+06, "1e+06"},
      {1e+10, "1e+10"},
      {0.00025, "0.00025"},
      {2.5, "2.5"},
      {-1, "-1.0"},
      {1234567, "1.234567e+06"},
  };
  for (const auto& [v, want] : kExamples) EXPECT_EQ(Canonical(v), want) << v;
  EXPECT_EQ(Canonical(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(Canonical(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(Canonical(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(Canonical(1.0), "1.0");  // again, from the per-thread cache
}

TEST(SampleFormat, EscapesBackslashNewlineAndQuotesOnlyWhenAsked) {
  std::string out;
  AppendEscaped("a\\b\nc\"d", false, &out);
  EXPECT_EQ(out, "a\\\\b\\nc\"d");
  out.clear();
  AppendEscaped("a\\b\nc\"d", true, &out);
  EXPECT_EQ(out, "a\\\\b\\nc\\\"d");
}

TEST(SampleFormat, ValuesWholeWithoutPointOthersExact) {
  auto value = [](double v) {
    std::string out;
    AppendValue(v, &out);
    return out;
  };
  EXPECT_EQ(value(17), "17");
  EXPECT_EQ(value(-3), "-3");
  EXPECT_EQ(value(0.25), "0.25");
  EXPECT_EQ(value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(value(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(SampleFormat, SummaryLinesCarryQuantileSumAndCount) {
  prometheus::MetricFamily f{"app_wait", "", prometheus::MetricType::Summary, {}};
  prometheus::ClientMetric m;
  m.label = {{"queue", "a"}};
  m.summary.quantile = {{0.5, 2}};
  m.summary.sample_sum = 10;
  m.summary.sample_count = 4;
  f.metric.push_back(m);
  std::string out;
  AppendSamples(f, "app_wait", &out);
  EXPECT_EQ(out,
            "app_wait{queue=\"a\",quantile=\"0.5\"} 2\n"
            "app_wait_sum{queue=\"a\"} 10\n"
            "app_wait_count{queue=\"a\"} 4\n");
  EXPECT_GE(EstimateExpositionSize({f}), out.size());
}

}  // namespace
}  // namespace observd
