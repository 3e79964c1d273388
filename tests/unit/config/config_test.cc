// Tests of config/config.h: defaults, the shipped example file, the accepted forms and
// the loader (every error path with its exact file:line:col: config_errors_test.cc; the
// grammars themselves: tests/unit/util/).
#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ConfigTest, EmptyAndCommentOnlyFilesGiveDefaults) {
  for (const char* text : {"", "# only a comment\n", "\n\n", "web:\nredis:\n", "---\n"}) {
    Result<Config> r = ParseConfig(text, "t.yml");
    ASSERT_TRUE(r.ok()) << r.error();
    Config expected;
    expected.source = "t.yml";
    EXPECT_EQ(*r, expected) << text;
  }
}

TEST(ConfigTest, DefaultsMatchTheSchema) {
  Config c;
  EXPECT_EQ(c.web.listen_address, "127.0.0.1:9469");
  EXPECT_EQ(c.web.num_threads, 256);
  EXPECT_EQ(c.web.request_timeout, Millis(5000));
  EXPECT_EQ(c.web.max_sse_streams, 32);
  EXPECT_EQ(c.redis.addr, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c.cache.effective_stale_after(), Millis(60000));
  EXPECT_TRUE(ValidateConfig(c).ok());
}

TEST(ConfigTest, ShippedExampleEqualsDefaults) {
  const std::string path = std::string(OBSERVD_SOURCE_DIR) + "/packaging/observd.yml";
  Result<Config> r = LoadConfigFile(path, false);
  ASSERT_TRUE(r.ok()) << r.error();
  Config expected;
  expected.source = path;
  EXPECT_EQ(*r, expected);
}

TEST(ConfigTest, ParsesEveryKey) {
  const char* text = R"(
web:
  listen_address: ":9100"
  config_file: /etc/observd/web.yml
  root: /srv/www
  templates: /srv/tpl
  num_threads: 20
  max_sse_streams: 4
  sse_interval: 2s
  sse_max_duration: 1m
  request_timeout: 3s
  thresholds:
    redis_latency_ms: {warn: 2, bad: 20}
    failed_runs_1h: {warn: 5, bad: 50}
redis:
  addr: unix:///run/redis/redis.sock?db=2
  password_file: /etc/observd/redis.pass
  connect_timeout: 100ms
  command_timeout: 1s
  backoff_max: 10s
cache: {key: k, ttl: 10s, stale_after: 1m, max_wait: 50ms}
sampler: {interval: 2s, history: 2h}
keys:
  uploads_timeline: a
  upload_hash_prefix: "b:"
  active_users: c
  workflow_runs_prefix: "d:"
  workflow_statuses: [ok, ko]
  recent_uploads: 5
log: {level: debug, format: json}
queries:
  - name: observd_app_queue_length
    help: Jobs waiting.
    kind: llen
    key: jobs:queue
    labels: {queue: uploads}
  - {name: recent, kind: zcount, key: uploads:timeline, window: 15m}
)";
  Result<Config> r = ParseConfig(text, "t.yml");
  ASSERT_TRUE(r.ok()) << r.error();
  const Config& c = *r;
  EXPECT_EQ(c.web.listen_address, ":9100");
  EXPECT_EQ(c.web.config_file, "/etc/observd/web.yml");
  EXPECT_EQ(c.web.root, "/srv/www");
  EXPECT_EQ(c.web.templates, "/srv/tpl");
  EXPECT_EQ(c.web.num_threads, 20);
  EXPECT_EQ(c.web.max_sse_streams, 4);
  EXPECT_EQ(c.web.sse_interval, Millis(2000));
  EXPECT_EQ(c.web.sse_max_duration, Millis(60000));
  EXPECT_EQ(c.web.request_timeout, Millis(3000));
  EXPECT_EQ(c.web.latency_warn_ms, 2);
  EXPECT_EQ(c.web.latency_bad_ms, 20);
  EXPECT_EQ(c.web.failed_runs_warn, 5);
  EXPECT_EQ(c.web.failed_runs_bad, 50);
  EXPECT_EQ(c.redis.addr, "unix:///run/redis/redis.sock?db=2");
  EXPECT_EQ(c.redis.password_file, "/etc/observd/redis.pass");
  EXPECT_EQ(c.redis.connect_timeout, Millis(100));
  EXPECT_EQ(c.redis.command_timeout, Millis(1000));
  EXPECT_EQ(c.redis.backoff_max, Millis(10000));
  EXPECT_EQ(c.cache.key, "k");
  EXPECT_EQ(c.cache.ttl, Millis(10000));
  EXPECT_EQ(c.cache.stale_after, Millis(60000));
  EXPECT_EQ(c.cache.max_wait, Millis(50));
  EXPECT_EQ(c.sampler.interval, Millis(2000));
  EXPECT_EQ(c.sampler.history, Millis(7200000));
  EXPECT_EQ(c.keys.uploads_timeline, "a");
  EXPECT_EQ(c.keys.upload_hash_prefix, "b:");
  EXPECT_EQ(c.keys.active_users, "c");
  EXPECT_EQ(c.keys.workflow_runs_prefix, "d:");
  EXPECT_EQ(c.keys.workflow_statuses, (std::vector<std::string>{"ok", "ko"}));
  EXPECT_EQ(c.keys.recent_uploads, 5);
  EXPECT_EQ(c.log.level, "debug");
  EXPECT_EQ(c.log.format, "json");
  ASSERT_EQ(c.queries.size(), 2u);
  EXPECT_EQ(c.queries[0].name, "observd_app_queue_length");
  EXPECT_EQ(c.queries[0].help, "Jobs waiting.");
  EXPECT_EQ(c.queries[0].kind, QueryConfig::Kind::kLlen);
  EXPECT_EQ(c.queries[0].key, "jobs:queue");
  EXPECT_EQ(c.queries[0].labels, (std::map<std::string, std::string>{{"queue", "uploads"}}));
  EXPECT_EQ(c.queries[1].kind, QueryConfig::Kind::kZcount);
  EXPECT_EQ(c.queries[1].window, Millis(900000));
}

TEST(ConfigTest, EveryQueryKind) {
  const std::pair<const char*, QueryConfig::Kind> kinds[] = {
      {"zcard", QueryConfig::Kind::kZcard}, {"scard", QueryConfig::Kind::kScard},
      {"llen", QueryConfig::Kind::kLlen},   {"hlen", QueryConfig::Kind::kHlen},
      {"xlen", QueryConfig::Kind::kXlen},   {"pfcount", QueryConfig::Kind::kPfcount},
      {"get", QueryConfig::Kind::kGet}};
  for (const auto& [name, kind] : kinds) {
    Result<Config> r =
        ParseConfig(std::string("queries: [{name: q, kind: ") + name + ", key: k}]", "t.yml");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->queries[0].kind, kind) << name;
  }
}

TEST(ConfigTest, RedisUserAndReadReplica) {
  Result<Config> r = ParseConfig(
      "redis:\n  addr: redis-sentinel://s1,s2/m/2\n  username: observd\n"
      "  read_replica: redis://[::1]:6380/2\n",
      "t.yml");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->redis.username, "observd");
  EXPECT_EQ(r->redis.read_replica, "redis://[::1]:6380/2");
  r = ParseConfig(
      "redis:\n  addr: redis-sentinel://s1,s2/m\n  sentinel_username: watcher\n"
      "  sentinel_password_file: /etc/observd/sentinel.pass\n",
      "t.yml");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->redis.sentinel_username, "watcher");
  EXPECT_EQ(r->redis.sentinel_password_file, "/etc/observd/sentinel.pass");
  // The same user in both places is not a conflict.
  EXPECT_TRUE(ParseConfig("redis:\n  addr: redis://u@h\n  username: u\n", "t.yml").ok());
}

TEST(ConfigTest, NullValuesKeepDefaults) {
  Result<Config> r = ParseConfig("web:\n  listen_address:\n  root: ~\nqueries:\n", "t.yml");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->web.listen_address, "127.0.0.1:9469");
  EXPECT_EQ(r->web.root, "");  // the embedded site
}

TEST(ConfigTest, AcceptedAddressForms) {
  for (const char* addr :
       {"redis://127.0.0.1:6379/0", "redis://redis", "redis://redis:6380", "redis://h/3",
        "redis://", "redis://:6379", "unix:///run/redis.sock", "unix:///run/redis.sock?db=15",
        "redis://[::1]:6379/0", "redis://observd@h:6379/0", "redis-sentinel://s1,s2:26380/m/1"}) {
    Config c;
    c.redis.addr = addr;
    EXPECT_TRUE(ValidateConfig(c).ok()) << addr;
  }
  for (const char* listen : {"127.0.0.1:9469", "0.0.0.0:1", ":9469", "localhost:65535"}) {
    Config c;
    c.web.listen_address = listen;
    EXPECT_TRUE(ValidateConfig(c).ok()) << listen;
  }
}

TEST(ConfigTest, ValidateConfigNamesTheFieldWithoutPosition) {
  Config c;
  c.web.num_threads = 10;
  EXPECT_THAT(ValidateConfig(c).error(), StartsWith("web.num_threads: must be at least"));
  c = Config();
  c.queries.push_back({"ok_name", "", QueryConfig::Kind::kZcount, "k", {}, Millis(0)});
  EXPECT_THAT(ValidateConfig(c).error(), StartsWith("queries[0].window: required"));
}

TEST(ConfigTest, RedisCredentialsAreNotEchoed) {
  Result<Config> r = ParseConfig("redis:\n  addr: redis://user:hunter2@h:6379\n", "t.yml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().find("hunter2"), std::string::npos) << r.error();
}

TEST(ConfigTest, LoadConfigFileErrors) {
  Result<Config> r = LoadConfigFile("/nonexistent/observd.yml", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "/nonexistent/observd.yml: cannot read: No such file or directory");

  r = LoadConfigFile("/nonexistent/observd.yml", true);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, Config());
  EXPECT_EQ(r->source, "");

  r = LoadConfigFile(OBSERVD_FIXTURES, true);  // a directory is not "missing".
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr(": cannot read: "));
}

TEST(ConfigTest, LoadConfigFileReportsTheFileName) {
  const std::string path = std::string(OBSERVD_FIXTURES) + "/config/bad_num_threads.yml";
  Result<Config> r = LoadConfigFile(path, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), path + ":4:16: web.num_threads: expected an integer, got \"many\"");
}

TEST(NameTest, MetricAndLabelNames) {
  for (const char* ok : {"a", "_a", "a:b", "observd_app_x_total", "A9"}) {
    EXPECT_TRUE(IsValidMetricName(ok)) << ok;
  }
  for (const char* bad : {"", "9a", "a-b", "a b", "é"}) EXPECT_FALSE(IsValidMetricName(bad)) << bad;
  for (const char* ok : {"a", "_a", "queue", "a_9"}) EXPECT_TRUE(IsValidLabelName(ok)) << ok;
  for (const char* bad : {"", "__a", "a:b", "9a", "a-b"}) {
    EXPECT_FALSE(IsValidLabelName(bad)) << bad;
  }
}

TEST(ResolveHistoryPath, ALeadingStateDirectoryIsSystemdsFirstDirectory) {
  EXPECT_EQ(ResolveHistoryPath("$STATE_DIRECTORY/history.db", "/var/lib/observd"),
            "/var/lib/observd/history.db");
  // StateDirectory= naming several: systemd joins them with ':'; the first is ours.
  EXPECT_EQ(ResolveHistoryPath("$STATE_DIRECTORY/history.db", "/var/lib/observd/9470:/var/lib/x"),
            "/var/lib/observd/9470/history.db");
}

TEST(ResolveHistoryPath, WithoutAStateDirectoryHistoryIsMemoryOnly) {
  EXPECT_EQ(ResolveHistoryPath("$STATE_DIRECTORY/history.db", nullptr), "");
  EXPECT_EQ(ResolveHistoryPath("$STATE_DIRECTORY/history.db", ""), "");
}

TEST(ResolveHistoryPath, OtherPathsAreKeptAsWritten) {
  EXPECT_EQ(ResolveHistoryPath("/srv/observd/h.db", "/var/lib/observd"), "/srv/observd/h.db");
  EXPECT_EQ(ResolveHistoryPath("", "/var/lib/observd"), "");  // empty: memory only
  // Only the whole variable name is replaced, not a longer name that starts with it.
  EXPECT_EQ(ResolveHistoryPath("$STATE_DIRECTORY_OLD/h.db", "/var/lib/observd"),
            "$STATE_DIRECTORY_OLD/h.db");
}

}  // namespace
}  // namespace observd
