// Tests of model/refresh_outcome.h: the outcome labels of the refresh metrics.
#include "model/refresh_outcome.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

TEST(RefreshOutcome, NamesAreTheMetricLabels) {
  EXPECT_EQ(std::string(RefreshOutcomeName(RefreshOutcome::kComputed)), "computed");
  EXPECT_EQ(std::string(RefreshOutcomeName(RefreshOutcome::kShared)), "shared");
  EXPECT_EQ(std::string(RefreshOutcomeName(RefreshOutcome::kFailed)), "failed");
}

}  // namespace
}  // namespace observd
