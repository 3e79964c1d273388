// Tests of dashboard/handlers.h without a server: each panel of the panel table is
// answered by its row (template, 400 on a bad view, 503 without templates), the JSON's
// `since`, the application's series in the history and its CSV, the event stream's
// topics and readiness. Requests carry no connection, so
// only handlers that read no header are called.
#include "dashboard/handlers.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "dashboard/panels.h"
#include "dashboard/routes.h"
#include "snapshot/snapshot_cache.h"

namespace observd {
namespace {

class NoRedis : public SnapshotProvider {
  RefreshResult Refresh(double) override { throw std::runtime_error("no Redis in unit tests"); }
};

// An AppSeriesReader that hands out bucket i's index as its count (the last bucket
// unknown) and remembers the ranges it was asked for.
class FakeSeries : public AppSeriesReader {
 public:
  std::vector<BucketRange> asked;
  Result<AppSeriesView> Read(const BucketRange& r) override {
    asked.push_back(r);
    AppSeriesView v{r.first, r.step, {}, {}};
    for (int64_t i = 0; i < r.count(); ++i) v.uploads.push_back(i);
    v.uploads.back() = std::nullopt;
    v.runs["failed"] = std::vector<MaybeInt>(static_cast<size_t>(r.count()), 2);
    return v;
  }
};

class HandlersTest : public ::testing::Test {
 protected:
  HandlersTest()
      : cache_({}, std::make_unique<NoRedis>(), [] { return 1764355200.0; }, {}),
        board_(
            &cache_, [] { return 1764355200.0; }, "test", "test"),
        history_(16),
        site_(MakeSite(true)),
        handlers_({&board_, &history_, &metrics_, &site_, [this] { return attempted_; }, 1, nullptr,
                   /*recorder=*/nullptr, &series_}),
        table_(MakeRouteTable(&handlers_)),
        metrics_("test", "test", table_.Labels()) {
    cache_.Start();
  }
  ~HandlersTest() override { cache_.Stop(); }

  static std::shared_ptr<const Site> MakeSite(bool with_templates) {
    auto site = std::make_shared<Site>();
    site->files = StaticFiles::Empty();
    if (with_templates) {
      auto t = Templates::Load(OBSERVD_TEMPLATES, RequiredTemplates());
      EXPECT_TRUE(t) << t.error();
      if (t) site->templates = std::move(*t);
    }
    return site;
  }

  static Request Get(const char* query = nullptr) {
    Request r;
    r.method = "GET";
    r.query = query;
    return r;
  }

  SnapshotCache cache_;
  StatusBoard board_;
  History history_;
  SiteHolder site_;
  bool attempted_ = false;
  FakeSeries series_;
  DashboardHandlers handlers_;
  const RouteTable table_;
  Metrics metrics_;  // the handlers read it only once serving (the metrics panel)
};

// The data-partial="..." marker of a rendering (every partial's root carries one).
std::string Marker(std::string_view html) {
  const std::string_view key = "data-partial=\"";
  size_t at = html.find(key);
  if (at == std::string_view::npos) return "";
  at += key.size();
  return std::string(html.substr(at, html.find('"', at) - at));
}

TEST_F(HandlersTest, EveryPanelRendersItsOwnTemplate) {
  auto site = site_.Get();
  const std::function<std::string()> text = [] { return std::string("observd_up 1\n"); };
  for (const Panel& panel : Panels()) {
    size_t index = 0;
    const Route* route = table_.Find(std::string(panel.route), &index);
    ASSERT_TRUE(route) << panel.route;
    Response r = route->handle(Get());
    EXPECT_EQ(r.status, 200) << panel.name;
    // The panel's own template, rendered directly, names the partial the route must answer.
    const std::string own = Marker(site->templates->Render(
        std::string(panel.name),
        panel.data({board_.Read(), site->thresholds, UploadsQuery{}, text})));
    ASSERT_FALSE(own.empty()) << panel.name << ": its template carries no data-partial";
    EXPECT_EQ(Marker(r.bytes()), own) << panel.name << ": rendered with another template";
  }
  std::set<std::string> markers;
  for (const Panel& panel : Panels()) {
    markers.insert(Marker(handlers_.PanelHtml(panel, Get()).bytes()));
  }
  EXPECT_EQ(markers.size(), Panels().size()) << "two panels answer the same partial";
}

TEST_F(HandlersTest, WithoutTemplatesEveryPanelAnswers503) {
  site_.Set(MakeSite(false));
  for (const Panel& panel : Panels()) {
    EXPECT_EQ(handlers_.PanelHtml(panel, Get()).status, 503) << panel.name;
  }
}

TEST_F(HandlersTest, BadParametersAre400WithTheReason) {
  const Panel* uploads = FindPanelByTopic("uploads");
  ASSERT_TRUE(uploads);
  Response r = handlers_.PanelHtml(*uploads, Get("limit=0"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "limit must be an integer from 1 to 100\n");
  EXPECT_EQ(handlers_.PanelHtml(*uploads, Get("sort=evil")).status, 400);
  EXPECT_EQ(handlers_.HistoryJson(Get("since=soon")).status, 400);
  EXPECT_EQ(handlers_.HistoryJson(Get("since=1764355100")).status, 200);
  Response topics = handlers_.Events(Get("topics=stats,secrets"));
  EXPECT_EQ(topics.status, 400);
  EXPECT_NE(topics.body.find("stats, uploads, metrics, store, history"), std::string::npos);
  EXPECT_EQ(handlers_.HistoryCsv(Get("series=nope")).status, 400);
}

std::string Disposition(const Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Content-Disposition") return value;
  }
  return "";
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

TEST_F(HandlersTest, HistoryAndCsvTakeTheAppSeriesOfTheLiveWindow) {
  const BucketRange live = LiveMinutes(1764355200.0);
  Response r = handlers_.HistoryJson(Get());
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(series_.asked.size(), 1u);
  EXPECT_EQ(series_.asked[0], live);
  auto j = nlohmann::json::parse(r.bytes());
  EXPECT_EQ(j["uploads_per_minute"][1], nlohmann::json::array({live.first + 60, 1}));
  EXPECT_TRUE(j["uploads"][59][1].is_null()) << "unknown stays null";
  EXPECT_EQ(j["workflow_runs_per_minute"]["failed"].size(), 60u);
  EXPECT_EQ(j["runs"], j["workflow_runs_per_minute"]);
  Response csv = handlers_.HistoryCsv(Get("series=uploads"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\r')), "time,uploads_per_minute");
  EXPECT_NE(csv.body.find(",1\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(handlers_.HistoryCsv(Get("series=runs")).body.find(",failed,2\r\n"), std::string::npos);
  EXPECT_EQ(series_.asked.size(), 3u);
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

TEST_F(HandlersTest, ReadyOnlyOnceBoundAndFirstReadsAttempted) {
  EXPECT_EQ(handlers_.Healthy(Get()).status, 200);
  EXPECT_EQ(handlers_.Ready(Get()).status, 503);
  handlers_.SetReady(true);
  EXPECT_EQ(handlers_.Ready(Get()).status, 503);
  attempted_ = true;
  EXPECT_EQ(handlers_.Ready(Get()).status, 200);
}

}  // namespace
}  // namespace observd
