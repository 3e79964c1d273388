// Config validation: the value forms (addresses, names) and the one pass of rules over a
// whole Config, shared by the YAML loader (which adds file positions) and the flags.
#include "config/config_validate.h"

#include <climits>
#include <set>
#include <string_view>

#include "config/yaml_reader.h"
#include "util/metric_names.h"

namespace observd {
namespace {

// ---------------------------------------------------------------------------
// Value forms

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Decimal 0..max without sign, leading '+' or spaces.
bool ParseBounded(std::string_view s, long max, long* out) {
  if (!IsDigits(s) || s.size() > 10) return false;
  long v = std::stol(std::string(s));
  if (v > max) return false;
  *out = v;
  return true;
}

bool IsIPv4(std::string_view s) {
  int parts = 0;
  while (true) {
    size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    long v = 0;
    if (part.size() > 3 || (part.size() > 1 && part[0] == '0') || !ParseBounded(part, 255, &v)) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool IsHostName(std::string_view s) {
  return !s.empty() && s.size() <= 253 && s.front() != '-' && s.front() != '.' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
             std::string_view::npos;
}

// redis://[host][:port][/db] or unix:///path[?db=N]. Returns "" or the problem; the
// address is echoed only when it cannot carry a password.
std::string CheckRedisAddr(const std::string& addr) {
  const std::string usage =
      "invalid redis address " + YamlReader::Quote(addr) +
      ": expected redis://host:port/db, redis://host or unix:///path/to/redis.sock?db=N";
  std::string_view rest = addr;
  long v = 0;
  if (rest.starts_with("unix://")) {
    rest.remove_prefix(7);
    size_t q = rest.find('?');
    std::string_view path = rest.substr(0, q);
    if (path.size() < 2 || path[0] != '/') return usage;
    if (q != std::string_view::npos) {
      std::string_view query = rest.substr(q + 1);
      if (!query.starts_with("db=") || !ParseBounded(query.substr(3), INT_MAX, &v)) return usage;
    }
    return "";
  }
  if (rest.starts_with("rediss://")) {
    return "rediss:// (TLS) is not supported: hiredis 0.14 has no TLS; use a unix socket or a "
           "local TLS tunnel";
  }
  if (!rest.starts_with("redis://")) return usage;
  rest.remove_prefix(8);
  if (rest.find('@') != std::string_view::npos) {
    return "credentials in the redis address are not allowed: put the password in a file "
           "named by redis.password_file";
  }
  size_t slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ParseBounded(db, INT_MAX, &v)) return usage;
  }
  size_t colon = hostport.rfind(':');
  std::string_view host = hostport.substr(0, colon);
  if (!host.empty() && !IsHostName(host)) return usage;
  if (colon != std::string_view::npos) {
    if (!ParseBounded(hostport.substr(colon + 1), 65535, &v) || v == 0) return usage;
  }
  return "";
}

// ---------------------------------------------------------------------------
// Validation

// A problem with the field it is about (e.g. "web.num_threads") and, for cross-field
// rules, the other field involved, so errors can point at whichever the file set.
using Problem = ConfigProblem;

std::optional<Problem> CheckRange(const char* field, long value, long min, long max) {
  if (value >= min && value <= max) return std::nullopt;
  return Problem{field, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                            ", got " + std::to_string(value)};
}

std::optional<Problem> CheckPositive(const char* field, Millis d) {
  if (d.count() > 0) return std::nullopt;
  return Problem{field, "must be greater than 0"};
}

std::optional<Problem> CheckNotEmpty(const char* field, const std::string& value) {
  if (!value.empty()) return std::nullopt;
  return Problem{field, "must not be empty"};
}

std::optional<Problem> CheckQueries(const std::vector<QueryConfig>& queries) {
  std::set<std::string> names;
  for (size_t i = 0; i < queries.size(); ++i) {
    const QueryConfig& q = queries[i];
    const std::string at = "queries[" + std::to_string(i) + "]";
    if (!IsValidMetricName(q.name)) {
      return Problem{at + ".name",
                     "invalid metric name " + YamlReader::Quote(q.name) +
                         " (must match [a-zA-Z_:][a-zA-Z0-9_:]*)",
                     at};
    }
    if (metric_names::IsReserved(q.name)) {
      return Problem{at + ".name", "metric name " + YamlReader::Quote(q.name) +
                                       " is already exported by observd"};
    }
    if (!names.insert(q.name).second) {
      return Problem{at + ".name", "duplicate metric name " + YamlReader::Quote(q.name)};
    }
    if (q.help.find_first_of("\\\n") != std::string::npos) {
      return Problem{at + ".help", "must not contain a backslash or a newline"};
    }
    if (q.key.empty()) return Problem{at + ".key", "required", at};
    for (const auto& [label, value] : q.labels) {
      if (!IsValidLabelName(label)) {
        return Problem{at + ".labels." + label,
                       "invalid label name " + YamlReader::Quote(label) +
                           " (must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __)",
                       at + ".labels"};
      }
    }
    const bool zcount = q.kind == QueryConfig::Kind::kZcount;
    if (zcount && q.window.count() <= 0) {
      return Problem{at + ".window", "required (and greater than 0) for kind zcount", at};
    }
    if (!zcount && q.window.count() != 0) {
      return Problem{at + ".window", "only allowed with kind zcount", at};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConfigProblem> FindConfigProblem(const Config& c) {
  std::string host;
  int port = 0;
  if (!ParseListenAddress(c.web.listen_address, &host, &port)) {
    return Problem{"web.listen_address",
                   "invalid listen address " + YamlReader::Quote(c.web.listen_address) +
                       ": expected host:port with an IPv4 host, localhost or an empty host "
                       "(all interfaces) and a port 1..65535, e.g. 127.0.0.1:9469"};
  }
  if (auto p = CheckRange("web.num_threads", c.web.num_threads, 2, 1024)) return p;
  if (auto p = CheckRange("web.max_sse_streams", c.web.max_sse_streams, 0, 1024)) return p;
  if (c.web.num_threads < c.web.max_sse_streams + 8) {
    return Problem{
        "web.num_threads",
        "must be at least web.max_sse_streams (" + std::to_string(c.web.max_sse_streams) +
            ") + 8 = " + std::to_string(c.web.max_sse_streams + 8) +
            " so plain requests always find a worker, got " + std::to_string(c.web.num_threads),
        "web.max_sse_streams"};
  }
  if (auto p = CheckPositive("web.sse_interval", c.web.sse_interval)) return p;
  if (auto p = CheckPositive("web.sse_max_duration", c.web.sse_max_duration)) return p;
  if (auto p = CheckPositive("web.request_timeout", c.web.request_timeout)) return p;

  if (std::string err = CheckRedisAddr(c.redis.addr); !err.empty()) {
    return Problem{"redis.addr", err};
  }
  if (auto p = CheckPositive("redis.connect_timeout", c.redis.connect_timeout)) return p;
  if (auto p = CheckPositive("redis.command_timeout", c.redis.command_timeout)) return p;
  if (c.redis.backoff_max < Millis(100)) {
    return Problem{"redis.backoff_max", "must be at least 100ms (the first reconnect delay)"};
  }

  if (auto p = CheckNotEmpty("cache.key", c.cache.key)) return p;
  if (c.cache.key == c.keys.uploads_timeline || c.cache.key == c.keys.active_users ||
      c.cache.key.starts_with(c.keys.upload_hash_prefix) ||
      c.cache.key.starts_with(c.keys.workflow_runs_prefix)) {
    return Problem{"cache.key",
                   "must not name one of the application's keys (keys.*): observd "
                   "writes its snapshot there"};
  }
  if (c.cache.ttl < Millis(1000)) {
    return Problem{"cache.ttl", "must be at least 1s, got " + FormatDuration(c.cache.ttl)};
  }
  if (c.cache.stale_after.count() != 0 && c.cache.stale_after < c.cache.ttl) {
    return Problem{"cache.stale_after", "must be 0 (2 x ttl) or at least cache.ttl", "cache.ttl"};
  }
  if (auto p = CheckPositive("sampler.interval", c.sampler.interval)) return p;
  if (c.sampler.history < c.sampler.interval) {
    return Problem{"sampler.history", "must be at least sampler.interval", "sampler.interval"};
  }

  if (auto p = CheckNotEmpty("keys.uploads_timeline", c.keys.uploads_timeline)) return p;
  if (auto p = CheckNotEmpty("keys.upload_hash_prefix", c.keys.upload_hash_prefix)) return p;
  if (auto p = CheckNotEmpty("keys.active_users", c.keys.active_users)) return p;
  if (auto p = CheckNotEmpty("keys.workflow_runs_prefix", c.keys.workflow_runs_prefix)) return p;
  std::set<std::string> statuses;
  for (const std::string& s : c.keys.workflow_statuses) {
    if (s.empty()) return Problem{"keys.workflow_statuses", "must not contain an empty status"};
    if (!statuses.insert(s).second) {
      return Problem{"keys.workflow_statuses", "duplicate status " + YamlReader::Quote(s)};
    }
  }
  if (auto p = CheckRange("keys.recent_uploads", c.keys.recent_uploads, 1, 1000)) return p;

  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
  if (!kLevels.count(c.log.level)) {
    return Problem{"log.level", "must be one of trace, debug, info, warn, error, off, got " +
                                    YamlReader::Quote(c.log.level)};
  }
  if (c.log.format != "logfmt" && c.log.format != "json") {
    return Problem{"log.format", "must be logfmt or json, got " + YamlReader::Quote(c.log.format)};
  }
  return CheckQueries(c.queries);
}

bool IsValidMetricName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(const std::string& name) {
  return IsValidMetricName(name) && name.find(':') == std::string::npos && !name.starts_with("__");
}

bool ParseListenAddress(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  const std::string h = address.substr(0, colon);
  long p = 0;
  if (!ParseBounded(std::string_view(address).substr(colon + 1), 65535, &p) || p == 0) {
    return false;
  }
  if (!h.empty() && h != "localhost" && !IsIPv4(h)) return false;
  *host = h.empty() ? "0.0.0.0" : h == "localhost" ? "127.0.0.1" : h;
  *port = static_cast<int>(p);
  return true;
}

std::string ValidateConfig(const Config& config) {
  auto problem = FindConfigProblem(config);
  return problem ? problem->field + ": " + problem->message : "";
}

}  // namespace observd
