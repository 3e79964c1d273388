// Sentinel discovery and the endpoint board without a server: ROLE replies, the
// refused-connection path (every sentinel named in the error, order kept) and the
// board's bookkeeping. The real failover is tests/integration/test_redis_sentinel.py.
#include "redis/sentinel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace observd {
namespace {

using ::testing::HasSubstr;

// A ROLE-shaped reply whose first element is `role` (owned by the test).
struct FakeRole {
  explicit FakeRole(const char* role) : text(role) {
    first.type = REDIS_REPLY_STRING;
    first.str = text.data();
    first.len = text.size();
    elements[0] = &first;
    reply.type = REDIS_REPLY_ARRAY;
    reply.elements = 1;
    reply.element = elements;
  }
  std::string text;
  redisReply first{};
  redisReply* elements[1];
  redisReply reply{};
};

TEST(SentinelTest, RoleOfReadsTheFirstElement) {
  const std::pair<const char*, const char*> cases[] = {
      {"master", "master"}, {"slave", "replica"}, {"sentinel", "sentinel"}, {"leader", ""}};
  for (const auto& [text, role] : cases) {
    FakeRole reply(text);
    EXPECT_EQ(RoleOf(&reply.reply), role) << text;
  }
  redisReply error{};
  error.type = REDIS_REPLY_ERROR;
  EXPECT_EQ(RoleOf(&error), "");
  EXPECT_EQ(RoleOf(nullptr), "");
  FakeRole empty("master");
  empty.reply.elements = 0;
  EXPECT_EQ(RoleOf(&empty.reply), "");
}

// A loopback port nothing listens on (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  bind(fd, reinterpret_cast<sockaddr*>(&a), len);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

TEST(SentinelTest, NoSentinelAnswering) {
  std::vector<HostPort> sentinels = {{"127.0.0.1", ClosedPort()}, {"127.0.0.1", ClosedPort()}};
  const std::vector<HostPort> before = sentinels;
  auto master = AskSentinelsForMaster(&sentinels, "mymaster", {}, std::chrono::milliseconds(200),
                                      std::chrono::milliseconds(200));
  ASSERT_FALSE(master);
  const std::string& error = master.error();
  EXPECT_THAT(error, HasSubstr("no sentinel named the master of 'mymaster'"));
  EXPECT_THAT(error, HasSubstr(before[0].ToString() + ": connect"));
  EXPECT_THAT(error, HasSubstr(before[1].ToString() + ": connect"));
  EXPECT_EQ(sentinels, before);
}

}  // namespace
}  // namespace observd
