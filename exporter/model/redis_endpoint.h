// RedisEndpoint is which server one of observd's Redis clients is connected to, and
// EndpointSource the read side of whoever tracks them (redis/EndpointBoard), so that
// status/ lists endpoints without linking the Redis client. Plain data and an
// interface; implementations say their own thread-safety.
#pragma once

#include <string>
#include <vector>

namespace observd {

struct RedisEndpoint {
  std::string client;  // "snapshot", "sampler", ...
  std::string addr;    // host:port or unix path of the server; never credentials.
  std::string role;    // "master", "replica" or "unknown" (ROLE refused).
  bool operator==(const RedisEndpoint&) const = default;
};

class EndpointSource {
 public:
  virtual ~EndpointSource() = default;
  // The connected clients' endpoints, ordered by client name.
  virtual std::vector<RedisEndpoint> Current() const = 0;
};

}  // namespace observd
