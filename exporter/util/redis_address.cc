#include "util/redis_address.h"

#include <climits>

#include "util/host_port.h"
#include "util/quote.h"

namespace observd {
namespace {

constexpr size_t kMaxSentinels = 16;
constexpr char kForms[] =
    "expected redis://[user@]host:port/db, unix:///path?db=N or "
    "redis-sentinel://[user@]host:port[,host:port...]/master/db";

bool IsMasterName(std::string_view s) {
  return !s.empty() &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
             std::string_view::npos;
}

// "host[:port]" with `default_port`; an empty host is `empty_host` ("" = refused).
std::string ParseServer(std::string_view text, int default_port, const char* empty_host,
                        HostPort* out) {
  std::string host;
  std::string port_text;
  if (std::string err = SplitHostPort(text, &host, &port_text); !err.empty()) return err;
  if (host.empty()) {
    if (empty_host[0] == '\0') return "empty host";
    host = empty_host;
  } else if (host.find(':') == std::string::npos && !IsIPv4Literal(host) && !IsHostName(host)) {
    return "invalid host name";
  }
  long port = default_port;
  if (!port_text.empty() && !ParseBoundedInt(port_text, 1, 65535, &port)) {
    return "port must be a number 1..65535";
  }
  *out = HostPort{host, static_cast<int>(port)};
  return "";
}

std::string ParseDb(std::string_view text, int* db) {
  long v = 0;
  if (text.empty()) return "";
  if (!ParseBoundedInt(text, 0, INT_MAX, &v)) return "database must be a number";
  *db = static_cast<int>(v);
  return "";
}

std::string ParseUnix(std::string_view rest, RedisAddress* a) {
  a->kind = RedisAddress::Kind::kUnix;
  const size_t q = rest.find('?');
  a->path = std::string(rest.substr(0, q));
  if (a->path.size() < 2 || a->path[0] != '/') return "unix socket path must be absolute";
  for (char c : a->path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "unix socket path must not contain control characters";
    }
  }
  if (q == std::string_view::npos) return "";
  const std::string_view query = rest.substr(q + 1);
  if (!query.starts_with("db=") || query.size() == 3) return "unix address accepts only ?db=N";
  return ParseDb(query.substr(3), &a->db);
}

std::string ParseTcp(std::string_view authority, std::string_view path, RedisAddress* a) {
  if (std::string err = ParseServer(authority, kDefaultRedisPort, "127.0.0.1", &a->server);
      !err.empty()) {
    return err;
  }
  return ParseDb(path, &a->db);
}

std::string ParseSentinel(std::string_view authority, std::string_view path, RedisAddress* a) {
  a->kind = RedisAddress::Kind::kSentinel;
  while (true) {
    const size_t comma = authority.find(',');
    HostPort s;
    if (std::string err = ParseServer(authority.substr(0, comma), kDefaultSentinelPort, "", &s);
        !err.empty()) {
      return "sentinel " + std::to_string(a->sentinels.size() + 1) + ": " + err;
    }
    a->sentinels.push_back(std::move(s));
    if (a->sentinels.size() > kMaxSentinels) return "more than 16 sentinels";
    if (comma == std::string_view::npos) break;
    authority.remove_prefix(comma + 1);
  }
  const size_t slash = path.find('/');
  const std::string_view name = path.substr(0, slash);
  if (!IsMasterName(name)) return "expected the master name after the sentinels: /mymaster/0";
  a->master_name = std::string(name);
  return slash == std::string_view::npos ? "" : ParseDb(path.substr(slash + 1), &a->db);
}

}  // namespace

bool IsRedisUserName(std::string_view s) {
  for (char c : s) {
    if (c <= ' ' || c > '~' || c == ':' || c == '@' || c == '/' || c == '?' || c == '#') {
      return false;
    }
  }
  return !s.empty();
}

std::string HostPort::ToString() const { return JoinHostPort(host, port); }

std::string RedisAddress::ToString() const {
  const std::string db_text = std::to_string(db);
  switch (kind) {
    case Kind::kUnix:
      return "unix://" + path + (db ? "?db=" + db_text : "");
    case Kind::kSentinel: {
      std::string list;
      for (const HostPort& s : sentinels) {
        if (!list.empty()) list += ',';
        list += s.ToString();
      }
      return "redis-sentinel://" + list + "/" + master_name + "/" + db_text;
    }
    case Kind::kTcp:
      break;
  }
  return "redis://" + server.ToString() + "/" + db_text;
}

std::optional<RedisAddress> ParseRedisAddress(std::string_view text, std::string* error) {
  if (text.starts_with("rediss://")) {
    *error =
        "rediss:// (TLS) is not supported: hiredis 0.14 has no TLS; run the stunnel tunnel "
        "(observd-redis-tunnel.service, README \"Redis connections\") and point redis.addr at "
        "it";
    return std::nullopt;
  }
  const auto fail = [&](const std::string& problem) {
    *error = "invalid redis address " + QuoteForError(text, 120) + ": " + problem;
    return std::nullopt;
  };
  RedisAddress a;
  std::string problem;
  if (text.starts_with("unix://")) {
    problem = ParseUnix(text.substr(7), &a);
    if (!problem.empty()) return fail(problem + "; " + kForms);
    return a;
  }
  const bool sentinel = text.starts_with("redis-sentinel://");
  if (!sentinel && !text.starts_with("redis://")) return fail(kForms);
  std::string_view rest = text.substr(sentinel ? 17 : 8);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user = authority.substr(0, at);
    if (user.find(':') != std::string_view::npos) {
      *error =
          "credentials in the redis address are not allowed: put the password in the file "
          "named by redis.password_file (only a user name may come before '@')";
      return std::nullopt;
    }
    if (!IsRedisUserName(user)) return fail("invalid user name before '@'");
    a.username = std::string(user);
    authority.remove_prefix(at + 1);
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return fail("query parameters are not supported");
  }
  problem = sentinel ? ParseSentinel(authority, path, &a) : ParseTcp(authority, path, &a);
  if (!problem.empty()) return fail(problem + "; " + kForms);
  return a;
}

}  // namespace observd
