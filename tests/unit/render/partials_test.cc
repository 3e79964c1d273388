// Every template rendered with hostile data: nothing from Redis may become markup.
// Uses the real templates of frontend/templates. (The history JSON:
// partials_history_test.cc.)
#include "render/partials.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/format.h"
#include "render/templates.h"
#include "snapshot/app_snapshot.h"
#include "support/partials_fixture.h"

namespace observd {
namespace {

using partials_test::HostileView;

const char* const kHostile[] = {
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "\" onmouseover=\"alert(3)",
    "' autofocus onfocus='alert(4)",
    "</td></tr></table><iframe src=//evil>",
    "{{status_class}}",
    "\xFF\xFE binary \x01\x02",
};

std::unique_ptr<Templates> LoadTemplates() {
  auto t =
      Templates::Load(OBSERVD_TEMPLATES, {"stats", "recent_uploads", "metrics_text", "banner"});
  EXPECT_TRUE(t) << t.error();
  return t ? std::move(*t) : nullptr;
}

UploadsQuery Limit(int n) {
  UploadsQuery q;
  q.limit = n;
  return q;
}

void ExpectNoMarkupFrom(const std::string& html, const std::string& hostile) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos);
  EXPECT_EQ(html.find("onfocus='"), std::string::npos);
  if (hostile.find('<') != std::string::npos) {
    EXPECT_NE(html.find("&lt;"), std::string::npos);
  }
}

TEST(Render, UploadsTableEscapesEveryField) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  for (const char* h : kHostile) {
    std::string text = SanitizeText(h);
    std::string html = t->Render("recent_uploads", UploadsData(HostileView(text), Limit(10)));
    ExpectNoMarkupFrom(html, text);
    EXPECT_NE(html.find(kUnknown), std::string::npos) << "garbage size renders as a dash";
  }
}

TEST(Render, UnsanitizedInputIsStillEscaped) {
  // Even data that skipped SanitizeText (e.g. a 300 KB string) cannot inject markup.
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  std::string big(300 * 1024, 'A');
  big += "<script>alert(1)</script>";
  std::string html = t->Render("recent_uploads", UploadsData(HostileView(big), Limit(100)));
  ExpectNoMarkupFrom(html, big);
  std::string metrics = t->Render("metrics_text", MetricsTextData(HostileView(big), big));
  ExpectNoMarkupFrom(metrics, big);
}

TEST(Render, StatsShowsNumbersOrDashes) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = HostileView("x");
  v.start_time = v.now - 5400;
  v.requests_total = 1234;
  std::string html = t->Render("stats", StatsData(v));
  EXPECT_NE(html.find(">1 h 30 min<"), std::string::npos);  // uptime, as on the overview
  EXPECT_NE(html.find("1,234"), std::string::npos);
  EXPECT_NE(html.find("0.20</span><span class=\"card-unit\">ms"), std::string::npos);
  EXPECT_NE(html.find("75.0</span><span class=\"card-unit\">%"), std::string::npos);
  EXPECT_NE(html.find(">5 s<"), std::string::npos);  // data age
  EXPECT_NE(
      html.find("snapshot of <time datetime=\"2025-11-28T18:39:55Z\" data-clock>18:39:55 UTC"),
      std::string::npos);
  EXPECT_NE(html.find("data-now=\"1764355200\""), std::string::npos);
  EXPECT_NE(html.find("data-status=\"ok\""), std::string::npos);
  Status down;
  down.now = 100;
  std::string empty = t->Render("stats", StatsData(down));
  EXPECT_NE(empty.find(kUnknown), std::string::npos);
  EXPECT_NE(empty.find("data-status=\"down\""), std::string::npos);
  EXPECT_EQ(empty.find("card-unit"), std::string::npos) << "no unit next to an unknown value";
  EXPECT_NE(empty.find("no snapshot yet"), std::string::npos);
}

TEST(Render, StatsNameTheRedisEndpointOrShowItUnknown) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = HostileView("x");
  std::string none = t->Render("stats", StatsData(v));
  EXPECT_NE(none.find("PING to <span class=\"redis-endpoint\">\xE2\x80\x94</span>"),
            std::string::npos)
      << none;
  v.redis.endpoints = {{"sampler", "127.0.0.1:6390", "master"},
                       {"snapshot", "<b>replica-host</b>:6391", "replica"}};
  std::string html = t->Render("stats", StatsData(v));
  EXPECT_NE(html.find("<span class=\"redis-endpoint\">127.0.0.1:6390</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"redis-role\">master</span>"), std::string::npos);
  EXPECT_NE(StatsJson(v).find("{\"addr\":\"<b>replica-host</b>:6391\",\"client\":\"snapshot\","
                              "\"role\":\"replica\"}"),
            std::string::npos)
      << StatsJson(v);
}

TEST(Render, CardSeverityFollowsThresholds) {
  Status v = HostileView("x");
  auto sev = [](const kainjow::mustache::data& d, const char* k) {
    return d.get(k)->string_value();
  };
  EXPECT_EQ(sev(StatsData(v), "latency_severity"), "ok");  // 0.2 ms
  v.redis.latency_seconds = 0.006;
  EXPECT_EQ(sev(StatsData(v), "latency_severity"), "warn");
  v.redis.latency_seconds = 0.2;
  EXPECT_EQ(sev(StatsData(v), "latency_severity"), "bad");
  CardThresholds lenient = CardThresholdsOf(WebConfig{});
  EXPECT_EQ(lenient.latency_warn_ms, 5) << "the defaults are WebConfig's";
  lenient.latency_bad_ms = 500;
  EXPECT_EQ(sev(StatsData(v, lenient), "latency_severity"), "warn");
  v.redis.up = false;
  v.redis.latency_seconds.reset();
  EXPECT_EQ(sev(StatsData(v), "latency_severity"), "unknown");
  EXPECT_EQ(sev(StatsData(v), "snapshot_severity"), "warn");
  EXPECT_EQ(sev(StatsData(v), "failed_runs_severity"), "unknown");
  auto snap = std::make_shared<VersionedSnapshot>(*v.snapshot);
  snap->app.workflow_runs["failed"].last_1h = 3;
  v.snapshot = snap;
  EXPECT_EQ(sev(StatsData(v), "failed_runs_severity"), "warn");
  snap->app.workflow_runs["failed"].last_1h = 0;
  EXPECT_EQ(sev(StatsData(v), "failed_runs_severity"), "ok");
  v.snapshot = nullptr;
  EXPECT_EQ(sev(StatsData(v), "snapshot_severity"), "bad");
}

TEST(Render, UploadsRowCountAndFilter) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = HostileView("x");
  UploadsQuery q = Limit(2);
  std::string html = t->Render("recent_uploads", UploadsData(v, q));
  EXPECT_NE(html.find("Showing 2 of 3 matching uploads (3 in the snapshot)"), std::string::npos);
  q.status = "failed";
  std::string none = t->Render("recent_uploads", UploadsData(v, q));
  EXPECT_NE(none.find("No upload matches"), std::string::npos);
}

TEST(Render, EveryPartialIncludesTheOneBanner) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = HostileView("x");
  v.redis.up = false;
  v.redis.latency_seconds.reset();
  const std::string text = "Redis unavailable \xE2\x80\x94 data from 5 s ago";
  for (const auto& html :
       {t->Render("stats", StatsData(v)), t->Render("recent_uploads", UploadsData(v, Limit(10))),
        t->Render("metrics_text", MetricsTextData(v, "m 1"))}) {
    EXPECT_NE(html.find("<p class=\"banner banner-down\"><strong class=\"banner-title\">" + text),
              std::string::npos)
        << html;
  }
  v.redis.up = true;
  EXPECT_EQ(t->Render("stats", StatsData(v)).find("class=\"banner"), std::string::npos);
}

TEST(Render, IncludesComeFromTheLoadedSet) {
  auto t = Templates::FromText({{"stats", "[{{> banner}}]"}, {"banner", "<b>{{status_text}}</b>"}});
  ASSERT_TRUE(t) << t.error();
  kainjow::mustache::data d;
  d.set("status_text", "<x>");
  EXPECT_EQ((*t)->Render("stats", d), "[<b>&lt;x&gt;</b>]");
}

TEST(Render, StatusFollowsRedisAndAge) {
  Status v = HostileView("x");
  v.stale_after_seconds = 60;
  EXPECT_EQ(StatsData(v).get("status_class")->string_value(), "ok");
  v.now += 120;
  EXPECT_EQ(StatsData(v).get("status_class")->string_value(), "stale");
  EXPECT_EQ(StatsData(v).get("status_text")->string_value(),
            "Stale \xE2\x80\x94 data from 125 s ago");
  v.redis.up = false;
  v.redis.latency_seconds.reset();
  EXPECT_EQ(StatsData(v).get("status_class")->string_value(), "down");
}

TEST(Render, RedisBeforeTheFirstPingIsUnknownNotDown) {
  auto t = LoadTemplates();
  ASSERT_TRUE(t);
  Status v = HostileView("x");
  v.redis.sampled = false;
  v.redis.up = false;
  v.redis.latency_seconds.reset();
  EXPECT_EQ(t->Render("stats", StatsData(v)).find("banner-down"), std::string::npos);
  EXPECT_NE(StatsData(v).get("status_class")->string_value(), "down");
  auto j = nlohmann::json::parse(StatsJson(v));
  EXPECT_TRUE(j["redis"]["up"].is_null()) << j["redis"];
  v.redis.sampled = true;
  EXPECT_EQ(StatsData(v).get("status_class")->string_value(), "down");
  EXPECT_EQ(nlohmann::json::parse(StatsJson(v))["redis"]["up"], false);
}

TEST(Render, BrokenTemplateIsALoadError) {
  auto broken = Templates::FromText({{"stats", "{{#open}} never closed"}});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().find("stats.mustache"), std::string::npos);
  auto missing = Templates::Load(OBSERVD_TEMPLATES, {"stats", "no_such_panel"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no_such_panel.mustache"), std::string::npos);
}

}  // namespace
}  // namespace observd
