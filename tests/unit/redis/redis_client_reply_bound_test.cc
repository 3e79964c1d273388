// Tests of redis/redis_client.h's reply bound (RedisOptions::max_reply_bytes) against a
// real redis-server: a reply over the bound fails the operation and drops the connection
// without reading the rest; replies under it, one after another in a pipeline, are read
// whole; an array reply is bounded as a whole, not per element.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "redis/redis_client.h"
#include "support/redis_server.h"

namespace observd {
namespace {

using std::chrono::milliseconds;
using testing::RedisServer;

constexpr size_t kBound = 64 * 1024;
constexpr long long kHuge = 64LL * 1024 * 1024;

RedisOptions Options(int port, size_t bound) {
  RedisOptions o;
  o.address.server = {"127.0.0.1", port};
  o.connect_timeout = milliseconds(500);
  o.command_timeout = milliseconds(2000);
  o.max_reply_bytes = bound;
  return o;
}

// Bytes the server has written to its clients so far.
long long NetOutput(RedisClient* admin) {
  auto info = admin->Run({"INFO", "stats"});
  if (!info) return -1;
  const std::string text((*info)->str, (*info)->len);
  const auto at = text.find("total_net_output_bytes:");
  if (at == std::string::npos) return -1;
  return std::atoll(text.c_str() + at + 23);
}

class RedisClientReplyBoundLive : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.error();
    // Written by the server itself: the test never sends or holds the huge value.
    ASSERT_TRUE(admin_.Run({"SETRANGE", "huge", std::to_string(kHuge - 1), "x"}));
    ASSERT_TRUE(admin_.Run({"SET", "under", std::string(kBound - 100, 'u')}));
  }

  RedisServer server_;
  RedisClient admin_{Options(server_.port(), kMaxReplyBytes), nullptr};
  int errors_ = 0;
  RedisClient client_{Options(server_.port(), kBound), [this] { ++errors_; }};
};

TEST_F(RedisClientReplyBoundLive, AReplyOverTheBoundFailsWithoutReadingTheRest) {
  const long long before = NetOutput(&admin_);
  auto got = client_.Pipeline({{"PING"}, {"GET", "huge"}, {"PING"}});
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().find("a reply over 64 KiB"), std::string::npos) << got.error();
  EXPECT_EQ(errors_, 1);
  // The server wrote what the sockets' buffers took, then saw the connection closed:
  // far from the whole value.
  const long long sent = NetOutput(&admin_) - before;
  EXPECT_LT(sent, kHuge / 2) << sent << " bytes written by the server";
  // The connection was dropped, but the server is fine: no backoff, the next call
  // connects again.
  auto pong = client_.Run({"PING"});
  ASSERT_TRUE(pong) << pong.error();
  EXPECT_EQ(std::string((*pong)->str, (*pong)->len), "PONG");
  EXPECT_EQ(errors_, 1);
}

TEST_F(RedisClientReplyBoundLive, RepliesUnderTheBoundAreReadWholeOneAfterAnother) {
  // Three replies of almost the bound each, in one pipeline: the bound is per reply.
  auto got = client_.Pipeline({{"GET", "under"}, {"GET", "under"}, {"GET", "under"}});
  ASSERT_TRUE(got) << got.error();
  ASSERT_EQ(got->size(), 3u);
  for (const auto& r : *got) EXPECT_EQ(r->len, kBound - 100);
  EXPECT_EQ(errors_, 0);
}

TEST_F(RedisClientReplyBoundLive, AnArrayIsBoundedAsAWhole) {
  // 2,000 members of 100 bytes: each small, the reply about 212 KB.
  for (int i = 0; i < 2000; ++i) {
    std::string member = std::to_string(i);
    member.resize(100, '.');
    ASSERT_TRUE(admin_.Run({"ZADD", "z", std::to_string(i), member}));
  }
  auto head = client_.Run({"ZRANGE", "z", "0", "99"});
  ASSERT_TRUE(head) << head.error();
  EXPECT_EQ((*head)->elements, 100u);
  auto all = client_.Run({"ZRANGE", "z", "0", "-1"});
  ASSERT_FALSE(all);
  EXPECT_NE(all.error().find("a reply over"), std::string::npos) << all.error();
}

}  // namespace
}  // namespace observd
