// Pipelining is what makes a 10^6-upload backfill take seconds instead of minutes: one
// round trip per `batch` commands instead of one per command.

#include "demo/redis_pipe.h"

#include <algorithm>
#include <vector>

namespace observd::demo {
namespace {

constexpr timeval kConnectTimeout = {2, 0};
constexpr timeval kCommandTimeout = {10, 0};

}  // namespace

RedisPipe::RedisPipe(RedisAddress address, std::string username, std::string password, int batch)
    : address_(std::move(address)),
      username_(std::move(username)),
      password_(std::move(password)),
      batch_(std::max(batch, 2)) {}

void RedisPipe::Fail(const char* what) {
  error_ = std::string(what) + ": " + (ctx_ && ctx_->errstr[0] ? ctx_->errstr : "unknown error");
  ctx_.reset();
  queued_ = 0;
}

std::string RedisPipe::Connect() {
  ctx_.reset();
  queued_ = 0;
  redisContext* raw = address_.kind == RedisAddress::Kind::kUnix
                          ? redisConnectUnixWithTimeout(address_.path.c_str(), kConnectTimeout)
                          : redisConnectWithTimeout(address_.server.host.c_str(),
                                                    address_.server.port, kConnectTimeout);
  if (raw == nullptr) return error_ = "connect: out of memory";
  ctx_.reset(raw);
  if (ctx_->err) {
    Fail("connect");
    return error_;
  }
  redisSetTimeout(ctx_.get(), kCommandTimeout);
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
  if (!username_.empty() && !check({"AUTH", username_, password_}, "AUTH")) return error_;
  if (username_.empty() && !password_.empty() && !check({"AUTH", password_}, "AUTH")) {
    return error_;
  }
  if (address_.db != 0 && !check({"SELECT", std::to_string(address_.db)}, "SELECT")) {
    return error_;
  }
  if (!check({"PING"}, "PING")) return error_;
  error_.clear();
  return "";
}

void RedisPipe::Append(const Command& command) {
  if (!ctx_) {
    ++dropped_;
    return;
  }
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(command.size());
  lens.reserve(command.size());
  for (const std::string& arg : command) {
    argv.push_back(arg.data());  // with explicit lengths: binary-safe like %b.
    lens.push_back(arg.size());
  }
  if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data()) !=
      REDIS_OK) {
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
