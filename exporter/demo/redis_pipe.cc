// Pipelining is what makes a 10^6-upload backfill take seconds instead of minutes: one
// round trip per `batch` commands instead of one per command.

#include "demo/redis_pipe.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace observd::demo {
namespace {

bool ParseInt(std::string_view s, int lo, int hi, int* out) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

constexpr timeval kConnectTimeout = {2, 0};
constexpr timeval kCommandTimeout = {10, 0};

}  // namespace

std::string ParseRedisAddress(std::string_view text, RedisAddress* out) {
  RedisAddress a;
  if (text.starts_with("unix://")) {
    std::string_view rest = text.substr(7);
    if (size_t q = rest.find('?'); q != std::string_view::npos) {
      std::string_view query = rest.substr(q + 1);
      rest = rest.substr(0, q);
      if (!query.starts_with("db=") || !ParseInt(query.substr(3), 0, 1 << 20, &a.db)) {
        return "unix address: only ?db=<number> is understood";
      }
    }
    if (!rest.starts_with('/')) return "unix address needs an absolute path: unix:///path";
    a.unix_path = std::string(rest);
    *out = a;
    return "";
  }
  if (!text.starts_with("redis://")) return "want redis://host:port/db or unix:///path";
  std::string_view rest = text.substr(8);
  if (rest.find('@') != std::string_view::npos) {
    return "no credentials in the address; use --redis.password-file";
  }
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && !ParseInt(db, 0, 1 << 20, &a.db)) return "bad database number";
  }
  std::string_view port;
  if (rest.starts_with('[')) {  // [::1]:6379
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in IPv6 host";
    a.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return "junk after IPv6 host";
      port = after.substr(1);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    a.host = std::string(rest.substr(0, colon));
    port = rest.substr(colon + 1);
  } else {
    a.host = std::string(rest);
  }
  if (a.host.empty()) return "empty host";
  if (!port.empty() && !ParseInt(port, 1, 65535, &a.port)) return "bad port";
  *out = a;
  return "";
}

RedisPipe::RedisPipe(RedisAddress address, std::string password, int batch)
    : address_(std::move(address)), password_(std::move(password)), batch_(std::max(batch, 2)) {}

void RedisPipe::Fail(const char* what) {
  error_ = std::string(what) + ": " + (ctx_ && ctx_->errstr[0] ? ctx_->errstr : "unknown error");
  ctx_.reset();
  queued_ = 0;
}

std::string RedisPipe::Connect() {
  ctx_.reset();
  queued_ = 0;
  redisContext* raw =
      address_.unix_path.empty()
          ? redisConnectWithTimeout(address_.host.c_str(), address_.port, kConnectTimeout)
          : redisConnectUnixWithTimeout(address_.unix_path.c_str(), kConnectTimeout);
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
  if (!password_.empty() && !check({"AUTH", password_}, "AUTH")) return error_;
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
