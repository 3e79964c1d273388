// SnapshotCache logic with an injected clock and a scripted provider: TTL,
// hit/miss counting, single-flight, stale-on-error, invalidation.
#include "snapshot/snapshot_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace observd {
namespace {

class ScriptedProvider : public SnapshotProvider {
 public:
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::atomic<int> delay_ms{0};
  std::atomic<bool> gate_closed{false};  // Refresh waits while closed (OpenGate)
  std::atomic<int> finished{0};          // Refresh calls that returned
  std::atomic<double>* clock;

  void OpenGate() {
    gate_closed = false;
    gate_closed.notify_all();
  }

  RefreshResult Refresh(double now) override {
    ++calls;
    if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
    gate_closed.wait(true);
    struct Finish {
      std::atomic<int>* n;
      ~Finish() { ++*n; }
    } finish{&finished};
    RefreshResult r;
    if (fail) return r;
    r.outcome = RefreshOutcome::kComputed;
    AppSnapshot s;
    s.computed_at = now;
    s.uploads_total = calls.load();
    r.snapshot = s;
    return r;
  }
};

struct Fixture {
  std::atomic<double> now{1000};
  std::atomic<int> hits{0}, misses{0};
  ScriptedProvider* provider;
  std::unique_ptr<SnapshotCache> cache;

  explicit Fixture(Millis max_wait = Millis(2000)) {
    auto p = std::make_unique<ScriptedProvider>();
    provider = p.get();
    SnapshotCache::Options o;
    o.ttl = Millis(30000);
    o.max_wait = max_wait;
    cache = std::make_unique<SnapshotCache>(
        o, std::move(p), [this] { return now.load(); },
        SnapshotCache::Hooks{[this] { ++hits; }, [this] { ++misses; }, nullptr});
    cache->Start();
  }
};

TEST(SnapshotCache, MissThenHitsWithinTtlThenMissAfter) {
  Fixture f;
  auto a = f.cache->Get();
  ASSERT_TRUE(a);
  EXPECT_EQ(f.misses, 1);
  EXPECT_EQ(f.provider->calls, 1);
  f.now = 1029;
  auto b = f.cache->Get();
  EXPECT_EQ(b->version, a->version);
  EXPECT_EQ(f.hits, 1);
  f.now = 1030.5;
  auto c = f.cache->Get();
  EXPECT_EQ(f.misses, 2);
  EXPECT_EQ(f.provider->calls, 2);
  EXPECT_GT(c->version, a->version);
}

TEST(SnapshotCache, SingleFlightUnderConcurrency) {
  Fixture f;
  f.provider->delay_ms = 100;
  std::vector<std::future<std::shared_ptr<const VersionedSnapshot>>> all;
  for (int i = 0; i < 50; ++i) {
    all.push_back(std::async(std::launch::async, [&] { return f.cache->Get(); }));
  }
  for (auto& r : all) EXPECT_TRUE(r.get());
  EXPECT_EQ(f.provider->calls, 1);
  EXPECT_EQ(f.misses + f.hits, 50);
  EXPECT_LE(f.misses, 1);
}

TEST(SnapshotCache, ServesLastSnapshotWhenRefreshFails) {
  Fixture f;
  auto first = f.cache->Get();
  ASSERT_TRUE(first);
  f.provider->fail = true;
  f.now = 1100;
  auto stale = f.cache->Get();
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->version, first->version);
  EXPECT_EQ(stale->app.computed_at, 1000);
  // Within a second of the failure no new refresh is started.
  int calls = f.provider->calls;
  f.cache->Get();
  EXPECT_EQ(f.provider->calls, calls);
  // Redis is back: the next read after the retry delay refreshes.
  f.provider->fail = false;
  f.now = 1102;
  EXPECT_EQ(f.cache->Get()->app.computed_at, 1102);
}

TEST(SnapshotCache, HandlersWaitAtMostMaxWait) {
  Fixture f(Millis(50));
  f.provider->gate_closed = true;  // the refresh cannot finish until the gate opens
  auto s = f.cache->Get();
  // Get returned while the refresh was still held: it gave up after max_wait instead of
  // waiting for the slow refresh (no time bound: the gate makes it an event).
  EXPECT_FALSE(s);
  EXPECT_EQ(f.provider->finished, 0);
  EXPECT_EQ(f.provider->calls, 1);
  f.provider->OpenGate();
  f.cache->Stop();
}

TEST(SnapshotCache, InvalidateForcesRefreshButKeepsServing) {
  Fixture f;
  auto a = f.cache->Get();
  f.cache->Invalidate();
  f.now = 1001;
  auto b = f.cache->Get();
  EXPECT_EQ(f.provider->calls, 2);
  EXPECT_GT(b->version, a->version);
}

TEST(SnapshotCache, InvalidateDuringRefreshIsNotLost) {
  // A reload that lands while a refresh runs (with the old queries) must still
  // force the next read to refresh.
  Fixture f;
  f.cache->Get();
  f.provider->delay_ms = 200;
  f.now = 1031;
  auto slow = std::async(std::launch::async, [&] { return f.cache->Get(); });
  while (f.provider->calls < 2) std::this_thread::yield();
  f.cache->Invalidate();
  slow.get();
  f.provider->delay_ms = 0;
  int calls = f.provider->calls;
  f.cache->Get();
  EXPECT_EQ(f.provider->calls, calls + 1) << "the invalidation was lost";
}

TEST(SnapshotCache, ProviderExceptionIsAFailureNotACrash) {
  class Throwing : public SnapshotProvider {
    RefreshResult Refresh(double) override { throw std::runtime_error("boom"); }
  };
  SnapshotCache cache({}, std::make_unique<Throwing>(), [] { return 1.0; }, {});
  cache.Start();
  EXPECT_FALSE(cache.Get());
  EXPECT_TRUE(cache.attempted());
}

}  // namespace
}  // namespace observd
