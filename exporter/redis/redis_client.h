// RedisClient owns one persistent hiredis connection with connect and command
// timeouts, AUTH/SELECT/ROLE on connect, Sentinel discovery (redis-sentinel://: the
// master is asked for on every connect, so a failover is followed on the next
// reconnect), and reconnects with capped exponential backoff.
// Not thread-safe: each user thread (snapshot refresher, latency sampler) owns one.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "redis/endpoint.h"
#include "redis/hiredis_handles.h"
#include "redis/sentinel.h"
#include "util/redis_address.h"
#include "util/result.h"

namespace observd {

// The one policy for error replies: WRONGTYPE means the application's data has
// another type (the value is unknown, not a failure); any other error (NOAUTH,
// LOADING, BUSY, READONLY, ...) is Redis refusing, a failed operation.
bool IsRefusal(const redisReply* reply);

// Sends commands in one pipeline and returns one reply each, as RedisClient::Pipeline
// does; what readers that can be tested without a server take instead of a client.
using RedisPipeline = std::function<Result<std::vector<ReplyPtr>>(const std::vector<Command>&)>;

// The most bytes a client receives towards one reply unless told otherwise: far above
// any reply observd asks for (the largest, the shared snapshot, is read in at most 8 MiB),
// far below what a poisoned key can hold. A reply that grows past its client's bound
// drops the connection (the rest of the reply is never read into memory) and fails the
// operation.
inline constexpr size_t kMaxReplyBytes = 16 * 1024 * 1024;

struct RedisOptions {
  RedisAddress address;
  std::string username;        // ACL user; "" = the default user.
  std::string password;        // AUTH when this or username is set. Never logged.
  SentinelAuth sentinel_auth;  // redis-sentinel:// only: AUTH on the sentinels.
  std::chrono::milliseconds connect_timeout{250};
  std::chrono::milliseconds command_timeout{250};
  std::chrono::milliseconds backoff_max{5000};
  std::string name = "redis";                // for logs and the endpoint board.
  std::shared_ptr<EndpointBoard> endpoints;  // optional: where to publish the endpoint.
  // Optional: called with the number of commands of each batch written to the server
  // (the connect-time AUTH/SELECT/ROLE included), on the client's thread; to count them.
  std::function<void(size_t)> on_sent;
  size_t max_reply_bytes = kMaxReplyBytes;  // see kMaxReplyBytes
};

class RedisClient {
 public:
  // `on_error` is called once per failed operation (to count it); logs are written
  // once per state change (lost/restored), not per failure.
  RedisClient(RedisOptions options, std::function<void()> on_error);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends `commands` in one pipeline and returns one reply per command. Error replies
  // (e.g. WRONGTYPE) are replies, not failures; a -READONLY reply (the server is no
  // longer the master) also drops the connection so the next call finds the master
  // again. Fails on an I/O failure or a reply over options.max_reply_bytes (the
  // connection is dropped either way) and at once, without I/O, while a reconnect
  // backoff is pending.
  Result<std::vector<ReplyPtr>> Pipeline(const std::vector<Command>& commands);

  // Pipeline as a RedisPipeline, for the readers that take one. The client must outlive
  // it, and the same thread-safety holds: one thread at a time.
  RedisPipeline AsPipeline();

  // One command; same failure behaviour as Pipeline.
  Result<ReplyPtr> Run(const Command& command);

 private:
  struct Opened {
    ContextPtr ctx;
    std::string endpoint;  // the server's host:port or unix path
  };

  Result<> EnsureConnected();
  // Finds the server (asking the sentinels for redis-sentinel://) and connects.
  Result<Opened> Open();
  // Sends `commands` on the open connection and reads one reply each. On an I/O
  // failure drops the connection (Failed) and fails; error replies are not judged here.
  Result<std::vector<ReplyPtr>> Exchange(const std::vector<Command>& commands);
  // Writes what is queued and reads until the next reply is whole, failing (without
  // dropping: Exchange does) on an I/O error or, setting *over_bound, after
  // max_reply_bytes towards it.
  Result<ReplyPtr> NextReply(bool* over_bound);
  // AUTH, SELECT and ROLE on the new connection in ctx_; returns the server's role.
  Result<std::string> Handshake();
  // Counts and logs a failed operation, drops the connection and backs off.
  void Failed(const std::string& error);
  // Counts a reply over the bound and drops the connection, whose rest is never read;
  // the server is fine, so no backoff and no "lost": one line until a reply fits.
  void OverBound(const std::string& error);
  void Drop();

  const RedisOptions options_;
  const std::function<void()> on_error_;
  std::vector<HostPort> sentinels_;  // asked in this order; the last to answer first.
  ContextPtr ctx_;
  bool healthy_ = true;  // state for once-per-change logging.
  bool over_bound_logged_ = false;
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace observd
