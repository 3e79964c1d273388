// Tests of dashboard/render_cache.h.
#include "dashboard/render_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

TEST(RenderCache, ViewerNamedSlotsStayBounded) {
  RenderCache cache;
  int renders = 0;
  auto render = [&] {
    ++renders;
    return std::string("x");
  };
  cache.Get("stats", "k1", render);
  cache.Get("stats", "k1", render);
  EXPECT_EQ(renders, 1) << "same slot and key: rendered once";
  for (size_t i = 0; i < 10 * RenderCache::kMaxSlots; ++i) {
    cache.Get("uploads:q=" + std::to_string(i), "k1", render);
  }
  cache.Get("stats", "k1", render);
  EXPECT_EQ(renders, static_cast<int>(10 * RenderCache::kMaxSlots) + 2)
      << "the stats slot was dropped along the way: the cache did not grow without bound";
}

}  // namespace
}  // namespace observd
