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

// AUTH on a sentinel: "" or the problem (the server's text never holds the password).
std::string Authenticate(redisContext* ctx, const SentinelAuth& auth) {
  auto command = AuthCommand(auth.username, auth.password);
  if (!command) return "";
  void* raw = nullptr;
  if (AppendCommand(ctx, *command) != REDIS_OK || redisGetReply(ctx, &raw) != REDIS_OK) {
    return ctx->errstr[0] ? ctx->errstr : "no reply";
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  if (!reply) return "no reply";
  if (reply->type == REDIS_REPLY_ERROR) {
    return "AUTH failed: " + ReplyText(reply.get()).substr(0, 120);
  }
  return "";
}

// One sentinel: "" and `*master` set, or the problem.
std::string AskOne(const HostPort& sentinel, const std::string& master_name,
                   const SentinelAuth& auth, std::chrono::milliseconds connect_timeout,
                   std::chrono::milliseconds command_timeout, HostPort* master) {
  std::string error;
  ContextPtr ctx = ConnectTcp(sentinel, connect_timeout, command_timeout, &error);
  if (!ctx) return error;
  if (std::string problem = Authenticate(ctx.get(), auth); !problem.empty()) return problem;
  ReplyPtr reply(static_cast<redisReply*>(redisCommand(
      ctx.get(), "SENTINEL get-master-addr-by-name %b", master_name.data(), master_name.size())));
  if (!reply) return ctx->errstr[0] ? ctx->errstr : "no reply";
  if (reply->type == REDIS_REPLY_ERROR) return ReplyText(reply.get()).substr(0, 120);
  if (reply->type == REDIS_REPLY_NIL) return "does not know master '" + master_name + "'";
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_STRING) {
    return "unexpected reply to SENTINEL get-master-addr-by-name";
  }
  long port = 0;
  const std::string port_text = ReplyText(reply->element[1]);
  if (!ParseBoundedInt(port_text, 1, 65535, &port) || reply->element[0]->len == 0) {
    return "unexpected master address in the sentinel's reply";
  }
  *master = HostPort{ReplyText(reply->element[0]), static_cast<int>(port)};
  return "";
}

}  // namespace

ContextPtr ConnectTcp(const HostPort& server, std::chrono::milliseconds connect_timeout,
                      std::chrono::milliseconds command_timeout, std::string* error) {
  ContextPtr ctx(
      redisConnectWithTimeout(server.host.c_str(), server.port, ToTimeval(connect_timeout)));
  if (!ctx || ctx->err) {
    *error = ctx ? std::string("connect: ") + ctx->errstr : "connect: out of memory";
    return nullptr;
  }
  if (redisSetTimeout(ctx.get(), ToTimeval(command_timeout)) != REDIS_OK) {
    *error = "cannot set the command timeout";
    return nullptr;
  }
  redisEnableKeepAlive(ctx.get());
  return ctx;
}

bool AskSentinelsForMaster(std::vector<HostPort>* sentinels, const std::string& master_name,
                           const SentinelAuth& auth, std::chrono::milliseconds connect_timeout,
                           std::chrono::milliseconds command_timeout, HostPort* master,
                           std::string* error) {
  std::string problems;
  for (size_t i = 0; i < sentinels->size(); ++i) {
    const HostPort sentinel = (*sentinels)[i];
    std::string problem =
        AskOne(sentinel, master_name, auth, connect_timeout, command_timeout, master);
    if (problem.empty()) {
      std::rotate(sentinels->begin(), sentinels->begin() + static_cast<std::ptrdiff_t>(i),
                  sentinels->begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return true;
    }
    if (!problems.empty()) problems += "; ";
    problems += sentinel.ToString() + ": " + problem;
  }
  *error = "no sentinel named the master of '" + master_name + "' (" + problems + ")";
  return false;
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
