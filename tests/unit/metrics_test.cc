// The metrics contract: names, HELP text safety (prometheus-cpp 1.0.1 does not
// escape HELP), application gauges present when fresh and omitted when stale.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <regex>
#include <thread>

#include "metrics/metrics_registry.h"
#include "metrics/scrape_coalescer.h"
#include "metrics/text_format.h"

namespace observd {
namespace {

std::shared_ptr<const VersionedSnapshot> Snap() {
  auto v = std::make_shared<VersionedSnapshot>();
  v->app.uploads_total = 42;
  v->app.uploads_1h = 3;
  v->app.uploads_24h = 9;
  v->app.active_users = 5;
  v->app.workflow_runs["failed"] = {1, 2};
  v->app.queries.push_back({"observd_app_queue_length", {{"queue", "jobs"}}, 7});
  v->version = 1;
  return v;
}

// A Status with `snapshot` computed `age` seconds before now.
Status StatusWith(std::shared_ptr<const VersionedSnapshot> snapshot, double age,
                  std::shared_ptr<const std::vector<QueryConfig>> queries = nullptr) {
  Status s;
  s.now = 1000;
  s.stale_after_seconds = 60;
  s.queries = queries ? queries : std::make_shared<const std::vector<QueryConfig>>();
  if (snapshot) {
    auto copy = std::make_shared<VersionedSnapshot>(*snapshot);
    copy->app.computed_at = s.now - age;
    s.snapshot = copy;
  }
  return s;
}

std::string Scrape(const Metrics& m, const Status& s = StatusWith(nullptr, 0)) {
  std::string out;
  m.Serialize(s, &out);
  return out;
}

TEST(Metrics, ContractNamesArePresent) {
  Metrics m("1.2.3", "abc", {"/metrics"});
  m.ObserveRequest(0, 200, 0.001);
  Status status = StatusWith(nullptr, 0);
  status.redis.up = true;
  status.redis.latency_seconds = 0.001;
  std::string text = Scrape(m, status);
  for (const char* name :
       {"observd_dashboard_refresh_total", "observd_htmx_events_total", "observd_cache_hits_total",
        "observd_cache_misses_total", "observd_cache_hit_ratio", "observd_http_requests_total",
        "observd_http_request_duration_seconds_bucket", "observd_redis_up",
        "observd_redis_latency_seconds", "observd_redis_errors_total",
        "observd_snapshot_age_seconds", "process_cpu_seconds_total",
        "process_resident_memory_bytes", "process_virtual_memory_bytes",
        "process_start_time_seconds", "process_open_fds", "process_max_fds"}) {
    EXPECT_NE(text.find(std::string("\n") + name), std::string::npos) << name;
  }
  EXPECT_NE(text.find("observd_build_info{revision=\"abc\",version=\"1.2.3\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("observd_http_requests_total{code=\"200\",handler=\"/metrics\"} 1"),
            std::string::npos);
}

TEST(Metrics, HelpTextNeedsNoEscaping) {
  Metrics m("v", "r", {"/metrics"});
  std::string text = Scrape(m, StatusWith(Snap(), 1));
  std::regex help("^# HELP (\\S+) (.*)$");
  int helps = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    std::smatch match;
    if (!std::regex_match(line, match, help)) continue;
    ++helps;
    EXPECT_EQ(match[2].str().find('\\'), std::string::npos) << line;
    EXPECT_GE(match[2].str().size(), 10u) << "HELP too short to help a stranger: " << line;
  }
  EXPECT_GE(helps, 20);
}

TEST(Metrics, AppGaugesOnlyWhenFresh) {
  Metrics m("v", "r", {});
  auto queries =
      std::make_shared<const std::vector<QueryConfig>>(std::vector<QueryConfig>{QueryConfig{
          "observd_app_queue_length", "Jobs waiting.", QueryConfig::Kind::kLlen, "q", {}, {}}});
  std::string fresh = Scrape(m, StatusWith(Snap(), 12, queries));
  EXPECT_NE(fresh.find("\nobservd_app_uploads 42\n"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find("observd_app_uploads_window{window=\"1h\"} 3"), std::string::npos);
  EXPECT_NE(fresh.find("observd_app_workflow_runs_window{status=\"failed\",window=\"24h\"} 2"),
            std::string::npos);
  EXPECT_NE(fresh.find("observd_app_queue_length{queue=\"jobs\"} 7"), std::string::npos);
  EXPECT_NE(fresh.find("# HELP observd_app_queue_length Jobs waiting."), std::string::npos);
  EXPECT_NE(fresh.find("observd_snapshot_age_seconds 12"), std::string::npos);
  std::string old = Scrape(m, StatusWith(Snap(), 61, queries));
  EXPECT_EQ(old.find("observd_app_"), std::string::npos);
  EXPECT_NE(old.find("observd_snapshot_age_seconds 61"), std::string::npos);
  std::string none = Scrape(m, StatusWith(nullptr, 0, queries));
  EXPECT_EQ(none.find("observd_app_"), std::string::npos);
  EXPECT_NE(none.find("observd_snapshot_age_seconds -1"), std::string::npos);
}

TEST(Metrics, HitRatioIsZeroBeforeAnyReadAndHitsOverReadsAfter) {
  Metrics m("v", "r", {});
  Status s = StatusWith(nullptr, 0);
  EXPECT_NE(Scrape(m, s).find("observd_cache_hit_ratio 0\n"), std::string::npos);
  s.cache.hits = 3;
  s.cache.misses = 1;
  EXPECT_NE(Scrape(m, s).find("observd_cache_hit_ratio 0.75\n"), std::string::npos);
  EXPECT_NE(Scrape(m, s).find("observd_cache_hits_total 3\n"), std::string::npos);
}

TEST(Metrics, RedisLatencyHasNoSampleWhileRedisIsDown) {
  Metrics m("v", "r", {});
  Status s = StatusWith(nullptr, 0);
  s.redis.up = true;
  s.redis.latency_seconds = 0.002;
  EXPECT_NE(Scrape(m, s).find("\nobservd_redis_latency_seconds 0.002\n"), std::string::npos);
  s.redis.up = false;
  s.redis.latency_seconds.reset();
  std::string down = Scrape(m, s);
  EXPECT_NE(down.find("\nobservd_redis_up 0\n"), std::string::npos);
  EXPECT_NE(down.find("# TYPE observd_redis_latency_seconds gauge"), std::string::npos);
  EXPECT_EQ(down.find("\nobservd_redis_latency_seconds "), std::string::npos) << down;
}

TEST(Metrics, OutOfRangeStatusCodesAndUnknownHandlersAreClamped) {
  Metrics m("v", "r", {"/metrics"});
  m.ObserveRequest(7, 99999, 0.1);
  m.ObserveRequest(1, -1, 0.1);
  EXPECT_NE(Scrape(m).find("observd_http_requests_total{code=\"500\",handler=\"other\"} 2"),
            std::string::npos);
}

}  // namespace
}  // namespace observd

namespace observd {
namespace {

TEST(ScrapeCoalescer, SequentialScrapesAreAlwaysFresh) {
  int value = 0;
  ScrapeCoalescer c([&](std::string* out) { *out = std::to_string(value); });
  for (int i = 0; i < 5; ++i) {
    value = i;
    EXPECT_EQ(*c.Get(false).text, std::to_string(i));
  }
  EXPECT_EQ(c.renders(), 5u);
  auto gz = c.Get(true);
  ASSERT_TRUE(gz.gzip);
  EXPECT_GT(gz.gzip->size(), 10u);
}

TEST(ScrapeCoalescer, ConcurrentScrapesShareRendersStartedAfterThem) {
  std::atomic<int> counter{0};
  ScrapeCoalescer c([&](std::string* out) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    *out = std::to_string(counter.load());
  });
  std::vector<std::thread> threads;
  std::atomic<int> stale{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      int before = ++counter;  // an update made before the scrape began
      int seen = std::stoi(*c.Get(false).text);
      if (seen < before) ++stale;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stale, 0) << "a scrape returned text rendered before it began";
  EXPECT_LT(c.renders(), 32u) << "concurrent scrapes did not share";
}

}  // namespace
}  // namespace observd

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
