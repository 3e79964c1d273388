// The one Redis address grammar, shared by observd (config, flags, client) and
// observd-demo: redis://[user@]host[:port][/db], unix:///path[?db=N] and
// redis-sentinel://[user@]host[:port][,host[:port]...]/master[/db]. Hosts are IPv4, DNS
// names or bracketed IPv6 literals. Passwords never go in the address. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace observd {

inline constexpr int kDefaultRedisPort = 6379;
inline constexpr int kDefaultSentinelPort = 26379;

struct HostPort {
  std::string host;
  int port = 0;
  std::string ToString() const;  // "host:port", "[v6]:port".
  bool operator==(const HostPort&) const = default;
};

struct RedisAddress {
  enum class Kind { kTcp, kUnix, kSentinel };
  Kind kind = Kind::kTcp;
  HostPort server{"127.0.0.1", kDefaultRedisPort};  // kTcp.
  std::string path;                                 // kUnix: absolute socket path.
  std::vector<HostPort> sentinels;                  // kSentinel, in the given order.
  std::string master_name;                          // kSentinel.
  std::string username;                             // ACL user ("user@"); "" = default.
  int db = 0;

  // The canonical address without the user name, for logs and metric labels.
  std::string ToString() const;
  bool operator==(const RedisAddress&) const = default;
};

// An ACL user name as observd accepts it (in "user@" or redis.username): printable
// ASCII without spaces, ':', '@', '/', '?' or '#'.
bool IsRedisUserName(std::string_view name);

// The address, or one line naming the problem. rediss:// is refused with a pointer to
// the TLS tunnel recipe; "user:password@" is refused without echoing the address.
Result<RedisAddress> ParseRedisAddress(std::string_view text);

}  // namespace observd
