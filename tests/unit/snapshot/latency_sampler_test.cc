// Tests of snapshot/latency_sampler.h: PINGs a real redis-server ("Live" suite,
// label redis) and records round trips; with no server, a silent one or a refusing
// one it reports down with gaps in the history (never 0 ms), keeps ticking and
// stops promptly.
#include "snapshot/latency_sampler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "support/loopback.h"
#include "support/redis_server.h"
#include "util/clock.h"

namespace observd {
namespace {

using std::chrono::milliseconds;
using testing::FreeLoopbackPort;
using testing::RedisServer;
using testing::SilentServer;
using testing::WaitFor;

constexpr milliseconds kDeadline(10000);

// A sampler PINGing 127.0.0.1:<port> every 20 ms with a fake wall clock (1, 2, 3,
// ... so samples are numbered), and what its callback saw.
class Sampling {
 public:
  explicit Sampling(int port, std::string password = "") : history_(1000) {
    RedisOptions o;
    o.address.server.port = port;
    o.password = std::move(password);
    o.connect_timeout = milliseconds(200);
    o.command_timeout = milliseconds(200);
    o.backoff_max = milliseconds(100);
    sampler_ = std::make_unique<LatencySampler>(
        std::make_unique<RedisClient>(o, nullptr), &history_, milliseconds(20),
        [this] { return static_cast<double>(++clock_); },
        [this](bool up, double seconds) {
          std::lock_guard<std::mutex> lk(mu_);
          calls_.push_back({up, seconds});
        });
  }
  struct Call {
    bool up;
    double seconds;
  };
  LatencySampler& sampler() { return *sampler_; }
  History& history() { return history_; }
  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lk(mu_);
    return calls_;
  }
  // Waits until at least `n` more callbacks arrived than now.
  bool WaitForMoreCalls(size_t n) {
    size_t start = calls().size();
    return WaitFor([&] { return calls().size() >= start + n; }, kDeadline);
  }

 private:
  History history_;
  std::atomic<int> clock_{0};
  std::mutex mu_;
  std::vector<Call> calls_;
  std::unique_ptr<LatencySampler> sampler_;  // last: stopped before the rest goes
};

TEST(LatencySamplerLive, RecordsRoundTripsWhileRedisAnswers) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Sampling s(server.port());
  EXPECT_FALSE(s.sampler().up()) << "up before the first PING";
  s.sampler().Start();
  ASSERT_TRUE(s.WaitForMoreCalls(3));
  EXPECT_TRUE(s.sampler().up());
  s.sampler().Stop();
  auto calls = s.calls();
  auto samples = s.history().Latency();
  ASSERT_EQ(samples.size(), calls.size()) << "one sample per PING";
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_TRUE(calls[i].up);
    EXPECT_GT(calls[i].seconds, 0);
    EXPECT_LT(calls[i].seconds, 1.0);
    EXPECT_EQ(samples[i].t, static_cast<double>(i + 1)) << "stamped with the injected clock";
    ASSERT_TRUE(samples[i].ms);
    EXPECT_NEAR(*samples[i].ms, calls[i].seconds * 1000, 1e-9);
  }
}

TEST(LatencySamplerLive, GoesDownAndComesBackWithTheServer) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Sampling s(server.port());
  s.sampler().Start();
  ASSERT_TRUE(WaitFor([&] { return s.sampler().up(); }, kDeadline));
  server.Stop();
  ASSERT_TRUE(WaitFor([&] { return !s.sampler().up(); }, kDeadline));
  ASSERT_TRUE(s.WaitForMoreCalls(1));
  auto last = s.history().LastLatency();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->ms, std::nullopt) << "a failed PING is a gap, not 0 ms";
  EXPECT_FALSE(s.calls().back().up);
  EXPECT_EQ(s.calls().back().seconds, 0.0);
  ASSERT_TRUE(server.Start()) << server.error();
  EXPECT_TRUE(WaitFor([&] { return s.sampler().up(); }, kDeadline)) << "no recovery";
}

TEST(LatencySamplerLive, ARefusedPingIsDown) {
  RedisServer server(RedisServer::Options().WithPassword("pw-4a1c"));
  ASSERT_TRUE(server.ok()) << server.error();
  Sampling s(server.port());  // no password: every PING gets NOAUTH
  s.sampler().Start();
  ASSERT_TRUE(s.WaitForMoreCalls(3));
  s.sampler().Stop();
  EXPECT_FALSE(s.sampler().up());
  for (const auto& c : s.calls()) EXPECT_FALSE(c.up);
  for (const auto& x : s.history().Latency()) EXPECT_EQ(x.ms, std::nullopt);
}

TEST(LatencySamplerLive, AuthenticatedPingIsUp) {
  RedisServer server(RedisServer::Options().WithPassword("pw-4a1c"));
  ASSERT_TRUE(server.ok()) << server.error();
  Sampling s(server.port(), "pw-4a1c");
  s.sampler().Start();
  EXPECT_TRUE(WaitFor([&] { return s.sampler().up(); }, kDeadline));
}

TEST(LatencySampler, NoServerIsDownAndKeepsTicking) {
  Sampling s(FreeLoopbackPort());
  double tick0 = s.sampler().last_tick();
  s.sampler().Start();
  ASSERT_TRUE(s.WaitForMoreCalls(3));
  EXPECT_FALSE(s.sampler().up());
  EXPECT_GT(s.sampler().last_tick(), tick0) << "the watchdog heartbeat must keep going";
  EXPECT_LE(s.sampler().last_tick(), SteadySeconds());
  s.sampler().Stop();
  for (const auto& c : s.calls()) {
    EXPECT_FALSE(c.up);
    EXPECT_EQ(c.seconds, 0.0);
  }
  auto samples = s.history().Latency();
  ASSERT_EQ(samples.size(), s.calls().size());
  for (const auto& x : samples) EXPECT_EQ(x.ms, std::nullopt);
}

TEST(LatencySampler, ASilentServerIsDownAndStopReturns) {
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  Sampling s(silent.port());
  s.sampler().Start();
  ASSERT_TRUE(s.WaitForMoreCalls(1));
  EXPECT_FALSE(s.sampler().up());
  // Stop returns (at most one PING in flight, command timeout 200 ms): a Stop that waited
  // on the silent server forever is the ctest timeout, not a time bound here.
  s.sampler().Stop();
  EXPECT_FALSE(s.sampler().up());
}

TEST(LatencySampler, FirstSampleIsAwaitedThenKnown) {
  // A silent server: the first PING fails only after the 200 ms command timeout;
  // that failed sample releases the waiter.
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  Sampling s(silent.port());
  EXPECT_FALSE(s.sampler().sampled());
  EXPECT_FALSE(s.sampler().WaitFirstSample(milliseconds(50))) << "nothing samples before Start";
  s.sampler().Start();
  ASSERT_TRUE(s.sampler().WaitFirstSample(kDeadline));
  EXPECT_TRUE(s.sampler().sampled());
  EXPECT_FALSE(s.sampler().up());
  EXPECT_GE(s.calls().size(), 1u) << "the callback ran before the waiter was released";
}

TEST(LatencySampler, WaitFirstSampleReturnsOnStop) {
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  Sampling s(silent.port());
  s.sampler().Stop();
  // An hour: a waiter that Stop did not release would hold the test until ctest's timeout.
  EXPECT_FALSE(s.sampler().WaitFirstSample(std::chrono::hours(1)));
}

TEST(LatencySampler, StopIsIdempotentAndSafeBeforeStart) {
  Sampling never_started(FreeLoopbackPort());
  never_started.sampler().Stop();
  never_started.sampler().Stop();
  EXPECT_TRUE(never_started.calls().empty());
  Sampling s(FreeLoopbackPort());
  s.sampler().Start();
  ASSERT_TRUE(s.WaitForMoreCalls(1));
  s.sampler().Stop();
  size_t n = s.calls().size();
  s.sampler().Stop();
  EXPECT_EQ(s.calls().size(), n) << "no PING after Stop() returned";
}

}  // namespace
}  // namespace observd
