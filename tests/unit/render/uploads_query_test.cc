// Tests of render/uploads_query.h: the uploads table's filter, search, sort and limit.
#include "render/uploads_query.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

std::vector<Upload> Sample() {
  std::vector<Upload> v(4);
  v[0] = {"a", "Report-Q3.pdf", "alice", "application/pdf", "stored", 300, 100.0};
  v[1] = {"b", "photo.jpg", "bob", "image/jpeg", "failed", 10, 200.0};
  v[2] = {"c", "annual report.docx", "carol", "x", "processing", std::nullopt, 150.0};
  v[3] = {"d", "zz.bin", "dan", "x", "stored", 50, std::nullopt};
  return v;
}

std::vector<std::string> Ids(const UploadsResult& r) {
  std::vector<std::string> ids;
  for (const Upload* u : r.rows) ids.push_back(u->id);
  return ids;
}

UploadsQuery Query(std::optional<std::string> status, std::optional<std::string> q,
                   std::optional<std::string> sort, int limit = 10) {
  auto out = UploadsQuery::From(status, q, sort, limit);
  EXPECT_TRUE(out) << out.error();
  return out.value_or(UploadsQuery{});
}

TEST(UploadsQuery, DefaultsToNewestFirstWithUnknownTimesLast) {
  auto v = Sample();
  auto r = ApplyUploadsQuery(v, Query(std::nullopt, std::nullopt, std::nullopt));
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"b", "c", "a", "d"}));
  EXPECT_EQ(r.matching, 4u);
}

TEST(UploadsQuery, FiltersSearchesSortsAndLimits) {
  auto v = Sample();
  EXPECT_EQ(Ids(ApplyUploadsQuery(v, Query("stored", std::nullopt, "size"))),
            (std::vector<std::string>{"d", "a"}));
  EXPECT_EQ(Ids(ApplyUploadsQuery(v, Query("all", "REPORT", "name"))),
            (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(Ids(ApplyUploadsQuery(v, Query(std::nullopt, std::nullopt, "-size"))),
            (std::vector<std::string>{"a", "d", "b", "c"}));
  auto limited = ApplyUploadsQuery(v, Query(std::nullopt, std::nullopt, "time", 2));
  EXPECT_EQ(Ids(limited), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(limited.matching, 4u);
}

TEST(UploadsQuery, RefusesUnknownValues) {
  auto status = UploadsQuery::From("deleted", std::nullopt, std::nullopt, 10);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().find("status"), std::string::npos);
  EXPECT_FALSE(UploadsQuery::From(std::nullopt, std::nullopt, "size;drop", 10));
  EXPECT_FALSE(UploadsQuery::From(std::nullopt, std::string(101, 'x'), std::nullopt, 10));
}

}  // namespace
}  // namespace observd
