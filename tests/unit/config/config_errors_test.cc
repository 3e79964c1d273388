// Tests of config/config.h's error paths: every rejected file, with the exact
// file:line:col the error names and the problem it states (the accepted files and the
// defaults: config_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct ErrorCase {
  const char* yaml;
  const char* position;  // "line:col"
  const char* message;   // substring of what follows the position.
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.yaml; }

class ConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrorTest, ReportsPositionAndProblem) {
  const ErrorCase& c = GetParam();
  Result<Config> r = ParseConfig(c.yaml, "conf.yml");
  ASSERT_FALSE(r.ok()) << c.yaml;
  EXPECT_THAT(r.error(), StartsWith(std::string("conf.yml:") + c.position + ": ")) << c.yaml;
  EXPECT_THAT(r.error(), HasSubstr(c.message)) << c.yaml;
  EXPECT_EQ(r.error().find('\n'), std::string::npos);
}

const ErrorCase kErrorCases[] = {
    // YAML syntax.
    {"web:\n  root: [a\n", "3:1", "end of sequence flow not found"},
    {"web: {root: a\n", "2:1", "end of map flow not found"},
    {"web:\n\troot: x\n", "2:6", "illegal map value"},
    // Shape and unknown keys at every level.
    {"- a\n", "1:1", "top level: expected a map of sections, got a list"},
    {"just text\n", "1:1", "top level: expected a map of sections, got a string"},
    {"wbe:\n  root: x\n", "1:1", "unknown key \"wbe\" at top level (did you mean \"web\"?)"},
    {"web:\n  listn_address: x\n", "2:3", "unknown key \"listn_address\" in web"},
    {"redis:\n  password: x\n", "2:3", "unknown key \"password\" in redis"},
    {"cache: {ttl: 5s, size: 3}\n", "1:18", "unknown key \"size\" in cache"},
    {"sampler:\n  every: 1s\n", "2:3", "unknown key \"every\" in sampler"},
    {"keys:\n  uploads: x\n", "2:3", "unknown key \"uploads\" in keys"},
    {"log:\n  lvl: info\n", "2:3", "unknown key \"lvl\" in log"},
    {"queries:\n  - {name: a, kind: get, key: k, type: x}\n", "2:34",
     "unknown key \"type\" in queries[0]"},
    {"web: [1]\n", "1:6", "web: expected a map, got a list"},
    {"web: {root: a, root: b}\n", "1:16", "duplicate key \"root\" in web"},
    {"queries: {}\n", "1:10", "queries: expected a list, got a map"},
    {"queries: [3]\n", "1:11", "queries[0]: expected a map, got \"3\""},
    // Types.
    {"web:\n  num_threads: abc\n", "2:16", "web.num_threads: expected an integer, got \"abc\""},
    {"web:\n  num_threads: 4.5\n", "2:16", "expected an integer, got \"4.5\""},
    {"web:\n  num_threads: 99999999999\n", "2:16", "expected an integer"},
    {"web:\n  root: {a: 1}\n", "2:9", "web.root: expected a string, got a map"},
    {"keys:\n  workflow_statuses: ok\n", "2:22", "expected a list of strings, got \"ok\""},
    {"keys:\n  workflow_statuses: [[a]]\n", "2:23", "expected a list of strings, got a list"},
    {"queries:\n  - {name: a, kind: get, key: k, labels: [x]}\n", "2:42",
     "queries[0].labels: expected a map, got a list"},
    // Durations.
    {"web:\n  sse_interval: 5x\n", "2:17", "web.sse_interval: expected a duration"},
    {"redis:\n  command_timeout: -1s\n", "2:20", "got \"-1s\""},
    {"redis:\n  connect_timeout: 250\n", "2:20", "got \"250\""},
    {"cache:\n  ttl: 30m1h\n", "2:8", "cache.ttl: expected a duration"},
    {"sampler:\n  interval: \"\"\n", "2:13", "sampler.interval: expected a duration"},
    // Ranges and cross-field rules.
    {"web:\n  num_threads: 1\n", "2:16", "web.num_threads: must be between 2 and 1024, got 1"},
    {"web:\n  num_threads: 2000\n", "2:16", "must be between 2 and 1024, got 2000"},
    {"web:\n  max_sse_streams: -1\n", "2:20", "web.max_sse_streams: must be between 0 and 1024"},
    {"web:\n  max_sse_streams: 2000\n", "2:20", "must be between 0 and 1024, got 2000"},
    {"web:\n  num_threads: 30\n", "2:16", "must be at least web.max_sse_streams (32) + 8 = 40"},
    {"web:\n  max_sse_streams: 250\n", "2:20", "web.num_threads: must be at least"},
    {"web:\n  sse_interval: 0s\n", "2:17", "web.sse_interval: must be greater than 0"},
    {"web:\n  sse_max_duration: 0s\n", "2:21", "web.sse_max_duration: must be greater than 0"},
    {"web:\n  request_timeout: 0\n", "2:20", "web.request_timeout: must be greater than 0"},
    {"redis:\n  connect_timeout: 0s\n", "2:20", "redis.connect_timeout: must be greater than 0"},
    {"redis:\n  command_timeout: 0ms\n", "2:20", "redis.command_timeout: must be greater than 0"},
    {"redis:\n  backoff_max: 10ms\n", "2:16", "redis.backoff_max: must be at least 100ms"},
    {"cache:\n  ttl: 999ms\n", "2:8", "cache.ttl: must be at least 1s, got 999ms"},
    {"cache:\n  stale_after: 10s\n", "2:16", "cache.stale_after: must be 0 (2 x ttl) or at least"},
    {"cache:\n  key: \"\"\n", "2:8", "cache.key: must not be empty"},
    {"sampler:\n  interval: 0s\n", "2:13", "sampler.interval: must be greater than 0"},
    {"sampler:\n  history: 1s\n  interval: 2s\n", "2:12", "sampler.history: must be at least"},
    {"keys:\n  active_users: \"\"\n", "2:17", "keys.active_users: must not be empty"},
    {"keys:\n  workflow_statuses: [a, a]\n", "2:22", "duplicate status \"a\""},
    {"keys:\n  recent_uploads: 0\n", "2:19", "keys.recent_uploads: must be between 1 and 1000"},
    {"keys:\n  recent_uploads: 1001\n", "2:19", "must be between 1 and 1000, got 1001"},
    // log.
    {"log:\n  level: loud\n", "2:10", "log.level: must be one of trace, debug, info, warn"},
    {"log:\n  format: text\n", "2:11", "log.format: must be logfmt or json, got \"text\""},
    // Listen address.
    {"web:\n  listen_address: 9469\n", "2:19", "invalid listen address \"9469\""},
    {"web:\n  listen_address: example.com:80\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: \"[::1]:80\"\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: 1.2.3.4:0\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: 1.2.3.4:65536\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: 1.2.3.256:80\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: 1.2.3:80\n", "2:19", "invalid listen address"},
    {"web:\n  listen_address: \"localhost:\"\n", "2:19", "invalid listen address"},
    // Redis address.
    {"redis:\n  addr: 127.0.0.1:6379\n", "2:9", "invalid redis address \"127.0.0.1:6379\""},
    {"redis:\n  addr: redis://h:0/0\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: redis://h:99999\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: redis://h/x\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: redis://h?db=1\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: unix://relative.sock\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: unix:///x.sock?db=a\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: unix:///x.sock?timeout=1\n", "2:9", "invalid redis address"},
    {"redis:\n  addr: rediss://h:6380\n", "2:9", "rediss:// (TLS) is not supported"},
    {"redis:\n  addr: redis://:s3cret@h\n", "2:9", "credentials in the redis address"},
    {"redis:\n  username: \"a b\"\n", "2:13", "redis.username: must be printable ASCII"},
    {"redis:\n  addr: redis://u@h\n  username: v\n", "3:13",
     "redis.username: differs from the user name in redis.addr"},
    {"redis:\n  sentinel_username: u\n", "2:22",
     "redis.sentinel_username: needs redis.sentinel_password_file"},
    {"redis:\n  sentinel_username: \"a b\"\n", "2:22",
     "redis.sentinel_username: must be printable ASCII"},
    {"redis:\n  read_replica: redis-sentinel://s/m\n", "2:17",
     "redis.read_replica: must be a redis://host:port/db or unix:// address"},
    {"redis:\n  read_replica: redis://h/1\n", "2:17",
     "redis.read_replica: must name the same database"},
    {"redis:\n  read_replica: rediss://h\n", "2:17", "rediss:// (TLS) is not supported"},
    // Queries.
    {"queries:\n  - {name: a-b, kind: llen, key: k}\n", "2:12",
     "queries[0].name: invalid metric name \"a-b\""},
    {"queries:\n  - {name: 1abc, kind: llen, key: k}\n", "2:12", "invalid metric name"},
    {"queries:\n  - {name: observd_redis_up, kind: get, key: k}\n", "2:12",
     "is already exported by observd"},
    {"queries:\n  - {name: observd_snapshot_refreshes_total, kind: get, key: k}\n", "2:12",
     "is already exported by observd"},
    {"queries:\n  - {name: observd_redis_ping_duration_seconds_bucket, kind: get, key: k}\n",
     "2:12", "is already exported by observd"},
    {"cache:\n  key: uploads:timeline\n", "2:8", "must not name one of the application's keys"},
    {"queries:\n  - {name: a, kind: llen, key: k}\n  - {name: a, kind: get, key: j}\n", "3:12",
     "queries[1].name: duplicate metric name \"a\""},
    {"queries:\n  - {name: a, kind: llen, key: k, labels: {__x: y}}\n", "2:44",
     "queries[0].labels.__x: invalid label name \"__x\""},
    {"queries:\n  - {name: a, kind: llen, key: k, labels: {a-b: y}}\n", "2:44",
     "invalid label name \"a-b\""},
    {"queries:\n  - {name: a, kind: llen, key: k, help: \"a\\\\b\"}\n", "2:41",
     "queries[0].help: must not contain a backslash or a newline"},
    {"queries:\n  - {name: a, kind: llen, key: k, help: \"a\\nb\"}\n", "2:41",
     "must not contain a backslash or a newline"},
    {"queries:\n  - {name: a, kind: zadd, key: k}\n", "2:21",
     "queries[0].kind: unknown kind \"zadd\" (expected one of zcard, zcount"},
    {"queries:\n  - {name: a, kind: zcount, key: k}\n", "2:5",
     "queries[0].window: required (and greater than 0) for kind zcount"},
    {"queries:\n  - {name: a, kind: zcount, key: k, window: 0s}\n", "2:45",
     "queries[0].window: required"},
    {"queries:\n  - {name: a, kind: llen, key: k, window: 5m}\n", "2:43",
     "queries[0].window: only allowed with kind zcount"},
    {"queries:\n  - {name: a, kind: zcount, key: k, window: 5}\n", "2:45",
     "queries[0].window: expected a duration"},
    {"queries:\n  - {kind: llen, key: k}\n", "2:5", "queries[0].name: required"},
    {"queries:\n  - {name: a, key: k}\n", "2:5", "queries[0].kind: required"},
    {"queries:\n  - {name: a, kind: llen}\n", "2:5", "queries[0].key: required"},
};

INSTANTIATE_TEST_SUITE_P(AllErrors, ConfigErrorTest, ::testing::ValuesIn(kErrorCases));

}  // namespace
}  // namespace observd
