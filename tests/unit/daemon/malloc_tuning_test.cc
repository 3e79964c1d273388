// Tests of the GLIBC_TUNABLES rule in daemon/malloc_tuning.h. That a running observd has
// the thread cache off is checked on a real process in tests/integration/test_faults.py.
#include "daemon/malloc_tuning.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(MallocTuning, TurnsTheThreadCacheOffWhenNothingIsSet) {
  EXPECT_EQ(TunablesWithoutThreadCache(nullptr), "glibc.malloc.tcache_count=0");
  EXPECT_EQ(TunablesWithoutThreadCache(""), "glibc.malloc.tcache_count=0");
}

TEST(MallocTuning, KeepsTheOperatorsOtherTunables) {
  EXPECT_EQ(TunablesWithoutThreadCache("glibc.malloc.arena_max=4"),
            "glibc.malloc.arena_max=4:glibc.malloc.tcache_count=0");
  EXPECT_EQ(TunablesWithoutThreadCache("glibc.malloc.tcache_count_x=1"),
            "glibc.malloc.tcache_count_x=1:glibc.malloc.tcache_count=0");
}

// Already named (by the operator, or by this process before its re-exec): left alone,
// which is also what ends the re-exec after one round.
TEST(MallocTuning, AnExplicitThreadCacheSettingWins) {
  EXPECT_EQ(TunablesWithoutThreadCache("glibc.malloc.tcache_count=7"), std::nullopt);
  EXPECT_EQ(TunablesWithoutThreadCache("a.b=1:glibc.malloc.tcache_count=3:c.d=2"), std::nullopt);
  EXPECT_EQ(TunablesWithoutThreadCache("glibc.malloc.arena_max=4:glibc.malloc.tcache_count=0"),
            std::nullopt);
}

}  // namespace
}  // namespace observd
