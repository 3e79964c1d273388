// The metrics contract: names, HELP text safety (prometheus-cpp 1.0.1 does not
// escape HELP), application gauges present when fresh and omitted when stale.
#include "metrics/metrics_registry.h"

#include <gtest/gtest.h>

#include <limits>
#include <regex>
#include <string>

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

TEST(Metrics, RedisCommandsAreCountedByConnection) {
  Metrics m("v", "r", {"/metrics"});
  EXPECT_EQ(Scrape(m, StatusWith(nullptr, 0)).find("observd_redis_commands_total{"),
            std::string::npos)
      << "no series before a connection's first batch";
  m.CountRedisCommands("snapshot", 12);
  m.CountRedisCommands("snapshot", 100);
  m.CountRedisCommands("sampler", 1);
  std::string text = Scrape(m, StatusWith(nullptr, 0));
  EXPECT_NE(text.find("observd_redis_commands_total{client=\"snapshot\"} 112"), std::string::npos)
      << text;
  EXPECT_NE(text.find("observd_redis_commands_total{client=\"sampler\"} 1"), std::string::npos);
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

TEST(Metrics, RedisUpHasNoSampleBeforeTheFirstPing) {
  Metrics m("v", "r", {});
  Status s = StatusWith(nullptr, 0);
  s.redis.sampled = false;
  std::string unknown = Scrape(m, s);
  EXPECT_NE(unknown.find("# TYPE observd_redis_up gauge"), std::string::npos);
  EXPECT_EQ(unknown.find("\nobservd_redis_up "), std::string::npos) << "unknown is not 0";
  s.redis.sampled = true;
  EXPECT_NE(Scrape(m, s).find("\nobservd_redis_up 0\n"), std::string::npos);
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
