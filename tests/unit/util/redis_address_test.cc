// The one Redis address grammar (util/redis_address.h), shared by observd and
// observd-demo: accepted and refused forms.
#include "util/redis_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = RedisAddress::Kind;

RedisAddress Parse(const char* text) {
  Result<RedisAddress> a = ParseRedisAddress(text);
  EXPECT_TRUE(a.ok()) << text << ": " << a.error();
  return a.value_or(RedisAddress{});
}

TEST(RedisAddressTest, TcpForms) {
  RedisAddress a = Parse("redis://10.0.0.5:6380/3");
  EXPECT_EQ(a.kind, Kind::kTcp);
  EXPECT_EQ(a.server, (HostPort{"10.0.0.5", 6380}));
  EXPECT_EQ(a.db, 3);
  EXPECT_EQ(a.username, "");
  EXPECT_EQ(Parse("redis://redis").server, (HostPort{"redis", 6379}));
  EXPECT_EQ(Parse("redis://h/").db, 0);
  EXPECT_EQ(Parse("redis://").server, (HostPort{"127.0.0.1", 6379}));
  EXPECT_EQ(Parse("redis://:6380").server, (HostPort{"127.0.0.1", 6380}));
  EXPECT_EQ(Parse("redis://redis-1.example.com:1/15").ToString(),
            "redis://redis-1.example.com:1/15");
}

TEST(RedisAddressTest, BracketedIPv6) {
  RedisAddress a = Parse("redis://[::1]:7000/2");
  EXPECT_EQ(a.server, (HostPort{"::1", 7000}));
  EXPECT_EQ(a.ToString(), "redis://[::1]:7000/2");
  EXPECT_EQ(Parse("redis://[fe80::1:2]").server.port, 6379);
}

TEST(RedisAddressTest, UserNameIsKeptButNotPrinted) {
  RedisAddress a = Parse("redis://observd@127.0.0.1:6379/1");
  EXPECT_EQ(a.username, "observd");
  EXPECT_EQ(a.ToString(), "redis://127.0.0.1:6379/1");
  EXPECT_EQ(Parse("redis-sentinel://mon-1@s1/m").username, "mon-1");
}

TEST(RedisAddressTest, UnixForms) {
  RedisAddress a = Parse("unix:///run/redis.sock?db=2");
  EXPECT_EQ(a.kind, Kind::kUnix);
  EXPECT_EQ(a.path, "/run/redis.sock");
  EXPECT_EQ(a.db, 2);
  EXPECT_EQ(a.ToString(), "unix:///run/redis.sock?db=2");
  EXPECT_EQ(Parse("unix:///run/redis.sock").ToString(), "unix:///run/redis.sock");
}

TEST(RedisAddressTest, SentinelForms) {
  RedisAddress a = Parse("redis-sentinel://h1:26379,10.0.0.2:26380,[::1]/mymaster/4");
  EXPECT_EQ(a.kind, Kind::kSentinel);
  ASSERT_EQ(a.sentinels.size(), 3u);
  EXPECT_EQ(a.sentinels[0], (HostPort{"h1", 26379}));
  EXPECT_EQ(a.sentinels[1], (HostPort{"10.0.0.2", 26380}));
  EXPECT_EQ(a.sentinels[2], (HostPort{"::1", 26379}));
  EXPECT_EQ(a.master_name, "mymaster");
  EXPECT_EQ(a.db, 4);
  EXPECT_EQ(a.ToString(), "redis-sentinel://h1:26379,10.0.0.2:26380,[::1]:26379/mymaster/4");
  RedisAddress b = Parse("redis-sentinel://s/my.master-1");
  EXPECT_EQ(b.master_name, "my.master-1");
  EXPECT_EQ(b.db, 0);
}

TEST(RedisAddressTest, CanonicalFormParsesBack) {
  for (const char* text :
       {"redis://", "redis://h", "redis://u@h:1/2", "redis://[::1]:7000/2", "unix:///s.sock",
        "unix:///s.sock?db=3", "redis-sentinel://a,b:2,[::1]:3/m/4", "redis-sentinel://u@a/m"}) {
    RedisAddress a = Parse(text);
    Result<RedisAddress> back = ParseRedisAddress(a.ToString());
    ASSERT_TRUE(back.ok()) << a.ToString() << ": " << back.error();
    a.username.clear();  // ToString() never prints the user.
    EXPECT_EQ(*back, a) << text;
  }
}

TEST(RedisAddressTest, RefusedForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1:6379", "expected redis://"},
      {"tcp://h", "expected redis://"},
      {"http://host", "expected redis://"},
      {"redis://h:0/0", "port"},
      {"redis://h:99999", "port"},
      {"redis://h:x", "port"},
      {"redis://h/x", "database"},
      {"redis://h/-1", "database"},
      {"redis://h/1/2", "database"},
      {"redis://h?db=1", "query"},
      {"redis://h_1", "host"},
      {"redis://::1:6379", "brackets"},
      {"redis://[::1", "unclosed"},
      {"redis://[::1]6379", "':port'"},
      {"redis://[zz]:1", "IPv6"},
      {"redis://@h", "user name"},
      {"unix://relative.sock", "absolute"},
      {"unix://", "absolute"},
      {"unix:///x.sock?db=a", "database"},
      {"unix:///x\x01.sock", "control characters"},
      {"unix:///x.sock?db=", "only ?db=N"},
      {"unix:///x.sock?timeout=1", "only ?db=N"},
      {"redis-sentinel://", "sentinel 1: empty host"},
      {"redis-sentinel://h1,/m", "sentinel 2: empty host"},
      {"redis-sentinel://h1:0/m", "port"},
      {"redis-sentinel://h1", "master name"},
      {"redis-sentinel://h1/", "master name"},
      {"redis-sentinel://h1/a b", "master name"},
      {"redis-sentinel://h1/m/x", "database"},
  };
  for (const auto& [text, problem] : cases) {
    Result<RedisAddress> a = ParseRedisAddress(text);
    ASSERT_FALSE(a.ok()) << text;
    const std::string& error = a.error();
    EXPECT_THAT(error, HasSubstr(problem)) << text;
    EXPECT_THAT(error, HasSubstr("invalid redis address \"")) << text;
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
}

TEST(RedisAddressTest, ErrorsStayOnOneLine) {
  // Found by fuzz_grammars: the refused text is quoted with control bytes escaped.
  Result<RedisAddress> a = ParseRedisAddress("a\r\nb\"");
  ASSERT_FALSE(a.ok());
  const std::string& error = a.error();
  EXPECT_THAT(error, HasSubstr("invalid redis address \"a\\x0d\\x0ab\\\"\""));
  EXPECT_EQ(error.find_first_of("\r\n"), std::string::npos);
}

TEST(RedisAddressTest, TlsIsRefusedWithTheTunnelRecipe) {
  Result<RedisAddress> a = ParseRedisAddress("rediss://h:6380/0");
  ASSERT_FALSE(a.ok());
  const std::string& error = a.error();
  EXPECT_THAT(error, HasSubstr("rediss:// (TLS) is not supported"));
  EXPECT_THAT(error, HasSubstr("stunnel"));
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST(RedisAddressTest, PasswordsAreRefusedWithoutEcho) {
  for (const char* text : {"redis://:s3cret@h:6379", "redis://default:s3cret@h",
                           "redis-sentinel://u:s3cret@h1/m", "redis://a@b:s3cret@h"}) {
    Result<RedisAddress> a = ParseRedisAddress(text);
    ASSERT_FALSE(a.ok()) << text;
    const std::string& error = a.error();
    EXPECT_THAT(error, HasSubstr("credentials in the redis address are not allowed"));
    EXPECT_THAT(error, Not(HasSubstr("s3cret")));
  }
}

}  // namespace
}  // namespace observd
