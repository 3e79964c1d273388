// Tests of redis/redis_client.h against real servers: a redis-server started per
// test ("Live" suites, label redis), a listener that never answers, and a port
// where nothing listens. Covers commands and pipelines, SELECT, AUTH refusals,
// command timeouts, reconnection and its capped exponential backoff.
#include "redis/redis_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "support/loopback.h"
#include "support/redis_server.h"

namespace observd {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::FreeLoopbackPort;
using testing::RedisServer;
using testing::SilentServer;
using testing::WaitFor;

constexpr char kPassword[] = "s3cret-pw-\"q\"-7f3a";

RedisOptions Options(int port, int db = 0) {
  RedisOptions o;
  o.address.server = {"127.0.0.1", port};
  o.address.db = db;
  o.connect_timeout = milliseconds(500);
  o.command_timeout = milliseconds(500);
  return o;
}

std::string Text(const ReplyPtr& r) {
  if (!r) return "(null)";
  if (r->type == REDIS_REPLY_NIL) return "(nil)";
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return std::string(r->str, r->len);
}

// A client and a count of the failures it reported through on_error.
struct Counted {
  explicit Counted(RedisOptions o) : client(std::move(o), [this] { ++errors; }) {}
  std::string Run(const Command& c, bool* ok = nullptr) {
    auto reply = client.Run(c);
    if (ok) *ok = reply.ok();
    return reply ? Text(*reply) : "failed: " + reply.error();
  }
  std::atomic<int> errors{0};
  RedisClient client;
};

TEST(RedisClientLive, RunsCommandsAndPipelines) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Counted c(Options(server.port()));
  EXPECT_EQ(c.Run({"PING"}), "PONG");
  EXPECT_EQ(c.Run({"SET", "k", std::string("v\0w", 3)}), "OK");
  auto result = c.client.Pipeline({{"GET", "k"}, {"INCR", "n"}, {"INCR", "n"}, {"GET", "missing"}});
  ASSERT_TRUE(result) << result.error();
  const std::vector<ReplyPtr>& replies = *result;
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(Text(replies[0]), std::string("v\0w", 3)) << "binary-safe arguments";
  EXPECT_EQ(replies[1]->integer, 1);
  EXPECT_EQ(replies[2]->integer, 2);
  EXPECT_EQ(replies[3]->type, REDIS_REPLY_NIL);
  EXPECT_EQ(c.errors, 0);
}

TEST(RedisClientLive, WrongTypeIsAReplyOtherRefusalsCountAsErrors) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Counted c(Options(server.port()));
  ASSERT_EQ(c.Run({"SET", "s", "x"}), "OK");
  bool ok = false;
  EXPECT_EQ(c.Run({"ZCARD", "s"}, &ok).substr(0, 9), "WRONGTYPE");
  EXPECT_TRUE(ok);
  EXPECT_EQ(c.errors, 0) << "WRONGTYPE is the application's data, not a failure";
  EXPECT_EQ(c.Run({"NO-SUCH-COMMAND"}, &ok).substr(0, 3), "ERR");
  EXPECT_TRUE(ok) << "an error reply is a reply";
  EXPECT_EQ(c.errors, 1);
  EXPECT_EQ(c.Run({"PING"}), "PONG") << "the connection stays usable";
}

TEST(RedisClientLive, SelectsTheDatabaseOfTheAddress) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Counted db3(Options(server.port(), 3));
  ASSERT_EQ(db3.Run({"SET", "only-in-3", "yes"}), "OK");
  Counted db0(Options(server.port(), 0));
  EXPECT_EQ(db0.Run({"GET", "only-in-3"}), "(nil)");
  EXPECT_EQ(db3.Run({"GET", "only-in-3"}), "yes");
}

TEST(RedisClientLive, RefusedSelectFailsTheConnect) {
  RedisServer server(RedisServer::Options().WithArgs({"--databases", "4"}));
  ASSERT_TRUE(server.ok()) << server.error();
  Counted c(Options(server.port(), 9));
  std::string got = c.Run({"PING"});
  EXPECT_EQ(got.rfind("failed: SELECT failed: ", 0), 0u) << got;
  EXPECT_EQ(c.errors, 1);
}

TEST(RedisClientLive, AuthenticatesWithThePassword) {
  RedisServer server(RedisServer::Options().WithPassword(kPassword));
  ASSERT_TRUE(server.ok()) << server.error();
  RedisOptions o = Options(server.port());
  o.password = kPassword;
  Counted c(o);
  EXPECT_EQ(c.Run({"PING"}), "PONG");
  EXPECT_EQ(c.errors, 0);
}

TEST(RedisClientLive, NoPasswordGetsNoauthRepliesCountedAsErrors) {
  RedisServer server(RedisServer::Options().WithPassword(kPassword));
  ASSERT_TRUE(server.ok()) << server.error();
  Counted c(Options(server.port()));
  bool ok = false;
  std::string got = c.Run({"PING"}, &ok);
  EXPECT_TRUE(ok) << "connected; the refusal is a reply";
  EXPECT_EQ(got.substr(0, 6), "NOAUTH") << got;
  EXPECT_EQ(c.errors, 1);
}

TEST(RedisClientLive, WrongPasswordFailsWithoutEchoingIt) {
  RedisServer server(RedisServer::Options().WithPassword(kPassword));
  ASSERT_TRUE(server.ok()) << server.error();
  RedisOptions o = Options(server.port());
  o.password = "wrong-pw-91c2e7";
  Counted c(o);
  std::string got = c.Run({"PING"});
  EXPECT_EQ(got.rfind("failed: AUTH failed: WRONGPASS", 0), 0u) << got;
  EXPECT_EQ(got.find("wrong-pw-91c2e7"), std::string::npos) << got;
  EXPECT_EQ(got.find(kPassword), std::string::npos) << got;
  EXPECT_EQ(c.errors, 1);
}

TEST(RedisClientLive, ReconnectsAfterTheServerRestarts) {
  RedisServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  Counted c(Options(server.port()));
  ASSERT_EQ(c.Run({"SET", "k", "1"}), "OK");
  server.Stop();
  bool ok = true;
  c.Run({"PING"}, &ok);
  EXPECT_FALSE(ok) << "the server is gone";
  EXPECT_GE(c.errors, 1);
  ASSERT_TRUE(server.Start()) << server.error();
  EXPECT_TRUE(WaitFor([&] { return c.Run({"PING"}) == "PONG"; }, milliseconds(10000)))
      << "no reconnect within 10 s";
}

TEST(RedisClientLive, UnixSocket) {
  const std::string path =
      ::testing::TempDir() + "observd-unit-" + std::to_string(getpid()) + ".sock";
  RedisServer server(
      RedisServer::Options().WithArgs({"--unixsocket", path, "--unixsocketperm", "700"}));
  ASSERT_TRUE(server.ok()) << server.error();
  RedisOptions o;
  o.address.kind = RedisAddress::Kind::kUnix;
  o.address.path = path;
  Counted c(o);
  EXPECT_EQ(c.Run({"PING"}), "PONG");
  server.Stop();
  unlink(path.c_str());
}

TEST(RedisClient, NothingListeningIsAConnectFailure) {
  Counted c(Options(FreeLoopbackPort()));
  std::string got = c.Run({"PING"});
  EXPECT_EQ(got.rfind("failed: connect: ", 0), 0u) << got;
  EXPECT_EQ(c.errors, 1);
}

TEST(RedisClient, ASilentServerTimesOut) {
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  RedisOptions o = Options(silent.port());
  o.command_timeout = milliseconds(150);
  Counted c(o);
  auto t0 = steady_clock::now();
  bool ok = true;
  std::string got = c.Run({"PING"}, &ok);
  auto took = steady_clock::now() - t0;
  EXPECT_FALSE(ok) << got;
  EXPECT_EQ(c.errors, 1);
  EXPECT_GE(took, milliseconds(140)) << "gave up before the command timeout";
  // Returning at all is the proof that a silent server does not hang the caller (a hang
  // is the ctest timeout): no upper bound a loaded machine could miss.
}

TEST(RedisClient, FailsAtOnceWhileTheBackoffIsPending) {
  SilentServer silent;
  RedisOptions o = Options(silent.port());
  o.command_timeout = milliseconds(50);
  o.backoff_max = milliseconds(60000);
  Counted c(o);
  bool ok = true;
  c.Run({"PING"}, &ok);
  ASSERT_FALSE(ok);
  // The next attempt is at least 100 ms away: these fail without I/O (no timeout
  // wait) and are not counted as new failures.
  auto t0 = steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    c.Run({"PING"}, &ok);
    EXPECT_FALSE(ok);
  }
  const auto elapsed = steady_clock::now() - t0;
  if (elapsed < milliseconds(100)) {
    EXPECT_EQ(c.errors, 1) << "calls during the backoff tried to connect";
  }
  // However slow the machine: at most one attempt per backoff that expired in the loop
  // (100, 200, 400 ms ... after the first failure). A client that tried every call
  // would count 21 failures.
  int expiries = 0;
  for (milliseconds due(100), step(100); due <= elapsed; step *= 2, due += step) ++expiries;
  EXPECT_LE(c.errors, 1 + expiries) << "calls during the backoff tried to connect";
}

// Records when connect attempts fail (on_error is called once per attempt; calls
// refused by a pending backoff do not report).
std::vector<steady_clock::time_point> AttemptTimes(RedisOptions o, int attempts) {
  std::vector<steady_clock::time_point> times;
  RedisClient client(std::move(o), [&] { times.push_back(steady_clock::now()); });
  WaitFor(
      [&] {
        (void)client.Run({"PING"});
        return times.size() >= static_cast<size_t>(attempts);
      },
      milliseconds(10000));
  return times;
}

TEST(RedisClient, BackoffDoublesFrom100msUpToTheCap) {
  RedisOptions o = Options(FreeLoopbackPort());
  o.backoff_max = milliseconds(250);
  auto t = AttemptTimes(o, 8);
  ASSERT_EQ(t.size(), 8u);
  auto gap = [&](int i) {
    return std::chrono::duration_cast<milliseconds>(t[i + 1] - t[i]).count();
  };
  EXPECT_GE(gap(0), 100);
  EXPECT_GE(gap(1), 200);
  EXPECT_GE(gap(2), 250);
  EXPECT_GE(gap(3), 250);
  // Capped, gaps 3..6 are 250 ms each (~1 s); uncapped they would be 800 + 1,600 + 3,200
  // + 6,400 ms. 6 s between them separates the two with room for a loaded machine.
  EXPECT_LT(t[7] - t[3], milliseconds(6000)) << "the backoff is not capped at backoff_max";
}

TEST(RedisClientLive, ASuccessfulConnectResetsTheBackoff) {
  const int port = FreeLoopbackPort();
  std::vector<steady_clock::time_point> fails;
  RedisClient client(Options(port), [&] { fails.push_back(steady_clock::now()); });
  auto ping = [&] { return client.Run({"PING"}).ok(); };
  // Four refused connects: the backoff has grown to 800 ms.
  WaitFor([&] { return !ping() && fails.size() >= 4; }, milliseconds(10000));
  ASSERT_GE(fails.size(), 4u);
  RedisServer server(RedisServer::Options().WithPort(port));
  ASSERT_TRUE(server.ok()) << server.error();
  ASSERT_TRUE(WaitFor(ping, milliseconds(5000)));
  server.Stop();
  const size_t before = fails.size();
  WaitFor([&] { return !ping() && fails.size() >= before + 2; }, milliseconds(10000));
  ASSERT_GE(fails.size(), before + 2);
  auto gap = std::chrono::duration_cast<milliseconds>(fails[before + 1] - fails[before]);
  EXPECT_GE(gap.count(), 100);
  // Without the reset the gap would be 1600 ms.
  EXPECT_LT(gap.count(), 700) << "the backoff was not reset by the successful connect";
}

}  // namespace
}  // namespace observd
