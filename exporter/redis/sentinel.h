// Sentinel discovery for redis-sentinel:// addresses: asks the sentinels which host
// is the current master of a named group, and reads ROLE replies. Blocking I/O bounded
// by the given timeouts; no shared state (thread-compatible). Used by RedisClient and
// observd-demo.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "redis/hiredis_handles.h"
#include "util/redis_address.h"
#include "util/result.h"

namespace observd {

// Credentials for the sentinels themselves (their requirepass or an ACL user), which
// may differ from the data nodes'. Empty password: no AUTH. Never logged.
struct SentinelAuth {
  std::string username;  // "" = the default user
  std::string password;
};

// Asks each sentinel in `*sentinels` in turn (each bounded by `connect_timeout` plus
// `command_timeout`) for `master_name` with SENTINEL get-master-addr-by-name, after
// AUTH when `auth` has a password. On success returns the master and moves the
// sentinel that answered to the front of `*sentinels` (so it is asked first next
// time); otherwise fails naming every sentinel's problem.
Result<HostPort> AskSentinelsForMaster(std::vector<HostPort>* sentinels,
                                       const std::string& master_name, const SentinelAuth& auth,
                                       std::chrono::milliseconds connect_timeout,
                                       std::chrono::milliseconds command_timeout);

// The role in a ROLE reply: "master", "replica" (Redis says "slave"), "sentinel", or ""
// when the reply is not a ROLE reply. Pure.
std::string RoleOf(const redisReply* reply);

// Connects to `server` (TCP; IPv6 literals work) with `connect_timeout` and sets
// `command_timeout` on the socket.
Result<ContextPtr> ConnectTcp(const HostPort& server, std::chrono::milliseconds connect_timeout,
                              std::chrono::milliseconds command_timeout);

}  // namespace observd
