// The fixture of DashboardHandlers' tests (dashboard/*handler*_test.cc): the handlers
// over a StatusBoard whose cache has no Redis, an in-memory History, the templates of
// frontend/templates and a fake application series; requests without a connection (no
// header is ever present). Header-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dashboard/handlers.h"
#include "dashboard/panels.h"
#include "dashboard/routes.h"
#include "snapshot/snapshot_cache.h"

namespace observd {

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

}  // namespace observd
