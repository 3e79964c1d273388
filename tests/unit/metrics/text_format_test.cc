// Tests of metrics/text_format.h: escaping and number formatting as the text
// exposition format specifies.
#include "metrics/text_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace observd {
namespace {

TEST(TextFormat, EscapesAndFormatsLikeTheSpec) {
  using prometheus::ClientMetric;
  using prometheus::MetricFamily;
  using prometheus::MetricType;
  MetricFamily g{"g", "help with \\ and\nnewline", MetricType::Gauge, {}};
  ClientMetric m;
  m.label = {{"a", "q\"uote\\back\nline"}, {"b", "plain"}};
  m.gauge.value = 0.25;
  g.metric.push_back(m);
  ClientMetric whole;
  whole.gauge.value = 3;
  g.metric.push_back(whole);
  ClientMetric nan;
  nan.gauge.value = std::numeric_limits<double>::quiet_NaN();
  g.metric.push_back(nan);
  MetricFamily h{"h", "hist", MetricType::Histogram, {}};
  ClientMetric hm;
  hm.histogram.sample_count = 2;
  hm.histogram.sample_sum = 1.5;
  hm.histogram.bucket = {{1, 0.5}, {2, std::numeric_limits<double>::infinity()}};
  h.metric.push_back(hm);
  std::string out;
  AppendTextFormat({g, h}, &out);
  EXPECT_EQ(out,
            "# HELP g help with \\\\ and\\nnewline\n"
            "# TYPE g gauge\n"
            "g{a=\"q\\\"uote\\\\back\\nline\",b=\"plain\"} 0.25\n"
            "g 3\n"
            "g NaN\n"
            "# HELP h hist\n"
            "# TYPE h histogram\n"
            "h_bucket{le=\"0.5\"} 1\n"
            "h_bucket{le=\"+Inf\"} 2\n"
            "h_sum 1.5\n"
            "h_count 2\n");
}

}  // namespace
}  // namespace observd
