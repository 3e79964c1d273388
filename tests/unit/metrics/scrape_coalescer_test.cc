// Tests of metrics/scrape_coalescer.h: sequential scrapes are fresh, concurrent
// scrapes share renders that started after them.
#include "metrics/scrape_coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

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
