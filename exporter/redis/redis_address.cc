#include "redis/redis_address.h"

#include <charconv>
#include <climits>

namespace observd {
namespace {

bool ParseInt(std::string_view s, int min, int max, int* out) {
  if (s.empty()) return false;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

std::string RedisAddress::ToString() const {
  if (unix_socket) return "unix://" + path + (db ? "?db=" + std::to_string(db) : "");
  return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

std::optional<RedisAddress> ParseRedisAddress(const std::string& text, std::string* error) {
  RedisAddress a;
  std::string_view s = text;
  if (s.starts_with("unix://")) {
    s.remove_prefix(7);
    a.unix_socket = true;
    auto q = s.find('?');
    a.path = std::string(s.substr(0, q));
    if (a.path.empty() || a.path[0] != '/') {
      *error = "unix socket address needs an absolute path: unix:///path/to/redis.sock";
      return std::nullopt;
    }
    if (q != std::string_view::npos) {
      std::string_view query = s.substr(q + 1);
      if (!query.starts_with("db=") || !ParseInt(query.substr(3), 0, INT_MAX, &a.db)) {
        *error = "unix socket address accepts only ?db=N";
        return std::nullopt;
      }
    }
    return a;
  }
  if (!s.starts_with("redis://")) {
    *error = "expected redis://host:port/db or unix:///path";
    return std::nullopt;
  }
  s.remove_prefix(8);
  if (s.find('@') != std::string_view::npos) {
    *error = "credentials in the address are refused; use --redis.password-file";
    return std::nullopt;
  }
  auto slash = s.find('/');
  std::string_view hostport = s.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = s.substr(slash + 1);
    if (!db.empty() && !ParseInt(db, 0, INT_MAX, &a.db)) {
      *error = "database must be a number: redis://host:port/0";
      return std::nullopt;
    }
  }
  auto colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    if (!ParseInt(hostport.substr(colon + 1), 1, 65535, &a.port)) {
      *error = "port must be 1-65535";
      return std::nullopt;
    }
    hostport = hostport.substr(0, colon);
  }
  if (!hostport.empty()) a.host = std::string(hostport);
  return a;
}

}  // namespace observd
