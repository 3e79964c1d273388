// The System Pulse cards say what they count and never claim a number they do not have:
// the cache hit rate is unknown without a snapshot (the cache panel says the same), and
// the failed-runs card names its exact window. Uses the real templates.
#include <gtest/gtest.h>

#include "render/format.h"
#include "render/partials.h"
#include "render/templates.h"

namespace observd {
namespace {

std::unique_ptr<Templates> LoadTemplates() {
  auto t =
      Templates::Load(OBSERVD_TEMPLATES, {"stats", "recent_uploads", "metrics_text", "banner"});
  EXPECT_TRUE(t) << t.error();
  return t ? std::move(*t) : nullptr;
}

Status Base() {
  Status v;
  v.now = 1764355200;
  v.start_time = v.now - 100;
  v.redis.up = true;
  v.redis.latency_seconds = 0.0002;
  v.queries = std::make_shared<const std::vector<QueryConfig>>();
  return v;
}

std::string CardOf(const std::string& html, const std::string& label) {
  auto at = html.find("card-label\">" + label + "<");
  if (at == std::string::npos) return "";
  return html.substr(at, html.find("</li>", at) - at);
}

TEST(Cards, CacheHitRateIsUnknownWithoutASnapshotAndSaysWhy) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = Base();
  v.cache.hits = 2;  // joined a refresh that produced nothing
  v.cache.misses = 9;
  std::string card = CardOf(t->Render("stats", StatsData(v)), "Cache hit rate");
  ASSERT_FALSE(card.empty());
  EXPECT_NE(card.find(std::string("card-number\">") + kUnknown + "<"), std::string::npos) << card;
  EXPECT_EQ(card.find("card-unit"), std::string::npos) << card;
  EXPECT_NE(card.find("no snapshot computed yet"), std::string::npos) << card;
  EXPECT_EQ(card.find("18.2"), std::string::npos) << card;

  auto snap = std::make_shared<VersionedSnapshot>();
  snap->app.computed_at = v.now - 1;
  v.snapshot = snap;
  card = CardOf(t->Render("stats", StatsData(v)), "Cache hit rate");
  EXPECT_NE(card.find("18.2</span><span class=\"card-unit\">%"), std::string::npos) << card;
  EXPECT_NE(card.find("snapshot cache, since start"), std::string::npos) << card;
  v.cache = CacheStatus{};
  card = CardOf(t->Render("stats", StatsData(v)), "Cache hit rate");
  EXPECT_NE(card.find("no cache lookups yet"), std::string::npos) << card;
}

TEST(Cards, StatsJsonRatioIsNullWithoutASnapshot) {
  Status v = Base();
  v.cache.hits = 2;
  v.cache.misses = 9;
  EXPECT_NE(StatsJson(v).find("\"ratio\":null"), std::string::npos) << StatsJson(v);
}

TEST(Cards, FailedRunsNameTheirExactWindow) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = Base();
  auto snap = std::make_shared<VersionedSnapshot>();
  snap->app.computed_at = v.now - 3;  // 18:39:57 UTC
  snap->app.workflow_runs["failed"].last_1h = 37;
  v.snapshot = snap;
  std::string card = CardOf(t->Render("stats", StatsData(v)), "Failed runs");
  EXPECT_NE(card.find(">37<"), std::string::npos) << card;
  EXPECT_NE(card.find("in the 60 min to <time datetime=\"2025-11-28T18:39:57Z\" data-clock>"
                      "18:39:57 UTC</time>"),
            std::string::npos)
      << card;
  EXPECT_EQ(card.find("last hour"), std::string::npos) << "no vague window: " << card;

  v.snapshot = nullptr;
  card = CardOf(t->Render("stats", StatsData(v)), "Failed runs");
  EXPECT_NE(card.find("workflow runs, last 60 min"), std::string::npos) << card;
  EXPECT_EQ(card.find("<time"), std::string::npos) << card;
}

}  // namespace
}  // namespace observd
