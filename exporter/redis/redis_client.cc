#include "redis/redis_client.h"

#include <spdlog/spdlog.h>

#include <string_view>

#include "redis/sentinel.h"

namespace observd {

bool IsRefusal(const redisReply* r) {
  return r && r->type == REDIS_REPLY_ERROR &&
         !std::string_view(r->str, r->len).starts_with("WRONGTYPE");
}

namespace {

constexpr std::chrono::milliseconds kBackoffStart{100};

bool StartsWith(const redisReply* r, std::string_view prefix) {
  return r && r->type == REDIS_REPLY_ERROR && std::string_view(r->str, r->len).starts_with(prefix);
}

}  // namespace

RedisClient::RedisClient(RedisOptions options, std::function<void()> on_error)
    : options_(std::move(options)),
      on_error_(std::move(on_error)),
      sentinels_(options_.address.sentinels) {}

void RedisClient::Drop() {
  ctx_.reset();
  if (options_.endpoints) options_.endpoints->Clear(options_.name);
}

void RedisClient::Fail(const std::string& error) {
  Drop();
  if (on_error_) on_error_();
  backoff_ = backoff_.count() ? std::min(backoff_ * 2, options_.backoff_max)
                              : std::min(kBackoffStart, options_.backoff_max);
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  if (!healthy_) return;
  healthy_ = false;
  if (error.starts_with("AUTH failed")) {
    // Every client has the same credentials: one line for all of them. The reply
    // text (WRONGPASS, ...) never contains the password.
    if (options_.endpoints && !options_.endpoints->FirstToReport("auth")) return;
    spdlog::error(
        "redis authentication failed client={} addr={} user={} err=\"{}\" (check "
        "redis.username and the password file; retrying every {} ms at most)",
        options_.name, options_.address.ToString(),
        options_.username.empty() ? "default" : options_.username, error,
        options_.backoff_max.count());
  } else {
    spdlog::warn("redis connection lost client={} addr={} err=\"{}\"", options_.name,
                 options_.address.ToString(), error);
  }
}

ContextPtr RedisClient::Open(std::string* endpoint, std::string* error) {
  const RedisAddress& a = options_.address;
  if (a.kind == RedisAddress::Kind::kUnix) {
    *endpoint = a.path;
    ContextPtr ctx(
        redisConnectUnixWithTimeout(a.path.c_str(), ToTimeval(options_.connect_timeout)));
    if (!ctx || ctx->err) {
      *error = ctx ? std::string("connect: ") + ctx->errstr : "connect: out of memory";
      return nullptr;
    }
    if (redisSetTimeout(ctx.get(), ToTimeval(options_.command_timeout)) != REDIS_OK) {
      *error = "cannot set the command timeout";
      return nullptr;
    }
    return ctx;
  }
  HostPort server = a.server;
  if (a.kind == RedisAddress::Kind::kSentinel &&
      !AskSentinelsForMaster(&sentinels_, a.master_name, options_.sentinel_auth,
                             options_.connect_timeout, options_.command_timeout, &server, error)) {
    return nullptr;
  }
  *endpoint = server.ToString();
  ContextPtr ctx = ConnectTcp(server, options_.connect_timeout, options_.command_timeout, error);
  if (!ctx && a.kind == RedisAddress::Kind::kSentinel) *error += " (master " + *endpoint + ")";
  return ctx;
}

bool RedisClient::Handshake(std::string* role, std::string* error) {
  std::vector<Command> setup;
  if (auto auth = AuthCommand(options_.username, options_.password)) setup.push_back(*auth);
  if (options_.address.db != 0) setup.push_back({"SELECT", std::to_string(options_.address.db)});
  setup.push_back({"ROLE"});
  // Exchange, not Pipeline: a refused AUTH/SELECT is one failure, counted by Fail.
  std::vector<ReplyPtr> replies;
  if (!Exchange(setup, &replies, error)) return false;
  for (size_t i = 0; i + 1 < replies.size(); ++i) {
    if (replies[i]->type == REDIS_REPLY_ERROR) {
      *error = setup[i][0] + " failed: " + std::string(replies[i]->str, replies[i]->len);
      Fail(*error);
      return false;
    }
  }
  // ROLE may be refused by an ACL; only Sentinel mode depends on the answer.
  *role = RoleOf(replies.back().get());
  if (options_.address.kind == RedisAddress::Kind::kSentinel && *role != "master") {
    *error = "the server the sentinels named is not a master (role " +
             (role->empty() ? std::string("unknown; is ROLE allowed?") : *role) + ")";
    Fail(*error);
    return false;
  }
  if (role->empty()) *role = "unknown";
  return true;
}

bool RedisClient::EnsureConnected(std::string* error) {
  if (ctx_) return true;
  if (std::chrono::steady_clock::now() < next_attempt_) {
    *error = "reconnect backoff pending";
    return false;
  }
  std::string endpoint;
  ctx_ = Open(&endpoint, error);
  if (!ctx_) {
    Fail(*error);
    return false;
  }
  std::string role;
  if (!Handshake(&role, error)) return false;
  if (options_.endpoints) options_.endpoints->Set({options_.name, endpoint, role});
  if (!healthy_) {
    spdlog::info("redis connection restored client={} addr={} endpoint={} role={}", options_.name,
                 options_.address.ToString(), endpoint, role);
    healthy_ = true;
  }
  backoff_ = std::chrono::milliseconds{0};
  return true;
}

bool RedisClient::Exchange(const std::vector<Command>& commands, std::vector<ReplyPtr>* replies,
                           std::string* error) {
  for (const auto& cmd : commands) {
    if (AppendCommand(ctx_.get(), cmd) != REDIS_OK) {
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
  return true;
}

bool RedisClient::Pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>* replies,
                           std::string* error) {
  if (!EnsureConnected(error) || !Exchange(commands, replies, error)) return false;
  // Refusals (NOAUTH, LOADING, BUSY, ...) are failed operations too; WRONGTYPE is
  // the application's data being of another type, which the caller reads as unknown.
  for (const auto& r : *replies) {
    if (IsRefusal(r.get())) {
      if (on_error_) on_error_();
      break;
    }
  }
  for (const auto& r : *replies) {
    if (StartsWith(r.get(), "READONLY")) {
      // A demoted master (failover): reconnect, which asks the sentinels again.
      spdlog::warn("redis server turned read-only (failover?); reconnecting client={} addr={}",
                   options_.name, options_.address.ToString());
      Drop();
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
