// Tests of config/config_validate.h: FindConfigProblem names the field a problem is
// about and, for cross-field rules, the other field (config_test.cc checks the
// messages through the YAML loader); limits are tested on both sides of the boundary.
#include "config/config_validate.h"

#include <gtest/gtest.h>

#include <string>

namespace observd {
namespace {

// The problem of `c` as "field|other_field", or "none".
std::string ProblemOf(const Config& c) {
  const std::optional<ConfigProblem> p = FindConfigProblem(c);
  if (!p) return "none";
  std::string out = p->field;
  out.append(1, '|').append(p->other_field);
  return out;
}

TEST(ConfigValidateTest, TheDefaultsHaveNoProblem) {
  EXPECT_EQ(ProblemOf(Config{}), "none");
  EXPECT_TRUE(ValidateConfig(Config{}).ok());
}

TEST(ConfigValidateTest, CrossFieldRulesNameBothFields) {
  Config c;
  c.web.max_sse_streams = 100;
  c.web.num_threads = 107;  // one short of max_sse_streams + 8
  EXPECT_EQ(ProblemOf(c), "web.num_threads|web.max_sse_streams");
  c.web.num_threads = 108;
  EXPECT_EQ(ProblemOf(c), "none");

  c = Config{};
  c.cache.stale_after = c.cache.ttl - Millis(1);
  EXPECT_EQ(ProblemOf(c), "cache.stale_after|cache.ttl");
  c.cache.stale_after = c.cache.ttl;
  EXPECT_EQ(ProblemOf(c), "none");

  c = Config{};
  c.sampler.history = c.sampler.interval - Millis(1);
  EXPECT_EQ(ProblemOf(c), "sampler.history|sampler.interval");

  c = Config{};
  c.redis.read_replica = "redis://replica:6379/1";  // redis.addr names database 0
  EXPECT_EQ(ProblemOf(c), "redis.read_replica|redis.addr");
  c.redis.read_replica = "redis://replica:6379/0";
  EXPECT_EQ(ProblemOf(c), "none");

  c = Config{};
  c.redis.addr = "redis://alice@host:6379/0";
  c.redis.username = "bob";
  EXPECT_EQ(ProblemOf(c), "redis.username|redis.addr");
  c.redis.username = "alice";
  EXPECT_EQ(ProblemOf(c), "none") << "the same user twice is no conflict";
}

TEST(ConfigValidateTest, LimitsOnBothSides) {
  Config c;
  c.cache.ttl = Millis(999);
  EXPECT_EQ(ProblemOf(c), "cache.ttl|");
  c.cache.ttl = Millis(1000);
  EXPECT_EQ(ProblemOf(c), "none");
  c.redis.backoff_max = Millis(99);
  EXPECT_EQ(ProblemOf(c), "redis.backoff_max|");
  c.redis.backoff_max = Millis(100);
  EXPECT_EQ(ProblemOf(c), "none");
}

TEST(ConfigValidateTest, TheCacheKeyMayNotBeAnApplicationKey) {
  for (const char* key :
       {"uploads:timeline", "users:active", "upload:abc", "upload:", "workflows:runs:failed"}) {
    Config c;
    c.cache.key = key;
    EXPECT_EQ(ProblemOf(c), "cache.key|") << key;
  }
  Config c;
  c.cache.key = "uploads:timeline:snapshot";  // shares a prefix with a key, is not one
  EXPECT_EQ(ProblemOf(c), "none");
}

TEST(ConfigValidateTest, AddressesAndSentinelAuth) {
  Config c;
  c.web.metrics_listen_address = c.web.listen_address;
  EXPECT_EQ(ProblemOf(c), "web.metrics_listen_address|");
  c.web.metrics_listen_address = "not an address";
  EXPECT_EQ(ProblemOf(c), "web.metrics_listen_address|");
  c = Config{};
  c.redis.addr = "";
  EXPECT_EQ(ProblemOf(c), "redis.addr|");
  c = Config{};
  c.redis.sentinel_username = "watcher";
  EXPECT_EQ(ProblemOf(c), "redis.sentinel_username|") << "without its password file";
  c.redis.sentinel_password_file = "/etc/observd/sentinel.pass";
  EXPECT_EQ(ProblemOf(c), "none");
  c.redis.sentinel_username = "a:b";
  EXPECT_EQ(ProblemOf(c), "redis.sentinel_username|");
  c = Config{};
  c.redis.read_replica = "redis://u@replica:6379/0";
  EXPECT_EQ(ProblemOf(c), "redis.read_replica|") << "a replica has no user of its own";
}

TEST(ConfigValidateTest, StatusesAndLog) {
  Config c;
  c.keys.workflow_statuses = {"ok", "ok"};
  EXPECT_EQ(ProblemOf(c), "keys.workflow_statuses|");
  c.keys.workflow_statuses = {"ok", ""};
  EXPECT_EQ(ProblemOf(c), "keys.workflow_statuses|");
  c = Config{};
  c.log.level = "INFO";  // case matters
  EXPECT_EQ(ProblemOf(c), "log.level|");
  c = Config{};
  c.log.format = "text";
  EXPECT_EQ(ProblemOf(c), "log.format|");
}

QueryConfig Query(std::string name) {
  QueryConfig q;
  q.name = std::move(name);
  q.key = std::string("k");  // from a char*: GCC 12 -O3 warns falsely (-Wrestrict)
  return q;
}

TEST(ConfigValidateTest, QueriesAreNamedByTheirIndex) {
  Config c;
  c.queries = {Query("app_queue"), Query("observd_up")};
  EXPECT_EQ(ProblemOf(c), "queries[1].name|") << "reserved";
  c.queries = {Query("app_queue"), Query("app_queue")};
  EXPECT_EQ(ProblemOf(c), "queries[1].name|") << "duplicate";
  c.queries = {Query("1app")};
  EXPECT_EQ(ProblemOf(c), "queries[0].name|queries[0]");
  c.queries = {Query("observd_app_queue")};
  EXPECT_EQ(ProblemOf(c), "none") << "application gauges may use observd_app_";
  c.queries[0].key = "";
  EXPECT_EQ(ProblemOf(c), "queries[0].key|queries[0]");
  c.queries[0].key = "k";
  c.queries[0].help = "two\nlines";
  EXPECT_EQ(ProblemOf(c), "queries[0].help|");
  c.queries[0].help = "";
  c.queries[0].labels = {{"__reserved", "x"}};
  EXPECT_EQ(ProblemOf(c), "queries[0].labels.__reserved|queries[0].labels");
  c.queries[0].labels = {};
  c.queries[0].window = Millis(60000);  // zcard takes no window
  EXPECT_EQ(ProblemOf(c), "queries[0].window|queries[0]");
  c.queries[0].kind = QueryConfig::Kind::kZcount;
  EXPECT_EQ(ProblemOf(c), "none");
  c.queries[0].window = Millis(0);
  EXPECT_EQ(ProblemOf(c), "queries[0].window|queries[0]") << "zcount needs one";
}

TEST(ConfigValidateTest, TheFirstProblemInSectionOrderIsReported) {
  Config c;
  c.cache.ttl = Millis(1);
  c.queries = {Query("observd_up")};
  EXPECT_EQ(ProblemOf(c), "cache.ttl|");
  c.log.level = "loud";  // a rule of the settings table: checked before any section
  EXPECT_EQ(ProblemOf(c), "log.level|");
  c.web.num_threads = 1;  // ... in the table's order
  EXPECT_EQ(ProblemOf(c), "web.num_threads|");
}

TEST(ConfigValidateTest, MetricAndLabelNameForms) {
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidMetricName("_"));
  EXPECT_TRUE(IsValidMetricName(":"));
  EXPECT_TRUE(IsValidMetricName("a1:b_2"));
  EXPECT_FALSE(IsValidMetricName("9a"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName("a b"));
  EXPECT_FALSE(IsValidMetricName(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidMetricName("caf\xc3\xa9"));
  EXPECT_TRUE(IsValidMetricName(std::string(10000, 'a')));
  EXPECT_FALSE(IsValidLabelName("a:b")) << "colons are for metric names only";
  EXPECT_FALSE(IsValidLabelName("__name"));
  EXPECT_TRUE(IsValidLabelName("_name"));
  EXPECT_FALSE(IsValidLabelName(""));
}

}  // namespace
}  // namespace observd
