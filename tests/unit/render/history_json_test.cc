// Tests of render/history_json.h: AddHistoryWindow lists every bucket of the window in
// the series that list every bucket (null where observd saw nothing, never 0), only
// observed ones in latency_buckets, rounds milliseconds, and filters points by `since`.
#include "render/history_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace observd {
namespace {

using nlohmann::json;

constexpr int64_t kT = 1764355200;  // a whole hour

MinuteRow Seen(int64_t t) {
  return MinuteRow{.t = t,
                   .samples = 60,
                   .failed = 2,
                   .min_ms = 0.12345,
                   .mean_ms = 1.0006,
                   .max_ms = 9.9994,
                   .p99_ms = std::nullopt,
                   .requests = 7,
                   .cache_hits = 3,
                   .cache_misses = std::nullopt};
}

HistoryWindow Window() {
  HistoryWindow w;
  w.window = *MakeWindow(kT, kT + 300, kT + 3600);  // five minutes, step 60
  w.buckets = {Seen(kT + 60), Seen(kT + 180)};
  w.latency = {{kT + 1.0, 2.0}, {kT + 2.0, std::nullopt}, {kT + 3.0, 0.0004}};
  w.store.kind = StoreState::Kind::kFailed;
  w.store.message = "disk full";
  w.store.retention_seconds = 86400;
  w.annotations = {{double(kT + 10), std::nullopt, "redis_down", "Redis unavailable"},
                   {double(kT + 20), double(kT + 30), "reload", "<b>x</b>"}};
  return w;
}

TEST(HistoryJsonTest, EveryBucketIsListedAndUnobservedOnesAreNullNotZero) {
  const HistoryWindow w = Window();
  ASSERT_EQ(w.window.first, kT);
  ASSERT_EQ(w.window.buckets(), 6);  // kT .. kT + 300 inclusive
  json j;
  AddHistoryWindow(w, std::nullopt, &j);
  ASSERT_EQ(j["requests"].size(), 6u);
  ASSERT_EQ(j["cache_buckets"].size(), 6u);
  EXPECT_EQ(j["requests"][0], json::array({kT, nullptr}));
  EXPECT_EQ(j["requests"][1], json::array({kT + 60, 7}));
  EXPECT_EQ(j["requests"][2], json::array({kT + 120, nullptr}));
  EXPECT_EQ(j["requests"][5], json::array({kT + 300, nullptr}));
  EXPECT_EQ(j["cache_buckets"][1], json::array({kT + 60, 3, nullptr}));
  EXPECT_EQ(j["cache_buckets"][2], json::array({kT + 120, nullptr, nullptr}));
  ASSERT_EQ(j["latency_buckets"].size(), 2u) << "only observed buckets";
  EXPECT_EQ(j["latency_buckets"][1][0], kT + 180);
}

TEST(HistoryJsonTest, MillisecondsAreRoundedToMicrosecondsAndUnknownIsNull) {
  json j;
  AddHistoryWindow(Window(), std::nullopt, &j);
  const json& b = j["latency_buckets"][0];
  EXPECT_EQ(b, json::array({kT + 60, 60, 2, 0.123, 1.001, 9.999, nullptr}));
  EXPECT_EQ(j["latency"]["points"],
            json::parse("[[1764355201.0, 2.0], [1764355202.0, null], [1764355203.0, 0.0]]"));
}

TEST(HistoryJsonTest, SinceKeepsOnlyStrictlyNewerPoints) {
  json j;
  AddHistoryWindow(Window(), kT + 2.0, &j);
  EXPECT_EQ(j["latency"]["points"], json::parse("[[1764355203.0, 0.0]]"));
  AddHistoryWindow(Window(), kT + 3.0, &j);
  EXPECT_EQ(j["latency"]["points"], json::array()) << "not [] of the earlier call";
  AddHistoryWindow(Window(), kT - 1e9, &j);
  EXPECT_EQ(j["latency"]["points"].size(), 3u);
}

TEST(HistoryJsonTest, WindowStoreAndAnnotationsAreCarriedAsTheyAre) {
  json j = {{"latency", {{"current", 5}}}, {"other", 1}};
  AddHistoryWindow(Window(), std::nullopt, &j);
  EXPECT_EQ(j["other"], 1) << "other members are left alone";
  EXPECT_EQ(j["latency"]["current"], 5) << "only latency.points is replaced";
  EXPECT_EQ(j["window"], json::parse(R"({"from": 1764355200.0, "to": 1764355500.0,
                                         "step": 60})"));
  EXPECT_TRUE(j["open_bucket"].is_null());
  EXPECT_TRUE(j["history_since"].is_null());
  EXPECT_EQ(j["store"], json::parse(R"({"state": "failed", "message": "disk full",
                                        "retention_seconds": 86400})"));
  ASSERT_EQ(j["annotations"].size(), 2u);
  EXPECT_TRUE(j["annotations"][0]["end"].is_null()) << "a band still going on";
  EXPECT_EQ(j["annotations"][1]["end"], kT + 30);
  EXPECT_EQ(j["annotations"][1]["text"], "<b>x</b>") << "JSON, not HTML: escaped by the page";
}

TEST(HistoryJsonTest, AnEmptyWindowGivesEmptyArraysNotNulls) {
  HistoryWindow w;  // no buckets at all (last < first)
  w.window.first = kT;
  w.window.last = kT - 60;
  json j;
  AddHistoryWindow(w, std::nullopt, &j);
  for (const char* key : {"latency_buckets", "requests", "cache_buckets", "annotations"}) {
    EXPECT_EQ(j[key], json::array()) << key;
  }
  EXPECT_EQ(j["latency"]["points"], json::array());
  EXPECT_EQ(j["store"]["state"], "memory");
}

TEST(HistoryJsonTest, RowsOutsideTheStepGridAreNotMisplaced) {
  HistoryWindow w = Window();
  w.buckets = {Seen(kT - 60), Seen(kT + 90), Seen(kT + 120), Seen(kT + 900)};
  w.window.first = kT;
  json j;
  AddHistoryWindow(w, std::nullopt, &j);
  ASSERT_EQ(j["latency_buckets"].size(), 1u) << "only the row on the grid, at kT + 120";
  EXPECT_EQ(j["latency_buckets"][0][0], kT + 120);
  EXPECT_EQ(j["requests"][2], json::array({kT + 120, 7}));
  EXPECT_EQ(j["requests"][1], json::array({kT + 60, nullptr}));
}

}  // namespace
}  // namespace observd
