// The exposition formats: Accept negotiation (table), the exact Content-Type, and one
// registry scraped in both formats.
#include "metrics/exposition_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string_view>

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
