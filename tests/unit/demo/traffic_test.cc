// Tests of demo/traffic.h: the traffic model writes the Redis data contract,
// deterministically for a seed and clock; no Redis server involved.
#include "demo/traffic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace observd::demo {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kNow = 1'780'000'000;  // 2026-05-28

std::map<std::string, std::string> Fields(const Command& hset) {
  std::map<std::string, std::string> out;
  for (size_t i = 2; i + 1 < hset.size(); i += 2) out[hset[i]] = hset[i + 1];
  return out;
}

// Runs a generator for `seconds` of fake time with the given tick and records everything.
std::vector<Command> Simulate(uint64_t seed, double tick, double seconds) {
  double now = kNow;
  TrafficGenerator gen(Keys("t:"), TrafficOptions{}, Rng(seed), [&now] { return now; });
  std::vector<Command> out;
  auto sink = [&out](const Command& c) { out.push_back(c); };
  gen.Backfill(200, sink);
  const int steps = static_cast<int>(seconds / tick);
  for (int i = 0; i <= steps; ++i) {  // both cadences end exactly at `seconds`.
    now = kNow + i * seconds / steps;
    gen.Tick(sink);
  }
  return out;
}

TEST(TrafficGenerator, BackfillWritesTheDataContract) {
  double now = kNow;
  TrafficGenerator gen(Keys("t:"), TrafficOptions{}, Rng(1), [&now] { return now; });
  std::vector<Command> out;
  gen.Backfill(1000, [&out](const Command& c) { out.push_back(c); });
  int zadds = 0, hsets = 0, runs = 0;
  for (const Command& c : out) {
    if (c[0] == "ZADD" && c[1] == "t:uploads:timeline") {
      ++zadds;
      const double score = std::stod(c[2]);
      EXPECT_GE(score, kNow - 86400);
      EXPECT_LE(score, kNow);
    } else if (c[0] == "HSET") {
      ++hsets;
      EXPECT_EQ(c[1].rfind("t:upload:u-", 0), 0u);
      auto f = Fields(c);
      for (const char* key : {"filename", "size", "content_type", "user", "status", "created_at"}) {
        EXPECT_EQ(f.count(key), 1u) << key;
      }
    } else if (c[0] == "ZADD") {
      EXPECT_THAT(c[1], ::testing::StartsWith("t:workflows:runs:"));
      ++runs;
    }
  }
  EXPECT_EQ(zadds, 1000);
  EXPECT_EQ(hsets, 1000);
  EXPECT_EQ(runs, 500);
  EXPECT_EQ(gen.counters().uploads, 1000);
  EXPECT_GE(gen.active_users(), 10u);
  EXPECT_LE(gen.active_users(), 40u);
}

TEST(TrafficGenerator, LiveTrafficKeepsInvariants) {
  double now = kNow;
  TrafficGenerator gen(Keys(), TrafficOptions{}, Rng(3), [&now] { return now; });
  std::set<std::string> running, active;
  std::map<std::string, std::string> status;
  auto sink = [&](const Command& c) {
    if (c[0] == "ZADD" && c[1] == "workflows:runs:running") running.insert(c[3]);
    if (c[0] == "ZREM" && c[1] == "workflows:runs:running") {
      EXPECT_EQ(running.erase(c[2]), 1u) << "finished a run that never started";
    }
    if (c[0] == "SADD") active.insert(c[2]);
    if (c[0] == "SREM") active.erase(c[2]);
    if (c[0] == "HSET") status[c[1]] = Fields(c)["status"];
  };
  gen.Backfill(0, sink);
  for (int i = 0; i < 6000; ++i) {  // 10 minutes at 100 ms.
    now = kNow + i * 0.1;
    gen.Tick(sink);
    ASSERT_GE(active.size(), 10u);
    ASSERT_LE(active.size(), 40u);
  }
  EXPECT_EQ(active.size(), gen.active_users());
  EXPECT_GT(gen.counters().uploads, 1000);  // ~2/s for 600 s.
  EXPECT_LT(gen.counters().uploads, 1400);
  EXPECT_LT(running.size(), 30u);  // runs finish within a minute.
  int processing = 0;
  for (const auto& [key, s] : status) processing += s == "processing";
  EXPECT_LT(processing, 10);  // only the last few seconds' uploads.
}

TEST(TrafficGenerator, OutputDependsOnSeedAndClockNotTickCadence) {
  EXPECT_EQ(Simulate(5, 0.1, 60), Simulate(5, 0.1, 60));
  EXPECT_EQ(Simulate(5, 0.1, 60), Simulate(5, 0.5, 60));
  EXPECT_NE(Simulate(5, 0.1, 60), Simulate(6, 0.1, 60));
}

TEST(TrafficGenerator, HostileRecordsAreBinary) {
  TrafficGenerator gen(Keys(), TrafficOptions{}, Rng(1), [] { return double{kNow}; });
  std::map<std::string, std::map<std::string, std::string>> hashes;
  std::set<std::string> timeline;
  gen.WriteHostile([&](const Command& c) {
    if (c[0] == "HSET") hashes[c[1]] = Fields(c);
    if (c[0] == "ZADD") timeline.insert(c[3]);
  });
  EXPECT_EQ(hashes["upload:u-hostile-size-abc"]["size"], "abc");
  EXPECT_EQ(hashes["upload:u-hostile-size-nan"]["size"], "nan");
  EXPECT_EQ(hashes["upload:u-hostile-size-negative"]["size"], "-4096");
  EXPECT_THAT(hashes["upload:u-hostile-xss"]["filename"], ::testing::HasSubstr("<script>"));
  EXPECT_EQ(hashes["upload:u-hostile-missing"].count("filename"), 0u);
  const std::string& bytes = hashes["upload:u-hostile-bytes"]["filename"];
  EXPECT_NE(bytes.find('\0'), std::string::npos);
  EXPECT_NE(bytes.find('\xff'), std::string::npos);
  EXPECT_GE(hashes["upload:u-hostile-huge-name"]["filename"].size(), 300u * 1000);
  EXPECT_EQ(timeline.count("u-hostile-orphan"), 1u);
  EXPECT_EQ(hashes.count("upload:u-hostile-orphan"), 0u);
}

}  // namespace
}  // namespace observd::demo
