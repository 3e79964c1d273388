// Tests of util/field_list.h: the list, whitespace and token rules every parser of an
// HTTP list field (Accept, Accept-Encoding, Connection, If-None-Match) relies on.
#include "util/field_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace observd {
namespace {

std::vector<std::string> Elements(std::string_view field) {
  std::vector<std::string> out;
  AnyListElement(field, [&](std::string_view e) {
    out.emplace_back(e);
    return false;
  });
  return out;
}

TEST(FieldList, SplitsTrimsAndSkipsEmptyElements) {
  EXPECT_EQ(Elements("a, b ,\tc"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Elements(" , ,a,,"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Elements(""), (std::vector<std::string>{}));
  EXPECT_EQ(Elements("gzip;q=0.5 , br"), (std::vector<std::string>{"gzip;q=0.5", "br"}));
}

TEST(FieldList, EveryCommaElementKeepsElementsAsWritten) {
  std::vector<std::string> seen;
  EXPECT_TRUE(EveryCommaElement(" a,,b ", [&](std::string_view e) {
    seen.emplace_back(e);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{" a", "", "b "}));
  seen.clear();
  EXPECT_TRUE(EveryCommaElement("", [&](std::string_view e) {
    seen.emplace_back(e);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{""}));
  seen.clear();
  EXPECT_FALSE(EveryCommaElement("x,stop,y", [&](std::string_view e) {
    seen.emplace_back(e);
    return e != "stop";
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"x", "stop"}));
}

TEST(FieldList, StopsAtTheFirstMatch) {
  int seen = 0;
  EXPECT_TRUE(AnyListElement("close, keep-alive, upgrade", [&](std::string_view e) {
    ++seen;
    return EqualsIgnoreCase(e, "Keep-Alive");
  }));
  EXPECT_EQ(seen, 2);
  EXPECT_FALSE(AnyListElement("close", [](std::string_view e) { return e == "keep-alive"; }));
}

TEST(FieldList, TokensCompareWithoutCase) {
  EXPECT_TRUE(EqualsIgnoreCase("GZip", "gzip"));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzip2"));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzjp"));
  EXPECT_EQ(TrimOws(" \t x y \t"), "x y");
  EXPECT_EQ(TrimOws(" \t "), "");
}

}  // namespace
}  // namespace observd
