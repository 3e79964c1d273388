#include "util/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace observd {
namespace {

Result<int> Half(int n) {
  if (n % 2) return Fail("odd: " + std::to_string(n));
  return n / 2;
}

Result<> Even(int n) {
  if (n % 2) return Fail("odd");
  return Ok();
}

TEST(Result, HoldsTheValueOnSuccess) {
  Result<int> r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(r.value_or(-1), 4);
}

TEST(Result, HoldsTheMessageOnFailure) {
  Result<int> r = Half(7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "odd: 7");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(Result, VoidResultSaysOnlySuccessOrWhy) {
  EXPECT_TRUE(Even(2).ok());
  Result<> r = Even(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "odd");
}

TEST(Result, MovesOnlyValuesOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(Result, StringValueAndErrorDoNotMix) {
  Result<std::string> ok = std::string("value");
  Result<std::string> bad = Fail("value");
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(*ok, "value");
  EXPECT_EQ(bad.error(), "value");
}

}  // namespace
}  // namespace observd
