// Tests of http/query.h: percent-decoding and the limit parameter's accepted and
// refused forms.
#include "http/query.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(Query, LimitValidation) {
  EXPECT_EQ(ParseLimit(nullptr, "limit", 10, 100), 10);
  EXPECT_EQ(ParseLimit("", "limit", 10, 100), 10);
  EXPECT_EQ(ParseLimit("limit=25", "limit", 10, 100), 25);
  EXPECT_EQ(ParseLimit("x=1&limit=100", "limit", 10, 100), 100);
  for (const char* bad :
       {"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=", "limit=1e2", "limit=10&limit=20",
        "limit=%zz", "limit=99999999999999999999", "limit=5%00"}) {
    EXPECT_EQ(ParseLimit(bad, "limit", 10, 100), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseLimit("limit=%32%30", "limit", 10, 100), 20);
}

TEST(Query, UrlDecode) {
  EXPECT_EQ(UrlDecode("a%20b+c"), "a b c");
  EXPECT_EQ(UrlDecode("%2e%2E"), "..");
  EXPECT_EQ(UrlDecode("%"), std::nullopt);
  EXPECT_EQ(UrlDecode("%4"), std::nullopt);
  EXPECT_EQ(UrlDecode("%g0"), std::nullopt);
}

}  // namespace
}  // namespace observd
