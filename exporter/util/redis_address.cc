#include "util/redis_address.h"

#include <climits>

#include "util/field_list.h"
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
Result<HostPort> ParseServer(std::string_view text, int default_port, const char* empty_host) {
  Result<HostPortText> split = SplitHostPort(text);
  if (!split.ok()) return Fail(split.error());
  std::string host = split->host;
  if (host.empty()) {
    if (empty_host[0] == '\0') return Fail("empty host");
    host = empty_host;
  } else if (host.find(':') == std::string::npos && !IsIPv4Literal(host) && !IsHostName(host)) {
    return Fail("invalid host name");
  }
  const std::optional<long> port = split->port.empty() ? std::optional<long>(default_port)
                                                       : ParseBoundedInt(split->port, 1, 65535);
  if (!port) return Fail("port must be a number 1..65535");
  return HostPort{host, static_cast<int>(*port)};
}

// The database number; "" is database 0.
Result<int> ParseDb(std::string_view text) {
  const std::optional<long> v =
      text.empty() ? std::optional<long>(0) : ParseBoundedInt(text, 0, INT_MAX);
  if (!v) return Fail("database must be a number");
  return static_cast<int>(*v);
}

Result<> ParseUnix(std::string_view rest, RedisAddress* a) {
  a->kind = RedisAddress::Kind::kUnix;
  const size_t q = rest.find('?');
  a->path = std::string(rest.substr(0, q));
  if (a->path.size() < 2 || a->path[0] != '/') return Fail("unix socket path must be absolute");
  for (char c : a->path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Fail("unix socket path must not contain control characters");
    }
  }
  if (q == std::string_view::npos) return Ok();
  const std::string_view query = rest.substr(q + 1);
  if (!query.starts_with("db=") || query.size() == 3) {
    return Fail("unix address accepts only ?db=N");
  }
  Result<int> db = ParseDb(query.substr(3));
  if (!db.ok()) return Fail(db.error());
  a->db = *db;
  return Ok();
}

Result<> ParseTcp(std::string_view authority, std::string_view path, RedisAddress* a) {
  Result<HostPort> server = ParseServer(authority, kDefaultRedisPort, "127.0.0.1");
  if (!server.ok()) return Fail(server.error());
  a->server = std::move(*server);
  Result<int> db = ParseDb(path);
  if (!db.ok()) return Fail(db.error());
  a->db = *db;
  return Ok();
}

Result<> ParseSentinel(std::string_view authority, std::string_view path, RedisAddress* a) {
  a->kind = RedisAddress::Kind::kSentinel;
  std::string problem;
  EveryCommaElement(authority, [&](std::string_view element) {
    Result<HostPort> s = ParseServer(element, kDefaultSentinelPort, "");
    if (!s.ok()) {
      problem = "sentinel " + std::to_string(a->sentinels.size() + 1) + ": " + s.error();
      return false;
    }
    a->sentinels.push_back(std::move(*s));
    if (a->sentinels.size() > kMaxSentinels) problem = "more than 16 sentinels";
    return problem.empty();
  });
  if (!problem.empty()) return Fail(problem);
  const size_t slash = path.find('/');
  const std::string_view name = path.substr(0, slash);
  if (!IsMasterName(name)) {
    return Fail("expected the master name after the sentinels: /mymaster/0");
  }
  a->master_name = std::string(name);
  if (slash == std::string_view::npos) return Ok();
  Result<int> db = ParseDb(path.substr(slash + 1));
  if (!db.ok()) return Fail(db.error());
  a->db = *db;
  return Ok();
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

Result<RedisAddress> ParseRedisAddress(std::string_view text) {
  if (text.starts_with("rediss://")) {
    return Fail(
        "rediss:// (TLS) is not supported: hiredis 0.14 has no TLS; run the stunnel tunnel "
        "(observd-redis-tunnel.service, README \"Redis connections\") and point redis.addr at "
        "it");
  }
  const auto fail = [&](const std::string& problem) {
    return Fail("invalid redis address " + QuoteForError(text, 120) + ": " + problem);
  };
  RedisAddress a;
  if (text.starts_with("unix://")) {
    Result<> unix = ParseUnix(text.substr(7), &a);
    if (!unix.ok()) return fail(unix.error() + "; " + kForms);
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
      return Fail(
          "credentials in the redis address are not allowed: put the password in the file "
          "named by redis.password_file (only a user name may come before '@')");
    }
    if (!IsRedisUserName(user)) return fail("invalid user name before '@'");
    a.username = std::string(user);
    authority.remove_prefix(at + 1);
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return fail("query parameters are not supported");
  }
  Result<> parsed = sentinel ? ParseSentinel(authority, path, &a) : ParseTcp(authority, path, &a);
  if (!parsed.ok()) return fail(parsed.error() + "; " + kForms);
  return a;
}

}  // namespace observd
