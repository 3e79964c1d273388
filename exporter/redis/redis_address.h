// RedisAddress parses the --redis.addr forms (redis://host:port/db, unix:///path?db=N).
// Pure and thread-compatible.
#pragma once

#include <optional>
#include <string>

namespace observd {

struct RedisAddress {
  bool unix_socket = false;
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string path;  // unix socket path
  int db = 0;
  std::string ToString() const;  // never contains credentials.
};

// Returns the address or nullopt with `*error` set. Credentials in the URL
// (redis://user:pass@host) are refused: the password comes from a file.
std::optional<RedisAddress> ParseRedisAddress(const std::string& text, std::string* error);

}  // namespace observd
