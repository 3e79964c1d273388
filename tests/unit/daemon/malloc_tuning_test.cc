// Tests of daemon/malloc_tuning.h: reading glibc.malloc.tcache_count out of
// GLIBC_TUNABLES as glibc does (last item wins), the start-up note built from it, and
// the mallopt settings. That observd.service's environment reaches a running observd
// unchanged (no re-exec) is checked on a real process in tests/integration/test_config.py.
#include "daemon/malloc_tuning.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(ThreadCacheTunable, AbsentWhenUnsetOrNotNamed) {
  EXPECT_EQ(ThreadCacheTunable(nullptr), std::nullopt);
  EXPECT_EQ(ThreadCacheTunable(""), std::nullopt);
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.arena_max=4"), std::nullopt);
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count_x=1"), std::nullopt);
  EXPECT_EQ(ThreadCacheTunable("xglibc.malloc.tcache_count=1"), std::nullopt);
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count"), std::nullopt);  // no '='
}

TEST(ThreadCacheTunable, FindsTheItemAnywhereInTheList) {
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count=0"), "0");
  EXPECT_EQ(ThreadCacheTunable("a.b=1:glibc.malloc.tcache_count=3:c.d=2"), "3");
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.arena_max=4:glibc.malloc.tcache_count=0"), "0");
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count="), "");
}

// glibc applies the items in order (`ld.so --list-tunables` shows 0x7 for "=0:=7").
TEST(ThreadCacheTunable, TheLastItemWins) {
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count=0:glibc.malloc.tcache_count=7"), "7");
  EXPECT_EQ(ThreadCacheTunable("glibc.malloc.tcache_count=7:x=1:glibc.malloc.tcache_count=0"), "0");
}

TEST(ThreadCacheNote, SaysOffOnlyForZero) {
  EXPECT_EQ(ThreadCacheNote("glibc.malloc.tcache_count=0"),
            "malloc: glibc's per-thread cache is off (glibc.malloc.tcache_count=0)");
  EXPECT_EQ(ThreadCacheNote("a.b=1:glibc.malloc.tcache_count=0"),
            "malloc: glibc's per-thread cache is off (glibc.malloc.tcache_count=0)");
}

TEST(ThreadCacheNote, SaysOnAndHowToTurnItOff) {
  const std::string unset = ThreadCacheNote(nullptr);
  EXPECT_EQ(unset.rfind("malloc: glibc's per-thread cache is on (glibc's default); ", 0), 0u)
      << unset;
  EXPECT_NE(unset.find("GLIBC_TUNABLES=glibc.malloc.tcache_count=0"), std::string::npos) << unset;
  const std::string seven = ThreadCacheNote("glibc.malloc.tcache_count=7");
  EXPECT_EQ(
      seven.rfind("malloc: glibc's per-thread cache is on (glibc.malloc.tcache_count=7); ", 0), 0u)
      << seven;
}

TEST(BoundMallocArenas, GlibcAcceptsEverySetting) {
  const Result<> r = BoundMallocArenas();
  EXPECT_TRUE(r.ok()) << r.error();
  const Result<> again = BoundMallocArenas();  // idempotent
  EXPECT_TRUE(again.ok()) << again.error();
}

}  // namespace
}  // namespace observd
