// RAII handles for hiredis (redisContext, redisReply), the command type, its append,
// the AUTH rule and the timeout conversion shared by observd's client, Sentinel discovery and
// observd-demo. Header-only; the handles are move-only and not thread-safe.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace observd {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

using Command = std::vector<std::string>;

// Queues `command` on `ctx` (binary-safe, explicit lengths); REDIS_OK or REDIS_ERR.
inline int AppendCommand(redisContext* ctx, const Command& command) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(command.size());
  lens.reserve(command.size());
  for (const std::string& arg : command) {
    argv.push_back(arg.data());
    lens.push_back(arg.size());
  }
  return redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data());
}

// The AUTH a connection starts with: AUTH <user> <password> with an ACL user, AUTH
// <password> with only a password, none without either.
inline std::optional<Command> AuthCommand(const std::string& username,
                                          const std::string& password) {
  if (!username.empty()) return Command{"AUTH", username, password};
  if (!password.empty()) return Command{"AUTH", password};
  return std::nullopt;
}

inline timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = ms.count() / 1000;
  tv.tv_usec = (ms.count() % 1000) * 1000;
  return tv;
}

}  // namespace observd
