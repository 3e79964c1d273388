// Config validation: the value forms (addresses, names) and the one pass of rules over a
// whole Config, shared by the YAML loader (which adds file positions) and the flags.
#include "config/config_validate.h"

#include <set>
#include <string_view>

#include "config/query_kind.h"
#include "config/settings.h"
#include "config/yaml_reader.h"
#include "util/listen_address.h"
#include "util/metric_names.h"
#include "util/redis_address.h"

namespace observd {
namespace {

// ---------------------------------------------------------------------------
// Value forms

// redis.sentinel_username needs redis.sentinel_password_file. Both are unused unless
// redis.addr is redis-sentinel:// (not an error: --redis.addr may override the file).
std::optional<ConfigProblem> CheckSentinelAuth(const RedisConfig& r) {
  if (r.sentinel_username.empty()) return std::nullopt;
  if (!IsRedisUserName(r.sentinel_username)) {
    return ConfigProblem{"redis.sentinel_username",
                         "must be printable ASCII without spaces, ':', '@', '/', '?' or '#'"};
  }
  if (r.sentinel_password_file.empty()) {
    return ConfigProblem{"redis.sentinel_username", "needs redis.sentinel_password_file"};
  }
  return std::nullopt;
}

// The address forms come from util/: one grammar each, shared with observd-demo.
std::optional<ConfigProblem> CheckRedis(const RedisConfig& r) {
  Result<RedisAddress> address = ParseRedisAddress(r.addr);
  if (!address.ok()) return ConfigProblem{"redis.addr", address.error()};
  if (!r.username.empty() && !IsRedisUserName(r.username)) {
    return ConfigProblem{"redis.username",
                         "must be printable ASCII without spaces, ':', '@', '/', '?' or '#'"};
  }
  if (!r.username.empty() && !address->username.empty() && r.username != address->username) {
    return ConfigProblem{"redis.username", "differs from the user name in redis.addr",
                         "redis.addr"};
  }
  if (auto p = CheckSentinelAuth(r)) return p;
  if (r.read_replica.empty()) return std::nullopt;
  Result<RedisAddress> replica = ParseRedisAddress(r.read_replica);
  if (!replica.ok()) return ConfigProblem{"redis.read_replica", replica.error()};
  if (replica->kind == RedisAddress::Kind::kSentinel || !replica->username.empty()) {
    return ConfigProblem{"redis.read_replica",
                         "must be a redis://host:port/db or unix:// address without a user "
                         "(it uses the user and password of redis.addr)"};
  }
  if (replica->db != address->db) {
    return ConfigProblem{"redis.read_replica", "must name the same database as redis.addr",
                         "redis.addr"};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Validation

// A problem with the field it is about (e.g. "web.num_threads") and, for cross-field
// rules, the other field involved, so errors can point at whichever the file set.
using Problem = ConfigProblem;

// The value rules of the settings table (ranges, positive durations, non-empty names).
std::optional<Problem> CheckSettingRules(const Config& c) {
  for (const Setting& s : Settings()) {
    if (Result<> r = CheckSettingRule(s, c); !r.ok()) return Problem{s.key, r.error()};
  }
  return std::nullopt;
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
    const QueryKindInfo& kind = QueryKindOf(q.kind);
    if (kind.windowed && q.window.count() <= 0) {
      return Problem{at + ".window",
                     "required (and greater than 0) for kind " + std::string(kind.name), at};
    }
    if (!kind.windowed && q.window.count() != 0) {
      return Problem{at + ".window", "only allowed with kind " + WindowedQueryKindNames(), at};
    }
  }
  return std::nullopt;
}

// One check per section; each returns the first problem it finds.
std::optional<Problem> CheckWeb(const WebConfig& w) {
  if (Result<ListenAddress> a = ParseListenAddress(w.listen_address); !a.ok()) {
    return Problem{
        "web.listen_address",
        "invalid listen address " + YamlReader::Quote(w.listen_address) + ": " + a.error()};
  }
  if (!w.metrics_listen_address.empty()) {
    Result<ListenAddress> m = ParseListenAddress(w.metrics_listen_address);
    if (!m.ok()) {
      return Problem{"web.metrics_listen_address", "invalid listen address " +
                                                       YamlReader::Quote(w.metrics_listen_address) +
                                                       ": " + m.error()};
    }
    if (w.metrics_listen_address == w.listen_address) {
      return Problem{"web.metrics_listen_address", "must differ from web.listen_address"};
    }
  }
  if (w.num_threads < w.max_sse_streams + 8) {
    return Problem{"web.num_threads",
                   "must be at least web.max_sse_streams (" + std::to_string(w.max_sse_streams) +
                       ") + 8 = " + std::to_string(w.max_sse_streams + 8) +
                       " so plain requests always find a worker, got " +
                       std::to_string(w.num_threads),
                   "web.max_sse_streams"};
  }
  return std::nullopt;
}

std::optional<Problem> CheckCacheAndSampler(const Config& c) {
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
  if (c.sampler.history < c.sampler.interval) {
    return Problem{"sampler.history", "must be at least sampler.interval", "sampler.interval"};
  }
  return std::nullopt;
}

std::optional<Problem> CheckStatuses(const KeysConfig& k) {
  std::set<std::string> statuses;
  for (const std::string& s : k.workflow_statuses) {
    if (s.empty()) return Problem{"keys.workflow_statuses", "must not contain an empty status"};
    if (!statuses.insert(s).second) {
      return Problem{"keys.workflow_statuses", "duplicate status " + YamlReader::Quote(s)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConfigProblem> FindConfigProblem(const Config& c) {
  if (auto p = CheckSettingRules(c)) return p;
  if (auto p = CheckWeb(c.web)) return p;
  if (auto p = CheckRedis(c.redis)) return p;
  if (c.redis.backoff_max < Millis(100)) {
    return Problem{"redis.backoff_max", "must be at least 100ms (the first reconnect delay)"};
  }
  if (auto p = CheckCacheAndSampler(c)) return p;
  if (auto p = CheckStatuses(c.keys)) return p;
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

Result<> ValidateConfig(const Config& config) {
  if (auto problem = FindConfigProblem(config)) {
    return Fail(problem->field + ": " + problem->message);
  }
  return Ok();
}

}  // namespace observd
