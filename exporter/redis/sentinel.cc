// Follows the Sentinel client guidelines (redis.io "Sentinel client spec"): ask the
// sentinels in order, stop at the first that knows the master, move it to the front,
// and have the caller verify with ROLE that the address really is a master.
#include "redis/sentinel.h"

#include <algorithm>
#include <string_view>

#include "util/host_port.h"

namespace observd {
namespace {

std::string ReplyText(const redisReply* r) { return std::string(r->str, r->len); }

// AUTH on a sentinel (the server's text never holds the password).
Result<> Authenticate(redisContext* ctx, const SentinelAuth& auth) {
  auto command = AuthCommand(auth.username, auth.password);
  if (!command) return Ok();
  void* raw = nullptr;
  if (AppendCommand(ctx, *command) != REDIS_OK || redisGetReply(ctx, &raw) != REDIS_OK) {
    return Fail(ctx->errstr[0] ? ctx->errstr : "no reply");
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  if (!reply) return Fail("no reply");
  if (reply->type == REDIS_REPLY_ERROR) {
    return Fail("AUTH failed: " + ReplyText(reply.get()).substr(0, 120));
  }
  return Ok();
}

// The master one sentinel names.
Result<HostPort> AskOne(const HostPort& sentinel, const std::string& master_name,
                        const SentinelAuth& auth, std::chrono::milliseconds connect_timeout,
                        std::chrono::milliseconds command_timeout) {
  auto ctx = ConnectTcp(sentinel, connect_timeout, command_timeout);
  if (!ctx) return Fail(ctx.error());
  if (auto ok = Authenticate(ctx->get(), auth); !ok) return Fail(ok.error());
  ReplyPtr reply(static_cast<redisReply*>(redisCommand(
      ctx->get(), "SENTINEL get-master-addr-by-name %b", master_name.data(), master_name.size())));
  if (!reply) return Fail((*ctx)->errstr[0] ? (*ctx)->errstr : "no reply");
  if (reply->type == REDIS_REPLY_ERROR) return Fail(ReplyText(reply.get()).substr(0, 120));
  if (reply->type == REDIS_REPLY_NIL) return Fail("does not know master '" + master_name + "'");
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_STRING) {
    return Fail("unexpected reply to SENTINEL get-master-addr-by-name");
  }
  const std::optional<long> port = ParseBoundedInt(ReplyText(reply->element[1]), 1, 65535);
  if (!port || reply->element[0]->len == 0) {
    return Fail("unexpected master address in the sentinel's reply");
  }
  return HostPort{ReplyText(reply->element[0]), static_cast<int>(*port)};
}

}  // namespace

Result<ContextPtr> ConnectTcp(const HostPort& server, std::chrono::milliseconds connect_timeout,
                              std::chrono::milliseconds command_timeout) {
  ContextPtr ctx(
      redisConnectWithTimeout(server.host.c_str(), server.port, ToTimeval(connect_timeout)));
  if (!ctx || ctx->err) {
    return Fail(ctx ? std::string("connect: ") + ctx->errstr : "connect: out of memory");
  }
  if (redisSetTimeout(ctx.get(), ToTimeval(command_timeout)) != REDIS_OK) {
    return Fail("cannot set the command timeout");
  }
  redisEnableKeepAlive(ctx.get());
  return ctx;
}

Result<HostPort> AskSentinelsForMaster(std::vector<HostPort>* sentinels,
                                       const std::string& master_name, const SentinelAuth& auth,
                                       std::chrono::milliseconds connect_timeout,
                                       std::chrono::milliseconds command_timeout) {
  std::string problems;
  for (size_t i = 0; i < sentinels->size(); ++i) {
    const HostPort sentinel = (*sentinels)[i];
    auto master = AskOne(sentinel, master_name, auth, connect_timeout, command_timeout);
    if (master) {
      std::rotate(sentinels->begin(), sentinels->begin() + static_cast<std::ptrdiff_t>(i),
                  sentinels->begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return master;
    }
    if (!problems.empty()) problems += "; ";
    problems += sentinel.ToString() + ": " + master.error();
  }
  return Fail("no sentinel named the master of '" + master_name + "' (" + problems + ")");
}

std::string RoleOf(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements == 0 ||
      r->element[0]->type != REDIS_REPLY_STRING) {
    return "";
  }
  const std::string_view role(r->element[0]->str, r->element[0]->len);
  if (role == "master") return "master";
  if (role == "slave" || role == "replica") return "replica";
  if (role == "sentinel") return "sentinel";
  return "";
}

}  // namespace observd
