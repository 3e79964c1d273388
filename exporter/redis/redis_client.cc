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

void RedisClient::Failed(const std::string& error) {
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

Result<RedisClient::Opened> RedisClient::Open() {
  const RedisAddress& a = options_.address;
  if (a.kind == RedisAddress::Kind::kUnix) {
    ContextPtr ctx(
        redisConnectUnixWithTimeout(a.path.c_str(), ToTimeval(options_.connect_timeout)));
    if (!ctx || ctx->err) {
      return Fail(ctx ? std::string("connect: ") + ctx->errstr : "connect: out of memory");
    }
    if (redisSetTimeout(ctx.get(), ToTimeval(options_.command_timeout)) != REDIS_OK) {
      return Fail("cannot set the command timeout");
    }
    return Opened{std::move(ctx), a.path};
  }
  HostPort server = a.server;
  if (a.kind == RedisAddress::Kind::kSentinel) {
    auto master = AskSentinelsForMaster(&sentinels_, a.master_name, options_.sentinel_auth,
                                        options_.connect_timeout, options_.command_timeout);
    if (!master) return Fail(master.error());
    server = *master;
  }
  const std::string endpoint = server.ToString();
  auto ctx = ConnectTcp(server, options_.connect_timeout, options_.command_timeout);
  if (!ctx) {
    if (a.kind == RedisAddress::Kind::kSentinel)
      return Fail(ctx.error() + " (master " + endpoint + ")");
    return Fail(ctx.error());
  }
  return Opened{std::move(*ctx), endpoint};
}

Result<std::string> RedisClient::Handshake() {
  std::vector<Command> setup;
  if (auto auth = AuthCommand(options_.username, options_.password)) setup.push_back(*auth);
  if (options_.address.db != 0) setup.push_back({"SELECT", std::to_string(options_.address.db)});
  setup.push_back({"ROLE"});
  // Exchange, not Pipeline: a refused AUTH/SELECT is one failure, counted by Failed.
  auto replies = Exchange(setup);
  if (!replies) return Fail(replies.error());
  for (size_t i = 0; i + 1 < replies->size(); ++i) {
    const redisReply* r = (*replies)[i].get();
    if (r->type == REDIS_REPLY_ERROR) {
      std::string error = setup[i][0] + " failed: " + std::string(r->str, r->len);
      Failed(error);
      return Fail(error);
    }
  }
  // ROLE may be refused by an ACL; only Sentinel mode depends on the answer.
  std::string role = RoleOf(replies->back().get());
  if (options_.address.kind == RedisAddress::Kind::kSentinel && role != "master") {
    std::string error = "the server the sentinels named is not a master (role " +
                        (role.empty() ? std::string("unknown; is ROLE allowed?") : role) + ")";
    Failed(error);
    return Fail(error);
  }
  if (role.empty()) role = "unknown";
  return role;
}

Result<> RedisClient::EnsureConnected() {
  if (ctx_) return Ok();
  if (std::chrono::steady_clock::now() < next_attempt_) return Fail("reconnect backoff pending");
  auto opened = Open();
  if (!opened) {
    Failed(opened.error());
    return Fail(opened.error());
  }
  ctx_ = std::move(opened->ctx);
  auto role = Handshake();
  if (!role) return Fail(role.error());
  const std::string& endpoint = opened->endpoint;
  if (options_.endpoints) options_.endpoints->Set({options_.name, endpoint, *role});
  if (!healthy_) {
    spdlog::info("redis connection restored client={} addr={} endpoint={} role={}", options_.name,
                 options_.address.ToString(), endpoint, *role);
    healthy_ = true;
  }
  backoff_ = std::chrono::milliseconds{0};
  return Ok();
}

Result<std::vector<ReplyPtr>> RedisClient::Exchange(const std::vector<Command>& commands) {
  for (const auto& cmd : commands) {
    if (AppendCommand(ctx_.get(), cmd) != REDIS_OK) {
      Failed("append: out of memory");
      return Fail("append: out of memory");
    }
  }
  if (options_.on_sent) options_.on_sent(commands.size());
  std::vector<ReplyPtr> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    bool over_bound = false;
    auto reply = NextReply(&over_bound);
    if (!reply) {
      if (over_bound) {
        OverBound(reply.error());
      } else {
        Failed(reply.error());
      }
      return Fail(reply.error());
    }
    replies.push_back(std::move(*reply));
  }
  return replies;
}

void RedisClient::OverBound(const std::string& error) {
  Drop();
  if (on_error_) on_error_();
  if (over_bound_logged_) return;
  over_bound_logged_ = true;
  spdlog::warn(
      "redis reply too large client={} addr={} err=\"{}\" (the connection is opened again; "
      "logged once until the replies fit)",
      options_.name, options_.address.ToString(), error);
}

Result<ReplyPtr> RedisClient::NextReply(bool* over_bound) {
  // redisGetReply's blocking loop, counting what arrives: hiredis keeps a bulk string in
  // its buffer until the whole of it has arrived, whatever its size.
  redisContext* c = ctx_.get();
  auto hiredis_error = [c] { return std::string(c->errstr[0] ? c->errstr : "no reply"); };
  void* raw = nullptr;
  if (redisGetReplyFromReader(c, &raw) != REDIS_OK) return Fail(hiredis_error());
  if (raw) return ReplyPtr(static_cast<redisReply*>(raw));
  for (int done = 0; !done;) {
    if (redisBufferWrite(c, &done) != REDIS_OK) return Fail(hiredis_error());
  }
  // What is buffered but not yet parsed belongs to this reply (or the ones after it).
  size_t received = c->reader->len - c->reader->pos;
  while (!raw) {
    if (received > options_.max_reply_bytes) {
      *over_bound = true;
      return Fail("a reply over " + std::to_string(options_.max_reply_bytes / 1024) +
                  " KiB (not read further)");
    }
    const size_t before = c->reader->len;
    if (redisBufferRead(c) != REDIS_OK) return Fail(hiredis_error());
    received += c->reader->len - before;  // the reader only compacts while parsing
    if (redisGetReplyFromReader(c, &raw) != REDIS_OK) return Fail(hiredis_error());
  }
  return ReplyPtr(static_cast<redisReply*>(raw));
}

Result<std::vector<ReplyPtr>> RedisClient::Pipeline(const std::vector<Command>& commands) {
  if (auto connected = EnsureConnected(); !connected) return Fail(connected.error());
  auto replies = Exchange(commands);
  if (!replies) return replies;
  over_bound_logged_ = false;  // (the handshake's replies do not count)
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
  return replies;
}

RedisPipeline RedisClient::AsPipeline() {
  return [this](const std::vector<Command>& commands) { return Pipeline(commands); };
}

Result<ReplyPtr> RedisClient::Run(const Command& command) {
  auto replies = Pipeline({command});
  if (!replies) return Fail(replies.error());
  return std::move((*replies)[0]);
}

}  // namespace observd
