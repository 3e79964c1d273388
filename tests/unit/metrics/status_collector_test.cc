// Tests of metrics/status_collector.h: the families computed from a Status, and which
// samples are absent (not 0) while a value is unknown.
#include "metrics/status_collector.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace observd {
namespace {

const prometheus::MetricFamily& Find(const std::vector<prometheus::MetricFamily>& all,
                                     const std::string& name) {
  for (const auto& f : all) {
    if (f.name == name) return f;
  }
  static const prometheus::MetricFamily kMissing;
  ADD_FAILURE() << "no family " << name;
  return kMissing;
}

TEST(StatusCollector, CountersAndGaugesFromTheStatus) {
  Status s;
  s.now = 1000;
  s.dashboard_refreshes = 4;
  s.htmx_events = 2;
  s.cache.hits = 3;
  s.cache.misses = 1;
  s.redis.errors_total = 5;
  s.redis.sampled = true;
  s.redis.up = true;
  s.redis.latency_seconds = 0.002;
  auto snap = std::make_shared<VersionedSnapshot>();
  snap->app.computed_at = 990;
  s.snapshot = snap;
  auto all = CollectStatusMetrics(s);
  EXPECT_EQ(Find(all, "observd_dashboard_refresh_total").metric[0].counter.value, 4);
  EXPECT_EQ(Find(all, "observd_htmx_events_total").metric[0].counter.value, 2);
  EXPECT_EQ(Find(all, "observd_cache_hits_total").metric[0].counter.value, 3);
  EXPECT_EQ(Find(all, "observd_cache_misses_total").metric[0].counter.value, 1);
  EXPECT_EQ(Find(all, "observd_cache_hit_ratio").metric[0].gauge.value, 0.75);
  EXPECT_EQ(Find(all, "observd_redis_up").metric[0].gauge.value, 1);
  EXPECT_EQ(Find(all, "observd_redis_latency_seconds").metric[0].gauge.value, 0.002);
  EXPECT_EQ(Find(all, "observd_redis_errors_total").metric[0].counter.value, 5);
  EXPECT_EQ(Find(all, "observd_snapshot_age_seconds").metric[0].gauge.value, 10);
}

TEST(StatusCollector, UnknownValuesHaveNoSampleOrTheirDocumentedDefault) {
  Status s;
  s.redis.sampled = false;  // before the first PING
  auto all = CollectStatusMetrics(s);
  EXPECT_TRUE(Find(all, "observd_redis_up").metric.empty()) << "unknown, not down";
  EXPECT_TRUE(Find(all, "observd_redis_latency_seconds").metric.empty());
  EXPECT_EQ(Find(all, "observd_cache_hit_ratio").metric[0].gauge.value, 0) << "before any read";
  EXPECT_EQ(Find(all, "observd_snapshot_age_seconds").metric[0].gauge.value, -1) << "none";
  s.redis.sampled = true;
  s.redis.up = false;
  all = CollectStatusMetrics(s);
  EXPECT_EQ(Find(all, "observd_redis_up").metric[0].gauge.value, 0);
  EXPECT_TRUE(Find(all, "observd_redis_latency_seconds").metric.empty()) << "down: no latency";
}

TEST(StatusCollector, TheHistoryStoreIsUpDownOrAbsentByChoice) {
  Status s;  // history.path empty: memory only, nothing to alert on
  auto all = CollectStatusMetrics(s);
  EXPECT_TRUE(Find(all, "observd_history_store_up").metric.empty());
  EXPECT_TRUE(Find(all, "observd_history_store_size_bytes").metric.empty());
  s.history_store.kind = StoreState::Kind::kOk;
  s.history_store.size_bytes = 3'031'040;
  all = CollectStatusMetrics(s);
  EXPECT_EQ(Find(all, "observd_history_store_up").metric[0].gauge.value, 1);
  EXPECT_EQ(Find(all, "observd_history_store_size_bytes").metric[0].gauge.value, 3031040);
  s.history_store.kind = StoreState::Kind::kFailed;
  s.history_store.size_bytes.reset();
  all = CollectStatusMetrics(s);
  EXPECT_EQ(Find(all, "observd_history_store_up").metric[0].gauge.value, 0);
  EXPECT_TRUE(Find(all, "observd_history_store_size_bytes").metric.empty()) << "not known";
}

}  // namespace
}  // namespace observd
