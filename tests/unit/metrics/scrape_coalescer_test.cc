// Tests of metrics/scrape_coalescer.h: sequential scrapes are fresh, concurrent
// scrapes share renders that started after them.
#include "metrics/scrape_coalescer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
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

TEST(ScrapeCoalescer, AFailedRenderFailsEveryRequestThatSharedIt) {
  std::atomic<bool> fail{true};
  std::atomic<int> entered{0};
  ScrapeCoalescer c([&](std::string* out) {
    ++entered;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (fail) throw std::runtime_error("registry broke");
    *out = "ok";
  });
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      try {
        c.Get(false);
      } catch (const std::runtime_error&) {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 8) << "a request got text although its render failed";
  fail = false;
  EXPECT_EQ(*c.Get(true).text, "ok");  // the next request renders again
  EXPECT_EQ(c.renders(), static_cast<uint64_t>(entered.load()));
}

}  // namespace
}  // namespace observd
