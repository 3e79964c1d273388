#include "redis/redis_client.h"

#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <string_view>

namespace observd {

bool IsRefusal(const redisReply* r) {
  return r && r->type == REDIS_REPLY_ERROR &&
         !std::string_view(r->str, r->len).starts_with("WRONGTYPE");
}
namespace {

constexpr std::chrono::milliseconds kBackoffStart{100};

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = ms.count() / 1000;
  tv.tv_usec = (ms.count() % 1000) * 1000;
  return tv;
}

bool IsError(const redisReply* r) { return r && r->type == REDIS_REPLY_ERROR; }

}  // namespace

RedisClient::RedisClient(RedisOptions options, std::function<void()> on_error)
    : options_(std::move(options)), on_error_(std::move(on_error)) {}

void RedisClient::Fail(const std::string& error) {
  ctx_.reset();
  if (on_error_) on_error_();
  backoff_ = backoff_.count() ? std::min(backoff_ * 2, options_.backoff_max)
                              : std::min(kBackoffStart, options_.backoff_max);
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  if (healthy_) {
    spdlog::warn("redis connection lost client={} addr={} err=\"{}\"", options_.name,
                 options_.address.ToString(), error);
    healthy_ = false;
  }
}

bool RedisClient::EnsureConnected(std::string* error) {
  if (ctx_) return true;
  if (std::chrono::steady_clock::now() < next_attempt_) {
    *error = "reconnect backoff pending";
    return false;
  }
  const auto& a = options_.address;
  ContextPtr ctx(
      a.unix_socket
          ? redisConnectUnixWithTimeout(a.path.c_str(), ToTimeval(options_.connect_timeout))
          : redisConnectWithTimeout(a.host.c_str(), a.port, ToTimeval(options_.connect_timeout)));
  if (!ctx || ctx->err) {
    *error = ctx ? std::string("connect: ") + ctx->errstr : "connect: out of memory";
    Fail(*error);
    return false;
  }
  if (redisSetTimeout(ctx.get(), ToTimeval(options_.command_timeout)) != REDIS_OK) {
    *error = "cannot set command timeout";
    Fail(*error);
    return false;
  }
  if (!a.unix_socket) redisEnableKeepAlive(ctx.get());
  std::vector<Command> setup;
  if (!options_.password.empty()) setup.push_back({"AUTH", options_.password});
  if (a.db != 0) setup.push_back({"SELECT", std::to_string(a.db)});
  ctx_ = std::move(ctx);
  if (!setup.empty()) {
    std::vector<ReplyPtr> replies;
    if (!Pipeline(setup, &replies, error)) return false;
    for (size_t i = 0; i < replies.size(); ++i) {
      if (IsError(replies[i].get())) {
        // The reply text of a failed AUTH never contains the password.
        *error = (setup[i][0] == "AUTH" ? "AUTH failed: " : "SELECT failed: ") +
                 std::string(replies[i]->str, replies[i]->len);
        Fail(*error);
        return false;
      }
    }
  }
  if (!healthy_) {
    spdlog::info("redis connection restored client={} addr={}", options_.name,
                 options_.address.ToString());
    healthy_ = true;
  }
  backoff_ = std::chrono::milliseconds{0};
  return true;
}

bool RedisClient::Pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>* replies,
                           std::string* error) {
  if (!EnsureConnected(error)) return false;
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const auto& cmd : commands) {
    argv.clear();
    argvlen.clear();
    for (const auto& arg : cmd) {
      argv.push_back(arg.data());
      argvlen.push_back(arg.size());
    }
    if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(),
                               argvlen.data()) != REDIS_OK) {
      *error = "append: out of memory";
      Fail(*error);
      return false;
    }
  }
  replies->clear();
  replies->reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
      *error = ctx_->errstr[0] ? ctx_->errstr : "no reply";
      Fail(*error);
      return false;
    }
    replies->emplace_back(static_cast<redisReply*>(raw));
  }
  // Refusals (NOAUTH, LOADING, BUSY, ...) are failed operations too; WRONGTYPE is
  // the application's data being of another type, which the caller reads as unknown.
  for (const auto& r : *replies) {
    if (IsRefusal(r.get())) {
      if (on_error_) on_error_();
      break;
    }
  }
  return true;
}

bool RedisClient::Run(const Command& command, ReplyPtr* reply, std::string* error) {
  std::vector<ReplyPtr> replies;
  if (!Pipeline({command}, &replies, error)) return false;
  *reply = std::move(replies[0]);
  return true;
}

}  // namespace observd
