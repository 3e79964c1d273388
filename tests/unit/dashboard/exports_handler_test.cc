// Tests of dashboard/exports_handler.cc: the CSV exports (each chart's series and the
// uploads table) answer 400 for an unknown series, take the application's series of the
// live window, and each download has a file name of its own.
#include <gtest/gtest.h>

#include <string>

#include "dashboard/handlers.h"
#include "support/dashboard_handlers_fixture.h"

namespace observd {
namespace {

std::string Disposition(const Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Content-Disposition") return value;
  }
  return "";
}

TEST_F(HandlersTest, AnUnknownSeriesIs400) {
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=nope")).status, 400);
  EXPECT_EQ(handlers_.HistoryCsv(Get()).status, 400);
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=")).status, 400);
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=uploads_table")).status, 400)
      << "a file name key, not a series";
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=%ZZ")).status, 400);
  EXPECT_TRUE(series_.asked.empty()) << "nothing counted for a refused request";
}

// Two different exports once both downloaded as observd-uploads.csv.
TEST_F(HandlersTest, EveryCsvExportHasItsOwnFileName) {
  std::set<std::string> names;
  std::vector<Response> all;
  for (const char* q : {"series=latency", "series=requests", "series=uploads", "series=runs"}) {
    all.push_back(handlers_.HistoryCsv(Get(q)));
  }
  all.push_back(handlers_.UploadsCsv(Get()));
  all.push_back(handlers_.UploadsCsv(Get("status=failed")));
  for (const Response& r : all) {
    ASSERT_EQ(r.status, 200);
    std::string d = Disposition(r);
    EXPECT_EQ(d.rfind("attachment; filename=\"observd-", 0), 0u) << d;
    EXPECT_NE(d.find("-20251128T18"), std::string::npos) << "names its time: " << d;
    EXPECT_EQ(d.substr(d.size() - 6), "Z.csv\"") << d;
    names.insert(d);
  }
  EXPECT_EQ(names.size(), all.size()) << "a file name shared by two exports";
  EXPECT_NE(Disposition(all[2]).find("uploads-per-minute"), std::string::npos);
  EXPECT_NE(Disposition(all[4]).find("recent-uploads"), std::string::npos);
  EXPECT_NE(Disposition(all[5]).find("recent-uploads-failed"), std::string::npos);
}

TEST_F(HandlersTest, CsvTakesTheAppSeriesOfTheLiveWindow) {
  const BucketRange live = LiveMinutes(1764355200.0);
  Response csv = handlers_.HistoryCsv(Get("series=uploads"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\r')), "time,uploads_per_minute");
  EXPECT_NE(csv.body.find(",1\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(handlers_.HistoryCsv(Get("series=runs")).body.find(",failed,2\r\n"), std::string::npos);
  ASSERT_EQ(series_.asked.size(), 2u);
  EXPECT_EQ(series_.asked[0], live);
  EXPECT_EQ(series_.asked[1], live);
}

TEST_F(HandlersTest, TheUploadsExportRefusesABadFilter) {
  EXPECT_EQ(handlers_.UploadsCsv(Get("status=evil")).status, 400);
  Response r = handlers_.UploadsCsv(Get("limit=5"));
  EXPECT_EQ(r.status, 200) << "the limit is ignored, not refused: the export is whole";
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
}

// The page's CSV links carry the window on screen; the export is that window's data.
TEST_F(HandlersTest, CsvExportsTheWindowOnScreenAtItsBucketWidth) {
  const double now = 1764355200.0;
  const std::string week = "from=" + std::to_string(static_cast<int64_t>(now) - 7 * 86400) +
                           "&to=" + std::to_string(static_cast<int64_t>(now));
  Response uploads = handlers_.HistoryCsv(Get(("series=uploads&" + week).c_str()));
  ASSERT_EQ(uploads.status, 200) << uploads.body;
  ASSERT_EQ(series_.asked.size(), 1u);
  EXPECT_EQ(series_.asked[0].step, 600);  // 7 days at <= 1,500 buckets
  EXPECT_EQ(series_.asked[0].count(), 1009);
  EXPECT_EQ(uploads.body.substr(0, uploads.body.find('\r')), "time,uploads_per_10_minutes");
  EXPECT_NE(Disposition(uploads).find("observd-uploads-per-10-minutes-20251121T1840Z-"),
            std::string::npos)
      << Disposition(uploads);
  Response latency = handlers_.HistoryCsv(Get(("series=latency&" + week).c_str()));
  ASSERT_EQ(latency.status, 200);
  EXPECT_EQ(latency.body.substr(0, latency.body.find('\r')),
            "time,pings,failed,min_ms,mean_ms,max_ms,p99_ms");
  EXPECT_NE(Disposition(latency).find("redis-latency-per-10-minutes"), std::string::npos);
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=latency&from=10&to=5")).status, 400);
  Response events = handlers_.AnnotationsCsv(Get(week.c_str()));
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(events.body, "start,end,kind,text\r\n");
  EXPECT_NE(Disposition(events).find("observd-events-20251121T1840Z-20251128T1840Z.csv"),
            std::string::npos)
      << Disposition(events);
  EXPECT_EQ(handlers_.AnnotationsCsv(Get("from=soon")).status, 400);
}

}  // namespace
}  // namespace observd
