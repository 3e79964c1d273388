// EndpointBoard is what observd's Redis clients share: which server each is connected
// to and in what role (a Sentinel failover shows up as a change), for the endpoint info
// metric and the site, and which shared problems (a wrong password) were already
// logged. Written by the RedisClients on connect/disconnect, read at render time.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "model/redis_endpoint.h"

namespace observd {

class EndpointBoard : public EndpointSource {
 public:
  // `client` is connected to `addr` in `role`.
  void Set(RedisEndpoint endpoint);
  // `client` has no connection (its endpoint is unknown until it reconnects).
  void Clear(const std::string& client);
  // The connected clients' endpoints, ordered by client name.
  std::vector<RedisEndpoint> Current() const override;

  // True for the first client to report `problem` since a client last connected, so
  // a problem every client hits (a wrong password) is logged once, not once each.
  bool FirstToReport(const std::string& problem);

 private:
  mutable std::mutex mu_;
  std::map<std::string, RedisEndpoint> by_client_;  // guarded by mu_
  std::set<std::string> reported_;                  // guarded by mu_
};

}  // namespace observd
