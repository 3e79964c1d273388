// Tests of config/settings.h: what derives from the table (lookup, the key tree, default
// text, parsing from text, the rules, comparing and copying one setting). The table's own
// consistency and the docs checked against it are settings_table_test.cc.
#include "config/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::ElementsAre;

TEST(SettingsTest, ChildrenFollowTheKeyTree) {
  EXPECT_THAT(SettingChildren(""),
              ElementsAre("web", "redis", "cache", "sampler", "history", "keys", "log"));
  EXPECT_THAT(SettingChildren("web.thresholds"), ElementsAre("redis_latency_ms", "failed_runs_1h"));
  EXPECT_THAT(SettingChildren("web.thresholds.failed_runs_1h"), ElementsAre("warn", "bad"));
  EXPECT_TRUE(SettingChildren("web.num_threads").empty());
  EXPECT_TRUE(SettingChildren("bogus").empty());
}

TEST(SettingsTest, DefaultsComeFromTheConfigStruct) {
  EXPECT_EQ(DefaultText(*FindSetting("web.listen_address")), "127.0.0.1:9469");
  EXPECT_EQ(DefaultText(*FindSetting("web.num_threads")), "256");
  EXPECT_EQ(DefaultText(*FindSetting("web.sse_max_duration")), "5m");
  EXPECT_EQ(DefaultText(*FindSetting("web.thresholds.redis_latency_ms.bad")), "50");
  EXPECT_EQ(DefaultText(*FindSetting("keys.workflow_statuses")), "[succeeded, failed, running]");
  EXPECT_EQ(DefaultText(*FindSetting("redis.password_file")), "");
}

TEST(SettingsTest, SetFromTextParsesEachType) {
  Config c;
  EXPECT_TRUE(SetSettingFromText(*FindSetting("web.root"), "/srv", &c).ok());
  EXPECT_EQ(c.web.root, "/srv");
  EXPECT_TRUE(SetSettingFromText(*FindSetting("web.num_threads"), "64", &c).ok());
  EXPECT_EQ(c.web.num_threads, 64);
  EXPECT_TRUE(SetSettingFromText(*FindSetting("cache.ttl"), "1m30s", &c).ok());
  EXPECT_EQ(c.cache.ttl, Millis(90000));
  EXPECT_TRUE(SetSettingFromText(*FindSetting("keys.workflow_statuses"), "a, b,,c", &c).ok());
  EXPECT_THAT(c.keys.workflow_statuses, ElementsAre("a", "b", "c"));
  EXPECT_EQ(SetSettingFromText(*FindSetting("web.num_threads"), "many", &c).error(),
            "expected an integer, got \"many\"");
  EXPECT_EQ(SetSettingFromText(*FindSetting("cache.ttl"), "soon", &c).error(),
            "expected a duration like 250ms, 30s, 5m or 1h30m, got \"soon\"");
  EXPECT_EQ(c.web.num_threads, 64);  // unchanged by the failure
}

TEST(SettingsTest, RulesOfTheTable) {
  Config c;
  for (const Setting& s : Settings()) EXPECT_TRUE(CheckSettingRule(s, c).ok()) << s.key;
  c.web.num_threads = 1;
  EXPECT_EQ(CheckSettingRule(*FindSetting("web.num_threads"), c).error(),
            "must be between 2 and 1024, got 1");
  c.redis.command_timeout = Millis(0);
  EXPECT_EQ(CheckSettingRule(*FindSetting("redis.command_timeout"), c).error(),
            "must be greater than 0");
  c.keys.active_users = "";
  EXPECT_EQ(CheckSettingRule(*FindSetting("keys.active_users"), c).error(), "must not be empty");
}

TEST(SettingsTest, DiffersAndCopy) {
  const Setting& addr = *FindSetting("redis.addr");
  const Setting& statuses = *FindSetting("keys.workflow_statuses");
  Config a, b;
  EXPECT_FALSE(SettingDiffers(addr, a, b));
  b.redis.addr = "redis://other:6379/0";
  b.keys.workflow_statuses = {"x"};
  EXPECT_TRUE(SettingDiffers(addr, a, b));
  EXPECT_TRUE(SettingDiffers(statuses, a, b));
  CopySetting(addr, b, &a);
  CopySetting(statuses, b, &a);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace observd
