// Tests of render/csv.h: quoting, formula defusing, series with unknown values.
#include "render/csv.h"

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

TEST(Csv, LatencyBucketsListEveryBucketAndLeaveTheUnobservedEmpty) {
  MinuteRow seen{.t = 1200,
                 .samples = 600,
                 .failed = 3,
                 .min_ms = 0.1,
                 .mean_ms = 0.25,
                 .max_ms = 4.5,
                 .p99_ms = 2.0};
  MinuteRow all_failed{.t = 1800, .samples = 600, .failed = 600};
  EXPECT_EQ(LatencyBucketsCsv({600, 1200, 1800}, {seen, all_failed}),
            "time,pings,failed,min_ms,mean_ms,max_ms,p99_ms\r\n"
            "1970-01-01T00:10:00Z,,,,,,\r\n"
            "1970-01-01T00:20:00Z,600,3,0.1,0.25,4.5,2\r\n"
            "1970-01-01T00:30:00Z,600,600,,,,\r\n");
}

TEST(Csv, AnnotationsHaveAnEndOnlyWhenTheyEndedAndTheirTextDefused) {
  std::vector<Annotation> notes = {{60, 180.0, "redis_down", "Redis unavailable"},
                                   {120, std::nullopt, "restart", "=HYPERLINK(\"x\")"}};
  EXPECT_EQ(AnnotationsCsv(notes),
            "start,end,kind,text\r\n"
            "1970-01-01T00:01:00Z,1970-01-01T00:03:00Z,redis_down,Redis unavailable\r\n"
            "1970-01-01T00:02:00Z,,restart,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
}

TEST(Csv, FileNamesSayWhatAndWhen) {
  // 2026-12-02T10:12:05Z
  const double t = 1796206325;
  EXPECT_EQ(CsvFileName("uploads-per-minute", t - 3600, t),
            "observd-uploads-per-minute-20261202T0912Z-20261202T1012Z.csv");
  EXPECT_EQ(CsvFileName("recent-uploads", std::nullopt, t),
            "observd-recent-uploads-20261202T1012Z.csv");
  EXPECT_EQ(CsvFileName("redis-latency", t - 3, t), "observd-redis-latency-20261202T1012Z.csv")
      << "one minute: one time";
  EXPECT_EQ(CsvFileName("runs", std::nullopt, -1), "observd-runs.csv") << "no time we could write";
}

}  // namespace
}  // namespace observd
