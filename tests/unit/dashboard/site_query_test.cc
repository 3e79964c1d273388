// The live site's data helpers: uploads filter/search/sort, CSV export, chart annotations.
#include <gtest/gtest.h>

#include "http/render_cache.h"
#include "http/site_query.h"
#include "render/csv.h"
#include "render/uploads_query.h"
#include "snapshot/annotations.h"

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
  std::string error;
  auto out = UploadsQuery::From(status, q, sort, limit, &error);
  EXPECT_TRUE(out) << error;
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
  std::string error;
  EXPECT_FALSE(UploadsQuery::From("deleted", std::nullopt, std::nullopt, 10, &error));
  EXPECT_NE(error.find("status"), std::string::npos);
  EXPECT_FALSE(UploadsQuery::From(std::nullopt, std::nullopt, "size;drop", 10, &error));
  EXPECT_FALSE(UploadsQuery::From(std::nullopt, std::string(101, 'x'), std::nullopt, 10, &error));
}

TEST(Csv, QuotesAndDefusesFormulas) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("-1"), "\"'-1\"");
  auto v = Sample();
  std::vector<const Upload*> rows = {&v[2]};
  EXPECT_EQ(UploadsCsv(rows),
            "id,filename,user,size_bytes,content_type,status,created_at\r\n"
            "c,annual report.docx,carol,,x,processing,1970-01-01T00:02:30Z\r\n");
}

TEST(Csv, SeriesLeavesUnknownEmpty) {
  EXPECT_EQ(SeriesCsv("ms", {{60, 0.25}, {61, std::nullopt}}),
            "time,ms\r\n1970-01-01T00:01:00Z,0.25\r\n1970-01-01T00:01:01Z,\r\n");
}

TEST(Csv, LabelledSeries) {
  EXPECT_EQ(
      LabelledSeriesCsv("status", "runs", {{"failed", {{0, 1.0}}}, {"ok", {{0, std::nullopt}}}}),
      "time,status,runs\r\n1970-01-01T00:00:00Z,failed,1\r\n1970-01-01T00:00:00Z,ok,\r\n");
}

TEST(SiteQuery, EventTopicsDefaultToAllAndRefuseUnknownNames) {
  std::string error;
  auto all = ParseEventTopics(nullptr, &error);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->stats && all->uploads && all->metrics && all->history);
  auto some = ParseEventTopics("topics=uploads&uploads_limit=25&status=failed", &error);
  ASSERT_TRUE(some) << error;
  EXPECT_TRUE(some->uploads);
  EXPECT_FALSE(some->stats || some->metrics || some->history);
  EXPECT_EQ(some->uploads_query.limit, 25);
  EXPECT_EQ(some->uploads_query.status, "failed");
  EXPECT_FALSE(ParseEventTopics("topics=stats,secrets", &error));
  EXPECT_FALSE(ParseEventTopics("uploads_limit=0", &error));
  EXPECT_FALSE(ParseEventTopics("topics=%zz", &error));
}

TEST(RenderCache, ViewerNamedSlotsStayBounded) {
  RenderCache cache;
  int renders = 0;
  auto render = [&] {
    ++renders;
    return std::string("x");
  };
  cache.Get("stats", "k1", render);
  cache.Get("stats", "k1", render);
  EXPECT_EQ(renders, 1) << "same slot and key: rendered once";
  for (size_t i = 0; i < 10 * RenderCache::kMaxSlots; ++i) {
    cache.Get("uploads:q=" + std::to_string(i), "k1", render);
  }
  cache.Get("stats", "k1", render);
  EXPECT_EQ(renders, static_cast<int>(10 * RenderCache::kMaxSlots) + 2)
      << "the stats slot was dropped along the way: the cache did not grow without bound";
}

TEST(SiteQuery, UploadsAndSince) {
  std::string error;
  auto q = ParseUploadsQuery("limit=5&q=a%20b&sort=-size", "limit", &error);
  ASSERT_TRUE(q) << error;
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(q->search, "a b");
  EXPECT_EQ(q->sort, "-size");
  EXPECT_FALSE(ParseUploadsQuery("limit=101", "limit", &error));
  std::optional<double> since;
  EXPECT_TRUE(ParseSince(nullptr, &since));
  EXPECT_FALSE(since);
  EXPECT_TRUE(ParseSince("since=1764355200.5", &since));
  EXPECT_EQ(since, 1764355200.5);
  EXPECT_FALSE(ParseSince("since=soon", &since));
  EXPECT_FALSE(ParseSince("since=nan", &since));
}

TEST(Annotations, OutageIsABandFromFirstFailureToRecovery) {
  Annotations a;
  a.Mark(100, "restart", "observd started");
  a.RedisState(101, true);  // first reading up: nothing to record
  a.RedisState(110, false);
  a.RedisState(111, false);  // still down: no new band
  auto open = a.Since(0);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[1].kind, "redis_down");
  EXPECT_FALSE(open[1].end);
  a.RedisState(130, true);
  auto closed = a.Since(0);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[1].end, 130.0);
  EXPECT_EQ(a.Since(120).size(), 1u) << "the restart mark is older than 120";
}

TEST(Annotations, BoundedAndAnOpenOutageIsKept) {
  Annotations a;
  a.RedisState(0, false);  // never recovers
  for (int i = 1; i <= 200; ++i) a.Mark(i * 60.0, "reload", "reload");
  auto all = a.Since(0);
  EXPECT_LE(all.size(), Annotations::kMax);
  EXPECT_EQ(all.front().kind, "redis_down");
  EXPECT_EQ(all.back().t, 200 * 60.0);
}

}  // namespace
}  // namespace observd
