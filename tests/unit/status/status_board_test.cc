// Tests of status/status_board.h: the counters the hooks feed, PING state, settings
// and endpoints, read through the SnapshotReader and EndpointSource interfaces (plain
// fakes here: status/ links neither the cache nor the Redis client).
#include "status/status_board.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

namespace observd {
namespace {

// A reader that counts its reads and, like SnapshotCache::Get, reports each to the board.
class FakeReader : public SnapshotReader {
 public:
  std::shared_ptr<const VersionedSnapshot> Get() override {
    ++reads;
    if (board) board->CountCacheRead(hit);
    return snapshot;
  }
  std::shared_ptr<const VersionedSnapshot> Current() const override { return snapshot; }
  Millis ttl() const override { return Millis(2500); }

  std::shared_ptr<const VersionedSnapshot> snapshot;
  StatusBoard* board = nullptr;
  bool hit = true;
  int reads = 0;
};

class FakeEndpoints : public EndpointSource {
 public:
  std::vector<RedisEndpoint> Current() const override { return endpoints; }
  std::vector<RedisEndpoint> endpoints;
};

struct Fixture {
  Fixture()
      : board(
            &reader, [this] { return now; }, "1.2.3", "abc") {
    reader.board = &board;
  }
  double now = 1000;
  FakeReader reader;
  StatusBoard board;
};

TEST(StatusBoard, ReadCarriesVersionStartAndTheCacheSettings) {
  Fixture f;
  f.now = 1042;
  Status s = f.board.Read();
  EXPECT_EQ(s.version, "1.2.3");
  EXPECT_EQ(s.revision, "abc");
  EXPECT_EQ(s.start_time, 1000) << "the clock at construction";
  EXPECT_EQ(s.now, 1042);
  EXPECT_EQ(s.cache.ttl_seconds, 2.5);
  EXPECT_EQ(s.snapshot, nullptr);
  ASSERT_NE(s.queries, nullptr) << "never null, even before settings";
  EXPECT_TRUE(s.queries->empty());
}

TEST(StatusBoard, EveryReadGoesThroughTheCacheAndIsCounted) {
  Fixture f;
  auto snap = std::make_shared<VersionedSnapshot>();
  snap->version = 7;
  f.reader.snapshot = snap;
  f.reader.hit = false;
  Status first = f.board.Read();
  EXPECT_EQ(first.snapshot, snap);
  EXPECT_EQ(first.cache.misses, 1u) << "the read that built this status is counted in it";
  f.reader.hit = true;
  Status second = f.board.Read();
  EXPECT_EQ(second.cache.hits, 1u);
  EXPECT_EQ(second.cache.misses, 1u);
  EXPECT_EQ(second.cache.hit_ratio(), 0.5);
  EXPECT_EQ(f.reader.reads, 2);
}

TEST(StatusBoard, CountersAddUp) {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.board.CountRequest();
  f.board.CountDashboardRefresh();
  f.board.CountHtmxEvent();
  f.board.CountHtmxEvent();
  f.board.CountRedisError();
  Status s = f.board.Read();
  EXPECT_EQ(s.requests_total, 3u);
  EXPECT_EQ(s.dashboard_refreshes, 1u);
  EXPECT_EQ(s.htmx_events, 2u);
  EXPECT_EQ(s.redis.errors_total, 1u);
}

TEST(StatusBoard, ConcurrentCountsAreAllKept) {
  Fixture f;
  constexpr int kThreads = 4, kEach = 10000;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kEach; ++j) f.board.CountRequest();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.board.Read().requests_total, static_cast<uint64_t>(kThreads * kEach));
}

TEST(StatusBoard, PingStateUnknownThenUpWithLatencyThenDownWithout) {
  Fixture f;
  Status before = f.board.Read();
  EXPECT_FALSE(before.redis.sampled);
  EXPECT_FALSE(before.redis.down()) << "no PING yet: unknown";
  EXPECT_EQ(before.redis.latency_seconds, std::nullopt);
  f.board.RecordPing(true, 0.002);
  Status up = f.board.Read();
  EXPECT_TRUE(up.redis.sampled);
  EXPECT_TRUE(up.redis.up);
  EXPECT_EQ(up.redis.latency_seconds, 0.002);
  f.board.RecordPing(false, 0);
  Status down = f.board.Read();
  EXPECT_TRUE(down.redis.down());
  EXPECT_EQ(down.redis.latency_seconds, std::nullopt) << "no latency while down";
}

TEST(StatusBoard, SettingsAndEndpointsAreReadAtEachBuild) {
  Fixture f;
  auto endpoints = std::make_shared<FakeEndpoints>();
  f.board.SetEndpoints(endpoints);
  endpoints->endpoints = {{"sampler", "10.0.0.1:6379", "master"}};
  QueryConfig q;
  q.name = "observd_app_jobs";
  f.board.SetSettings({30, std::make_shared<const std::vector<QueryConfig>>(1, q)});
  Status s = f.board.Read();
  EXPECT_EQ(s.redis.endpoints, endpoints->endpoints);
  EXPECT_EQ(s.stale_after_seconds, 30);
  ASSERT_EQ(s.queries->size(), 1u);
  EXPECT_EQ(s.queries->front().name, "observd_app_jobs");
  f.board.SetSettings({45, nullptr});
  Status reloaded = f.board.Read();
  EXPECT_EQ(reloaded.stale_after_seconds, 45);
  ASSERT_NE(reloaded.queries, nullptr) << "a reload without queries still has a list";
  EXPECT_TRUE(reloaded.queries->empty());
}

}  // namespace
}  // namespace observd
