// Tests of http/query.h: percent-decoding and the limit parameter's accepted and
// refused forms.
#include "http/query.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

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

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(Query, ParseQuerySplitsAndDecodesPairs) {
  EXPECT_EQ(ParseQuery(""), Pairs{});
  EXPECT_EQ(ParseQuery("a=1&b=x+y"), (Pairs{{"a", "1"}, {"b", "x y"}}));
  EXPECT_EQ(ParseQuery("a&b="), (Pairs{{"a", ""}, {"b", ""}}));
  EXPECT_EQ(ParseQuery("&&a=1&&"), (Pairs{{"a", "1"}})) << "empty items are skipped";
  EXPECT_EQ(ParseQuery("k=a=b"), (Pairs{{"k", "a=b"}})) << "only the first = splits";
  EXPECT_EQ(ParseQuery("%26=%3D"), (Pairs{{"&", "="}})) << "decoded after splitting";
  EXPECT_EQ(ParseQuery("a=1&a=2"), (Pairs{{"a", "1"}, {"a", "2"}})) << "repeats are kept";
}

TEST(Query, ParseQueryRefusesMalformedAndHugeQueries) {
  EXPECT_EQ(ParseQuery("a=1&b=%zz"), std::nullopt) << "one bad pair spoils the query";
  EXPECT_EQ(ParseQuery("%=1"), std::nullopt);
  EXPECT_NE(ParseQuery(std::string(4096, 'a')), std::nullopt);
  EXPECT_EQ(ParseQuery(std::string(4097, 'a')), std::nullopt);
}

}  // namespace
}  // namespace observd
