// RedisPipe owns observd-demo's one hiredis connection and pipelines commands over it:
// appended commands go out in batches and their replies are drained together. A lost
// connection is a value (connected() turns false), never an exception. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "demo/traffic.h"
#include "redis/hiredis_handles.h"
#include "util/redis_address.h"

namespace observd::demo {

class RedisPipe {
 public:
  // For a redis-sentinel:// `address` every Connect() asks the sentinels for the master
  // (the same discovery as observd). AUTH is sent when `username` or `password` is set.
  // `batch` is the pipeline depth.
  RedisPipe(RedisAddress address, std::string username, std::string password, int batch);
  RedisPipe(const RedisPipe&) = delete;
  RedisPipe& operator=(const RedisPipe&) = delete;

  // Drops any old connection, connects, AUTHs and SELECTs, and checks that a Sentinel's
  // master really is a master. Returns "" or the error.
  std::string Connect();
  bool connected() const { return ctx_ != nullptr; }

  // Queues one binary-safe command; sends and reads in batches of `batch`. Dropped (and
  // counted in dropped()) while disconnected.
  void Append(const Command& command);

  // Sends everything queued and reads every reply. On I/O failure disconnects and returns
  // false (error() says why); Redis error replies are counted, not fatal, except
  // -READONLY (the master was demoted), which disconnects so the next Connect() finds
  // the new master.
  bool Flush();

  // Flushes, then runs one command and returns its reply; null when disconnected or on
  // I/O failure (which disconnects).
  ReplyPtr Call(const Command& command);

  const std::string& error() const { return error_; }
  int64_t reply_errors() const { return reply_errors_; }
  const std::string& first_reply_error() const { return first_reply_error_; }
  int64_t dropped() const { return dropped_; }

 private:
  void Fail(const char* what);
  bool Drain(int replies);  // sends all queued, reads `replies` of them.
  std::string Open();       // connects ctx_ to the server (or the Sentinel's master).

  const RedisAddress address_;
  const std::string username_;
  const std::string password_;
  const int batch_;
  std::vector<HostPort> sentinels_;  // asked in this order; the last to answer first.
  ContextPtr ctx_;
  int queued_ = 0;
  std::string error_;
  int64_t reply_errors_ = 0;
  std::string first_reply_error_;
  int64_t dropped_ = 0;
};

}  // namespace observd::demo
