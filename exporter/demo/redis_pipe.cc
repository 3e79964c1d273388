// Pipelining is what makes a 10^6-upload backfill take seconds instead of minutes: one
// round trip per `batch` commands instead of one per command.

#include "demo/redis_pipe.h"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <vector>

#include "redis/sentinel.h"

namespace observd::demo {
namespace {

constexpr std::chrono::milliseconds kConnectTimeout{2000};
constexpr std::chrono::milliseconds kCommandTimeout{10000};
constexpr std::chrono::milliseconds kSentinelTimeout{1000};

}  // namespace

RedisPipe::RedisPipe(RedisAddress address, std::string username, std::string password, int batch)
    : address_(std::move(address)),
      username_(std::move(username)),
      password_(std::move(password)),
      batch_(std::max(batch, 2)),
      sentinels_(address_.sentinels) {}

void RedisPipe::Fail(const char* what) {
  error_ = std::string(what) + ": " + (ctx_ && ctx_->errstr[0] ? ctx_->errstr : "unknown error");
  ctx_.reset();
  queued_ = 0;
}

std::string RedisPipe::Open() {
  if (address_.kind == RedisAddress::Kind::kUnix) {
    ctx_.reset(redisConnectUnixWithTimeout(address_.path.c_str(), ToTimeval(kConnectTimeout)));
    if (!ctx_) return "connect: out of memory";
    if (ctx_->err) {
      Fail("connect");
      return error_;
    }
    redisSetTimeout(ctx_.get(), ToTimeval(kCommandTimeout));
    return "";
  }
  HostPort server = address_.server;
  if (address_.kind == RedisAddress::Kind::kSentinel) {
    auto master = AskSentinelsForMaster(&sentinels_, address_.master_name, {}, kSentinelTimeout,
                                        kSentinelTimeout);
    if (!master) return master.error();
    server = *master;
  }
  auto ctx = ConnectTcp(server, kConnectTimeout, kCommandTimeout);
  if (!ctx) return ctx.error();
  ctx_ = std::move(*ctx);
  return "";
}

std::string RedisPipe::Connect() {
  ctx_.reset();
  queued_ = 0;
  if (std::string error = Open(); !error.empty()) {
    ctx_.reset();
    return error_ = error;
  }
  auto check = [&](const Command& cmd, const char* what) {
    ReplyPtr r = Call(cmd);
    if (!r) return false;
    if (r->type == REDIS_REPLY_ERROR) {
      error_ = std::string(what) + ": " + std::string(r->str, r->len);
      ctx_.reset();
      return false;
    }
    return true;
  };
  if (auto auth = AuthCommand(username_, password_); auth && !check(*auth, "AUTH")) return error_;
  if (address_.db != 0 && !check({"SELECT", std::to_string(address_.db)}, "SELECT")) {
    return error_;
  }
  if (!check({"PING"}, "PING")) return error_;
  if (address_.kind == RedisAddress::Kind::kSentinel) {
    ReplyPtr role = Call({"ROLE"});
    if (!role) return error_;
    if (RoleOf(role.get()) != "master") {
      ctx_.reset();
      return error_ = "the server the sentinels named is not a master";
    }
  }
  error_.clear();
  return "";
}

void RedisPipe::Append(const Command& command) {
  if (!ctx_) {
    ++dropped_;
    return;
  }
  if (AppendCommand(ctx_.get(), command) != REDIS_OK) {
    Fail("append");
    return;
  }
  // Keep one batch in flight: read the older batch's replies while Redis works on the
  // newer one, so client and server overlap instead of taking turns.
  if (++queued_ >= 2 * batch_) Drain(batch_);
}

bool RedisPipe::Flush() { return Drain(queued_); }

bool RedisPipe::Drain(int replies) {
  for (; ctx_ && replies > 0; --replies) {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK) {
      Fail("reply");
      return false;
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    --queued_;
    if (reply && reply->type == REDIS_REPLY_ERROR) {
      if (reply_errors_++ == 0) first_reply_error_.assign(reply->str, reply->len);
      if (std::string_view(reply->str, reply->len).starts_with("READONLY")) {
        error_ = "READONLY: the master was demoted";
        ctx_.reset();
        queued_ = 0;
        return false;
      }
    }
  }
  return ctx_ != nullptr;
}

ReplyPtr RedisPipe::Call(const Command& command) {
  if (!Flush()) return nullptr;
  Append(command);
  if (!ctx_) return nullptr;
  void* raw = nullptr;
  if (redisGetReply(ctx_.get(), &raw) != REDIS_OK) {
    Fail("reply");
    return nullptr;
  }
  queued_ = 0;
  return ReplyPtr(static_cast<redisReply*>(raw));
}

}  // namespace observd::demo
