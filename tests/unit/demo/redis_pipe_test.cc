// Tests of demo/redis_pipe.h's address parser; no Redis server involved.
#include "demo/redis_pipe.h"

#include <gtest/gtest.h>

namespace observd::demo {
namespace {

TEST(ParseRedisAddress, AcceptsTcpUnixAndRejectsCredentials) {
  RedisAddress a;
  EXPECT_EQ(ParseRedisAddress("redis://10.0.0.5:6380/3", &a), "");
  EXPECT_EQ(a.host, "10.0.0.5");
  EXPECT_EQ(a.port, 6380);
  EXPECT_EQ(a.db, 3);
  EXPECT_EQ(ParseRedisAddress("redis://[::1]:7000", &a), "");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 7000);
  EXPECT_EQ(ParseRedisAddress("unix:///run/redis.sock?db=2", &a), "");
  EXPECT_EQ(a.unix_path, "/run/redis.sock");
  EXPECT_EQ(a.db, 2);
  RedisAddress before = a;
  EXPECT_NE(ParseRedisAddress("redis://:secret@host:6379", &a), "");
  EXPECT_NE(ParseRedisAddress("redis://host:99999", &a), "");
  EXPECT_NE(ParseRedisAddress("http://host", &a), "");
  EXPECT_EQ(a.unix_path, before.unix_path);
}

}  // namespace
}  // namespace observd::demo
