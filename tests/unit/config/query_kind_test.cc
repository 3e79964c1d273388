// Tests of config/query_kind.h: every enumerator has exactly one row, and the names,
// verbs and window rule the parser and the snapshot read.
#include "config/query_kind.h"

#include <gtest/gtest.h>

#include <set>

namespace observd {
namespace {

using Kind = QueryConfig::Kind;

// Every enumerator. Adding one without a case here fails the build (-Wswitch), and the
// test below then fails until the table has its row.
std::vector<Kind> EveryKind() {
  std::vector<Kind> all;
  for (int i = 0; i < 64; ++i) {
    const Kind k = static_cast<Kind>(i);
    switch (k) {
      case Kind::kZcard:
      case Kind::kZcount:
      case Kind::kScard:
      case Kind::kLlen:
      case Kind::kHlen:
      case Kind::kXlen:
      case Kind::kPfcount:
      case Kind::kGet:
        all.push_back(k);
    }
  }
  return all;
}

TEST(QueryKindTest, EveryKindHasOneRow) {
  const std::vector<Kind> all = EveryKind();
  EXPECT_EQ(QueryKinds().size(), all.size());
  std::set<std::string> names, verbs;
  for (Kind k : all) {
    const QueryKindInfo& row = QueryKindOf(k);
    EXPECT_EQ(row.kind, k);
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_TRUE(verbs.insert(row.verb).second) << row.verb;
    EXPECT_EQ(FindQueryKind(row.name), &row);
    EXPECT_STREQ(QueryKindVerb(k), row.verb);
  }
}

TEST(QueryKindTest, NamesVerbsAndWindows) {
  EXPECT_STREQ(QueryKindVerb(Kind::kLlen), "LLEN");
  EXPECT_STREQ(QueryKindVerb(Kind::kPfcount), "PFCOUNT");
  EXPECT_EQ(FindQueryKind("zcount")->kind, Kind::kZcount);
  EXPECT_TRUE(FindQueryKind("zcount")->windowed);
  EXPECT_FALSE(FindQueryKind("get")->windowed);
  EXPECT_EQ(FindQueryKind("keys"), nullptr);
  EXPECT_EQ(FindQueryKind("ZCARD"), nullptr);  // names are lower case, as in the config
  EXPECT_EQ(QueryKindNames(), "zcard, zcount, scard, llen, hlen, xlen, pfcount, get");
  EXPECT_EQ(WindowedQueryKindNames(), "zcount");
}

}  // namespace
}  // namespace observd
