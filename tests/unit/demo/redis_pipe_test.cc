// Tests of demo/redis_pipe.h: while disconnected nothing is sent and every command is
// counted as dropped; a connect that fails says why. The "Live" suite (ctest label
// redis) pipelines against a real redis-server: batches, error replies counted but not
// fatal, AUTH and SELECT, a lost server, and -READONLY from a replica disconnecting.
#include "demo/redis_pipe.h"

#include <gtest/gtest.h>

#include <string>

#include "support/loopback.h"
#include "support/redis_server.h"

namespace observd::demo {
namespace {

using observd::testing::RedisServer;

RedisAddress Address(const std::string& text) {
  auto a = ParseRedisAddress(text);
  EXPECT_TRUE(a) << a.error();
  return a ? *a : RedisAddress{};
}

RedisAddress Local(int port, int db = 0) {
  return Address("redis://127.0.0.1:" + std::to_string(port) + "/" + std::to_string(db));
}

TEST(RedisPipeTest, DisconnectedCommandsAreDroppedAndCounted) {
  RedisPipe pipe(Local(observd::testing::FreeLoopbackPort()), "", "", 10);
  EXPECT_FALSE(pipe.connected()) << "nothing connects before Connect()";
  for (int i = 0; i < 25; ++i) pipe.Append({"SET", "k", std::to_string(i)});
  EXPECT_EQ(pipe.dropped(), 25);
  EXPECT_FALSE(pipe.Flush());
  EXPECT_EQ(pipe.Call({"PING"}), nullptr);
  EXPECT_EQ(pipe.reply_errors(), 0);
  EXPECT_EQ(pipe.first_reply_error(), "");
}

TEST(RedisPipeTest, AFailedConnectSaysWhyAndStaysDisconnected) {
  RedisPipe tcp(Local(observd::testing::FreeLoopbackPort()), "", "", 10);
  const std::string error = tcp.Connect();
  EXPECT_NE(error, "");
  EXPECT_EQ(tcp.error(), error);
  EXPECT_FALSE(tcp.connected());
  tcp.Append({"PING"});
  EXPECT_EQ(tcp.dropped(), 1);

  RedisPipe unix_socket(Address("unix:///nonexistent/observd-test.sock"), "", "", 10);
  const std::string unix_error = unix_socket.Connect();
  EXPECT_EQ(unix_error.rfind("connect: ", 0), 0u) << unix_error;
  EXPECT_FALSE(unix_socket.connected());
}

// ------------------------------------------------------------------ Live

TEST(RedisPipeLive, PipelinesEveryCommandInBatches) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  RedisPipe pipe(Local(server.port()), "", "", /*batch=*/0);  // clamped to 2
  ASSERT_EQ(pipe.Connect(), "");
  ASSERT_TRUE(pipe.connected());
  for (int i = 0; i < 1001; ++i) pipe.Append({"RPUSH", "list", std::string("v\0", 2)});
  EXPECT_TRUE(pipe.Flush());
  ReplyPtr n = pipe.Call({"LLEN", "list"});
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->integer, 1001) << "every command sent once, none lost at a batch edge";
  ReplyPtr item = pipe.Call({"LINDEX", "list", "0"});
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(std::string(item->str, item->len), std::string("v\0", 2)) << "binary-safe";
  EXPECT_EQ(pipe.dropped(), 0);
}

TEST(RedisPipeLive, ErrorRepliesAreCountedNotFatal) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  RedisPipe pipe(Local(server.port()), "", "", 4);
  ASSERT_EQ(pipe.Connect(), "");
  pipe.Append({"SET", "s", "x"});
  pipe.Append({"ZADD", "s", "1", "m"});  // WRONGTYPE
  pipe.Append({"NO-SUCH-COMMAND"});
  pipe.Append({"INCR", "n"});
  EXPECT_TRUE(pipe.Flush());
  EXPECT_TRUE(pipe.connected());
  EXPECT_EQ(pipe.reply_errors(), 2);
  EXPECT_EQ(pipe.first_reply_error().rfind("WRONGTYPE", 0), 0u) << pipe.first_reply_error();
  EXPECT_EQ(server.Command({"GET", "n"}), "1") << "the commands after an error ran";
}

TEST(RedisPipeLive, AuthAndSelectAreSentOnConnect) {
  RedisServer server(RedisServer::Options().WithPassword("s3cret"));
  ASSERT_TRUE(server.ok()) << server.error();
  RedisPipe wrong(Local(server.port()), "", "nope", 4);
  const std::string error = wrong.Connect();
  EXPECT_EQ(error.rfind("AUTH: ", 0), 0u) << error;
  EXPECT_FALSE(wrong.connected());
  RedisPipe none(Local(server.port()), "", "", 4);
  EXPECT_EQ(none.Connect().rfind("PING: NOAUTH", 0), 0u) << "without AUTH the PING is refused";
  RedisPipe db3(Local(server.port(), 3), "", "s3cret", 4);
  ASSERT_EQ(db3.Connect(), "");
  db3.Append({"SET", "only-in-3", "yes"});
  ASSERT_TRUE(db3.Flush());
  EXPECT_EQ(server.Command({"GET", "only-in-3"}), "(nil)") << "not database 0";
  ReplyPtr got = db3.Call({"GET", "only-in-3"});
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(std::string(got->str, got->len), "yes");
}

TEST(RedisPipeLive, ALostServerDisconnectsAndConnectComesBack) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  RedisPipe pipe(Local(server.port()), "", "", 4);
  ASSERT_EQ(pipe.Connect(), "");
  server.Stop();
  pipe.Append({"SET", "k", "v"});
  EXPECT_FALSE(pipe.Flush());
  EXPECT_FALSE(pipe.connected());
  EXPECT_NE(pipe.error(), "");
  ASSERT_TRUE(server.Start());
  EXPECT_EQ(pipe.Connect(), "");
  EXPECT_TRUE(pipe.connected());
  EXPECT_EQ(pipe.error(), "") << "a good connect clears the old error";
}

TEST(RedisPipeLive, ReadOnlyFromADemotedMasterDisconnects) {
  RedisServer master;
  ASSERT_TRUE(master.ok()) << master.error();
  RedisServer replica(
      RedisServer::Options().WithArgs({"--replicaof", "127.0.0.1", std::to_string(master.port())}));
  ASSERT_TRUE(replica.ok()) << replica.error();
  RedisPipe pipe(Local(replica.port()), "", "", 4);
  ASSERT_EQ(pipe.Connect(), "") << "a plain address does not check the role";
  pipe.Append({"SET", "k", "v"});
  pipe.Append({"SET", "k2", "v"});
  EXPECT_FALSE(pipe.Flush());
  EXPECT_FALSE(pipe.connected());
  EXPECT_EQ(pipe.error(), "READONLY: the master was demoted");
  EXPECT_EQ(pipe.reply_errors(), 1) << "the rest of the batch is not read";
  pipe.Append({"SET", "k3", "v"});
  EXPECT_EQ(pipe.dropped(), 1);
}

}  // namespace
}  // namespace observd::demo
