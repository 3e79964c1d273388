// Tests of status/status.h: the rules about a Status (hit ratio, snapshot age,
// staleness, Redis known to be down) that metrics/ and render/ both read.
#include "status/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace observd {
namespace {

std::shared_ptr<const VersionedSnapshot> ComputedAt(double t) {
  auto v = std::make_shared<VersionedSnapshot>();
  v->app.computed_at = t;
  return v;
}

TEST(HitRatio, UnknownBeforeAnyReadThenHitsOverReads) {
  EXPECT_EQ(HitRatio(0, 0), std::nullopt) << "no read yet: unknown, not 0";
  EXPECT_EQ(HitRatio(3, 1), 0.75);
  EXPECT_EQ(HitRatio(0, 5), 0.0);
  EXPECT_EQ(HitRatio(5, 0), 1.0);
  CacheStatus c;
  c.hits = 1;
  c.misses = 3;
  EXPECT_EQ(c.hit_ratio(), 0.25);
}

// The review saw "Cache hit rate 18.2 %" next to a cache panel saying no snapshot had
// been computed: lookups that joined a refresh which produced nothing were counted.
TEST(Status, CacheHitRateIsUnknownWhileNoSnapshotExists) {
  Status s;
  s.cache.hits = 2;
  s.cache.misses = 9;
  EXPECT_EQ(s.cache.hit_ratio(), 2.0 / 11) << "the counters themselves are kept";
  EXPECT_EQ(s.cache_hit_ratio(), std::nullopt) << "no snapshot: the rate is unknown";
  s.snapshot = ComputedAt(10);
  EXPECT_EQ(s.cache_hit_ratio(), 2.0 / 11);
  s.cache = CacheStatus{};
  EXPECT_EQ(s.cache_hit_ratio(), std::nullopt) << "a snapshot but no lookup yet";
}

TEST(IsStale, WithoutAnAgeOrOlderThanTheLimit) {
  EXPECT_TRUE(IsStale(std::nullopt, 60));
  EXPECT_FALSE(IsStale(0, 60));
  EXPECT_FALSE(IsStale(60, 60)) << "exactly at the limit is still fresh";
  EXPECT_TRUE(IsStale(60.5, 60));
}

TEST(Status, SnapshotAgeIsNeverNegativeAndUnknownWithoutOne) {
  Status s;
  s.now = 1000;
  s.stale_after_seconds = 60;
  EXPECT_EQ(s.snapshot_age_seconds(), std::nullopt);
  EXPECT_TRUE(s.stale());
  s.snapshot = ComputedAt(990);
  EXPECT_EQ(s.snapshot_age_seconds(), 10);
  EXPECT_FALSE(s.stale());
  s.snapshot = ComputedAt(1005);  // another instance's clock runs ahead
  EXPECT_EQ(s.snapshot_age_seconds(), 0);
  s.snapshot = ComputedAt(900);
  EXPECT_TRUE(s.stale());
}

TEST(Status, UptimeCountsFromTheStart) {
  Status s;
  s.start_time = 100;
  s.now = 160;
  EXPECT_EQ(s.uptime_seconds(), 60);
}

TEST(RedisStatus, DownOnlyOnceAPingFailed) {
  RedisStatus r;
  r.sampled = false;
  r.up = false;
  EXPECT_FALSE(r.down()) << "before the first PING: unknown, not down";
  r.sampled = true;
  EXPECT_TRUE(r.down());
  r.up = true;
  EXPECT_FALSE(r.down());
}

}  // namespace
}  // namespace observd
