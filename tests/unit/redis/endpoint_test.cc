// Tests of redis/endpoint.h: the board of which server each client is connected to,
// read through the EndpointSource interface status/ sees.
#include "redis/endpoint.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace observd {
namespace {

TEST(EndpointBoardTest, TracksConnectedClients) {
  EndpointBoard board;
  EXPECT_TRUE(board.Current().empty());
  board.Set({"snapshot", "10.0.0.1:6379", "master"});
  board.Set({"sampler", "10.0.0.1:6379", "master"});
  board.Set({"snapshot", "10.0.0.2:6379", "master"});  // failover: replaced
  std::vector<RedisEndpoint> want = {{"sampler", "10.0.0.1:6379", "master"},
                                     {"snapshot", "10.0.0.2:6379", "master"}};
  EXPECT_EQ(board.Current(), want);
  board.Clear("sampler");
  want.erase(want.begin());
  EXPECT_EQ(board.Current(), want);
}

TEST(EndpointBoardTest, SharedProblemsAreReportedOnceUntilAConnect) {
  EndpointBoard board;
  EXPECT_TRUE(board.FirstToReport("auth"));
  EXPECT_FALSE(board.FirstToReport("auth"));  // the second client stays quiet
  EXPECT_TRUE(board.FirstToReport("other"));
  board.Set({"sampler", "10.0.0.1:6379", "master"});
  EXPECT_TRUE(board.FirstToReport("auth"));  // a new failure after a success is news
}

TEST(EndpointBoardTest, IsReadThroughTheEndpointSourceInterface) {
  auto board = std::make_shared<EndpointBoard>();
  std::shared_ptr<const EndpointSource> source = board;
  board->Set({"sampler", "/run/redis.sock", "unknown"});
  EXPECT_EQ(source->Current(),
            (std::vector<RedisEndpoint>{{"sampler", "/run/redis.sock", "unknown"}}));
}

}  // namespace
}  // namespace observd
