// RedisClient owns one persistent hiredis connection with connect and command
// timeouts, AUTH/SELECT on connect, and reconnects with capped exponential backoff.
// Not thread-safe: each user thread (snapshot refresher, latency sampler) owns one.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "redis/redis_address.h"

namespace observd {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// The one policy for error replies: WRONGTYPE means the application's data has
// another type (the value is unknown, not a failure); any other error (NOAUTH,
// LOADING, BUSY, READONLY, ...) is Redis refusing, a failed operation.
bool IsRefusal(const redisReply* reply);

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

using Command = std::vector<std::string>;

struct RedisOptions {
  RedisAddress address;
  std::string password;  // empty = no AUTH. Never logged.
  std::chrono::milliseconds connect_timeout{250};
  std::chrono::milliseconds command_timeout{250};
  std::chrono::milliseconds backoff_max{5000};
  std::string name = "redis";  // for logs: "snapshot", "sampler".
};

class RedisClient {
 public:
  // `on_error` is called once per failed operation (to count it); logs are written
  // once per state change (lost/restored), not per failure.
  RedisClient(RedisOptions options, std::function<void()> on_error);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends `commands` in one pipeline and stores one reply per command in `*replies`.
  // Error replies (e.g. WRONGTYPE) are replies, not failures. On an I/O failure the
  // connection is dropped, `*error` is set and false returned; `*replies` is then
  // unspecified. Fails at once, without I/O, while a reconnect backoff is pending.
  bool Pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>* replies,
                std::string* error);

  // One command; same failure behaviour as Pipeline.
  bool Run(const Command& command, ReplyPtr* reply, std::string* error);

 private:
  bool EnsureConnected(std::string* error);
  void Fail(const std::string& error);

  const RedisOptions options_;
  const std::function<void()> on_error_;
  ContextPtr ctx_;
  bool healthy_ = true;  // state for once-per-change logging.
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace observd
