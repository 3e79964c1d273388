#include "util/log_budget.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(LogBudget, AllowsPerSecondLinesThenCountsTheRest) {
  LogBudget budget(2);
  uint64_t suppressed = 99;
  EXPECT_TRUE(budget.Allow(10.0, &suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_TRUE(budget.Allow(10.1, &suppressed));
  EXPECT_FALSE(budget.Allow(10.2, &suppressed));
  EXPECT_FALSE(budget.Allow(10.9, &suppressed));
  // A new second: the next line carries the count of the two left out.
  EXPECT_TRUE(budget.Allow(11.0, &suppressed));
  EXPECT_EQ(suppressed, 2u);
  EXPECT_TRUE(budget.Allow(11.5, &suppressed));
  EXPECT_EQ(suppressed, 0u);
}

TEST(LogBudget, AClockThatGoesBackStartsANewWindow) {
  LogBudget budget(1);
  uint64_t suppressed = 0;
  EXPECT_TRUE(budget.Allow(100.0, &suppressed));
  EXPECT_FALSE(budget.Allow(100.5, &suppressed));
  EXPECT_TRUE(budget.Allow(50.0, &suppressed));
  EXPECT_EQ(suppressed, 1u);
}

}  // namespace
}  // namespace observd
