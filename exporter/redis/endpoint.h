// EndpointBoard records which Redis server each observd client is connected to and in
// what role (a Sentinel failover shows up as a change), for the endpoint info metric
// and the site. Written by the RedisClients on connect/disconnect, read at render time.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace observd {

struct RedisEndpoint {
  std::string client;  // "snapshot", "sampler", ...
  std::string addr;    // host:port or unix path of the server; never credentials.
  std::string role;    // "master", "replica" or "unknown" (ROLE refused).
  bool operator==(const RedisEndpoint&) const = default;
};

class EndpointBoard {
 public:
  // `client` is connected to `addr` in `role`.
  void Set(RedisEndpoint endpoint);
  // `client` has no connection (its endpoint is unknown until it reconnects).
  void Clear(const std::string& client);
  // The connected clients' endpoints, ordered by client name.
  std::vector<RedisEndpoint> Current() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, RedisEndpoint> by_client_;  // guarded by mu_
};

}  // namespace observd
