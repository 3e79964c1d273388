// Tests of metrics/process_metrics.h: the procfs parsers on fixtures under
// tests/fixtures/proc/ (stat_real and limits_real are verbatim copies from a live
// system), plus a smoke test of ReadProcessStats on this process.
#include "metrics/process_metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace observd {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(OBSERVD_FIXTURES) + "/proc/" + name);
  EXPECT_TRUE(in) << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ProcStatTest, ParsesARealStatFile) {
  const auto s = ParseProcStat(Fixture("stat_real"), 100, 4096, 1700000000);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 0);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1700000000 + 752.82);
  EXPECT_DOUBLE_EQ(s->virtual_memory_bytes, 3133440);
  EXPECT_DOUBLE_EQ(s->resident_memory_bytes, 394.0 * 4096);
  EXPECT_DOUBLE_EQ(s->open_fds, 0);  // not in stat: read elsewhere
}

TEST(ProcStatTest, CommWithSpacesAndParentheses) {
  const auto s = ParseProcStat(Fixture("stat_comm_spaces"), 100, 4096, 1000);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->cpu_seconds, (1234 + 567) / 100.0);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1000 + 1234.56);
  EXPECT_DOUBLE_EQ(s->virtual_memory_bytes, 104857600);
  EXPECT_DOUBLE_EQ(s->resident_memory_bytes, 2560.0 * 4096);
}

TEST(ProcStatTest, MalformedInputIsNoStats) {
  const std::string good = Fixture("stat_comm_spaces");
  for (const std::string& bad :
       {Fixture("stat_truncated"), std::string(""), std::string("1 (x"),
        std::string("1 x) S 1 2 3"), good.substr(0, good.find(" 2560")),
        std::string("1 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 5 0 0 20 0 1 0 100 4096 10")}) {
    EXPECT_FALSE(ParseProcStat(bad, 100, 4096, 0)) << bad;
  }
  EXPECT_TRUE(ParseProcStat(good, 100, 4096, 0));
  EXPECT_FALSE(ParseProcStat(good, 0, 4096, 0));
  EXPECT_FALSE(ParseProcStat(good, 100, 0, 0));
}

TEST(BootTimeTest, ClocksGiveTheKernelsBtime) {
  // The fallback for a /proc without /proc/stat agrees with the real btime (the
  // kernel derives both from the same clocks; NTP may move realtime by a second).
  std::ifstream in("/proc/stat");
  std::stringstream text;
  text << in.rdbuf();
  auto btime = ParseBootTime(text.str());
  ASSERT_TRUE(btime.has_value());
  EXPECT_NEAR(BootTimeFromClocks(), *btime, 2.0);
}

TEST(BootTimeTest, ParsesBtime) {
  EXPECT_EQ(ParseBootTime(Fixture("proc_stat")), 1700000000);
  EXPECT_EQ(ParseBootTime("cpu 1 2 3\n"), std::nullopt);
  EXPECT_EQ(ParseBootTime("btime abc\n"), std::nullopt);
  EXPECT_EQ(ParseBootTime(""), std::nullopt);
}

TEST(MaxFdsTest, ParsesSoftLimit) {
  EXPECT_EQ(ParseMaxFds(Fixture("limits_real")), 20000);
  EXPECT_EQ(ParseMaxFds(Fixture("limits_unlimited")), -1);
  EXPECT_EQ(ParseMaxFds("Max open files  1024  4096  files\n"), 1024);
  EXPECT_EQ(ParseMaxFds("Max processes 10 10 processes\n"), std::nullopt);
  EXPECT_EQ(ParseMaxFds("Max open files\n"), std::nullopt);
  EXPECT_EQ(ParseMaxFds(""), std::nullopt);
}

TEST(ReadProcessStatsTest, ReadsThisProcess) {
  const ProcessStats before = ReadProcessStats();
  EXPECT_GT(before.resident_memory_bytes, 0);
  EXPECT_GT(before.virtual_memory_bytes, before.resident_memory_bytes);
  EXPECT_GT(before.start_time_seconds, 1e9);
  EXPECT_NE(before.max_fds, 0);
  EXPECT_GE(before.open_fds, 3);
  // One more open descriptor is counted exactly once.
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(ReadProcessStats().open_fds, before.open_fds + 1);
  close(fd);
  EXPECT_EQ(ReadProcessStats().open_fds, before.open_fds);
}

}  // namespace
}  // namespace observd
