// The exposition formats: Accept negotiation (table), the exact Content-Type, the
// OpenMetrics 1.0.0 writer against the spec's rules, and the canonical `le` rendering
// both formats share.
#include <gtest/gtest.h>

#include <limits>
#include <string_view>

#include "metrics/exposition_format.h"
#include "metrics/metrics_registry.h"
#include "metrics/openmetrics_format.h"
#include "metrics/sample_format.h"
#include "metrics/text_format.h"

namespace observd {
namespace {

using F = ExpositionFormat;
using E = NameEscaping;

struct NegotiationCase {
  const char* accept;
  F format;
  E escaping;
};

// Prometheus 2.x's default scrape Accept header (scrape/scrape.go, 2.42).
constexpr const char* kPrometheus2 =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
// Prometheus 3.x's default: escaping parameters on the 1.0.0 entries.
constexpr const char* kPrometheus3 =
    "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
    "application/openmetrics-text;version=0.0.1;q=0.5,"
    "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

const NegotiationCase kCases[] = {
    // Nothing, or nothing usable: text 0.0.4, the last resort of the negotiation spec.
    {"", F::kText004, E::kUnspecified},
    {"   ", F::kText004, E::kUnspecified},
    {"*/*", F::kText004, E::kUnspecified},
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", F::kText004,
     E::kUnspecified},
    {"application/json", F::kText004, E::kUnspecified},
    {"garbage", F::kText004, E::kUnspecified},
    {";;;,,,=", F::kText004, E::kUnspecified},
    {"/", F::kText004, E::kUnspecified},
    {"application/openmetrics-text;q=banana", F::kText004, E::kUnspecified},
    {"application/openmetrics-text;q=2", F::kText004, E::kUnspecified},
    {"application/openmetrics-text;version", F::kText004, E::kUnspecified},
    {"*/openmetrics-text", F::kText004, E::kUnspecified},
    {"application/openmetrics-text;version=9.9.9", F::kText004, E::kUnspecified},
    // Text only.
    {"text/plain", F::kText004, E::kUnspecified},
    {"text/plain;version=0.0.4", F::kText004, E::kUnspecified},
    {"text/*", F::kText004, E::kUnspecified},
    {"text/plain;version=0.0.4;escaping=underscores", F::kText004, E::kUnderscores},
    // OpenMetrics by version; no version means 1.0.0.
    {"application/openmetrics-text;version=1.0.0", F::kOpenMetrics100, E::kUnspecified},
    {"application/openmetrics-text;version=0.0.1", F::kOpenMetrics001, E::kUnspecified},
    {"application/openmetrics-text", F::kOpenMetrics100, E::kUnspecified},
    {"APPLICATION/OpenMetrics-Text; Version=1.0.0", F::kOpenMetrics100, E::kUnspecified},
    {"application/*", F::kOpenMetrics100, E::kUnspecified},
    // The real scrapers.
    {kPrometheus2, F::kOpenMetrics100, E::kUnspecified},
    {kPrometheus3, F::kOpenMetrics100, E::kAllowUtf8},
    // q-values.
    {"text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8", F::kText004,
     E::kUnspecified},
    {"text/plain;q=0.2, application/openmetrics-text;q=0.3", F::kOpenMetrics100, E::kUnspecified},
    {"application/openmetrics-text;version=0.0.1;q=0.9,application/openmetrics-text;"
     "version=1.0.0;q=0.5",
     F::kOpenMetrics001, E::kUnspecified},
    {"application/openmetrics-text;q=0, */*", F::kText004, E::kUnspecified},
    {"text/plain;q=0, */*;q=0.1", F::kOpenMetrics100, E::kUnspecified},
    {"text/plain;q=0", F::kText004, E::kUnspecified},
    {"application/openmetrics-text;version=1.0.0;q=0,application/openmetrics-text;q=0.5",
     F::kOpenMetrics001, E::kUnspecified},
    // Equal q: the range listed first.
    {"application/openmetrics-text;version=1.0.0, text/plain;version=0.0.4", F::kOpenMetrics100,
     E::kUnspecified},
    {"text/plain;version=0.0.4, application/openmetrics-text;version=1.0.0", F::kText004,
     E::kUnspecified},
    // A garbage entry does not spoil the rest; whitespace and quoted values are fine.
    {"bogus, application/openmetrics-text ; version=\"1.0.0\" ; q=0.7 , text/plain;q=0.5",
     F::kOpenMetrics100, E::kUnspecified},
    // escaping: every scheme is honoured and echoed; unknown ones are ignored.
    {"application/openmetrics-text;version=1.0.0;escaping=underscores", F::kOpenMetrics100,
     E::kUnderscores},
    {"application/openmetrics-text;version=1.0.0;escaping=dots", F::kOpenMetrics100, E::kDots},
    {"application/openmetrics-text;version=1.0.0;escaping=values", F::kOpenMetrics100, E::kValues},
    {"application/openmetrics-text;version=1.0.0;escaping=rot13", F::kOpenMetrics100,
     E::kUnspecified},
    // The escaping of the range that decided, not of another one.
    {"text/plain;version=0.0.4;escaping=dots;q=0.1,application/openmetrics-text;"
     "escaping=values",
     F::kOpenMetrics100, E::kValues},
};

TEST(ExpositionNegotiation, AcceptHeaderTable) {
  for (const auto& c : kCases) {
    Exposition got = NegotiateExposition(c.accept);
    EXPECT_EQ(got.format, c.format) << "Accept: " << c.accept;
    EXPECT_EQ(got.escaping, c.escaping) << "Accept: " << c.accept;
  }
}

TEST(ExpositionNegotiation, ContentTypeIsExact) {
  EXPECT_EQ(ContentType({F::kText004, E::kUnspecified}),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(ContentType({F::kOpenMetrics100, E::kUnspecified}),
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(ContentType({F::kOpenMetrics001, E::kUnspecified}),
            "application/openmetrics-text; version=0.0.1; charset=utf-8");
  EXPECT_EQ(ContentType({F::kOpenMetrics100, E::kAllowUtf8}),
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8");
  EXPECT_EQ(ContentType({F::kText004, E::kUnderscores}),
            "text/plain; version=0.0.4; charset=utf-8; escaping=underscores");
  EXPECT_EQ(ContentType({F::kOpenMetrics100, E::kDots}),
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=dots");
  EXPECT_EQ(ContentType({F::kOpenMetrics100, E::kValues}),
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=values");
  EXPECT_FALSE(IsOpenMetrics(F::kText004));
  EXPECT_TRUE(IsOpenMetrics(F::kOpenMetrics100));
  EXPECT_TRUE(IsOpenMetrics(F::kOpenMetrics001));
}

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

// The same registry in both formats: same sample lines, OpenMetrics metadata, EOF last.
TEST(OpenMetricsFormat, RegistryScrapeHasTheContractNamesAndNoCreated) {
  Metrics m("1.2.3", "abc", {"/metrics"});
  m.ObserveRequest(0, 200, 0.001);
  Status status;
  status.now = 1000;
  status.queries = std::make_shared<const std::vector<QueryConfig>>();
  std::string om;
  m.Serialize(status, &om, F::kOpenMetrics100);
  std::string text;
  m.Serialize(status, &text, F::kText004);
  ASSERT_TRUE(om.ends_with("\n# EOF\n"));
  EXPECT_EQ(om.find("# EOF"), om.size() - 6) << "EOF must be the last line, and only once";
  EXPECT_NE(om.find("# TYPE observd_build info\n"), std::string::npos);
  EXPECT_NE(om.find("\nobservd_build_info{revision=\"abc\",version=\"1.2.3\"} 1\n"),
            std::string::npos);
  EXPECT_NE(om.find("# TYPE observd_cache_hits counter\n"), std::string::npos);
  EXPECT_NE(om.find("\nobservd_cache_hits_total 0\n"), std::string::npos);
  EXPECT_NE(om.find("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"),
            std::string::npos);
  EXPECT_NE(om.find("# UNIT observd_http_request_duration_seconds seconds\n"), std::string::npos);
  EXPECT_NE(om.find("# UNIT process_resident_memory_bytes bytes\n"), std::string::npos);
  EXPECT_EQ(om.find("_created"), std::string::npos);
  EXPECT_EQ(om.find("# TYPE observd_cache_hits_total"), std::string::npos);
  EXPECT_EQ(text.find("# EOF"), std::string::npos);
  // Every sample line of one format is a sample line of the other.
  auto samples = [](const std::string& s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < s.size()) {
      size_t nl = s.find('\n', pos);
      std::string line = s.substr(pos, nl - pos);
      if (!line.empty() && line[0] != '#' && !line.starts_with("process_")) out.push_back(line);
      pos = nl + 1;
    }
    return out;
  };
  EXPECT_EQ(samples(om), samples(text));
  EXPECT_NE(
      text.find("observd_http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"1.0\"}"),
      std::string::npos);
}

}  // namespace
}  // namespace observd
