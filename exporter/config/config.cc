// Config loading: YAML -> Config (yaml_reader.h does the typed reads and positions),
// then one validation pass shared with the flag overrides (flags.cc).
#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "config/yaml_reader.h"

namespace observd {

namespace {

// ---------------------------------------------------------------------------
// Durations

struct DurationUnit {
  const char* suffix;
  int64_t millis;
};
// Largest first; ParseDuration requires this order, like Prometheus.
constexpr DurationUnit kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                   {"w", 7LL * 24 * 3600 * 1000},
                                   {"d", 24LL * 3600 * 1000},
                                   {"h", 3600LL * 1000},
                                   {"m", 60LL * 1000},
                                   {"s", 1000},
                                   {"ms", 1}};

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

// Names the application gauges and process collector already own.
bool IsBuiltinMetricName(const std::string& name) {
  static const std::set<std::string> kBuiltin = {"observd_dashboard_refresh_total",
                                                 "observd_htmx_events_total",
                                                 "observd_cache_hits_total",
                                                 "observd_cache_misses_total",
                                                 "observd_cache_hit_ratio",
                                                 "observd_http_requests_total",
                                                 "observd_redis_up",
                                                 "observd_redis_latency_seconds",
                                                 "observd_redis_errors_total",
                                                 "observd_snapshot_age_seconds",
                                                 "observd_build_info",
                                                 "observd_app_uploads",
                                                 "observd_app_uploads_window",
                                                 "observd_app_active_users",
                                                 "observd_app_workflow_runs_window"};
  // observd_* outside observd_app_* is observd's own namespace (histograms add
  // _bucket/_sum/_count series), and process_* belongs to the process collector.
  return kBuiltin.count(name) > 0 || name.starts_with("process_") ||
         (name.starts_with("observd_") && !name.starts_with("observd_app_"));
}

const char* const kKindNames[] = {"zcard", "zcount", "scard",   "llen",
                                  "hlen",  "xlen",   "pfcount", "get"};

// ---------------------------------------------------------------------------
// Validation

// A problem with the field it is about (e.g. "web.num_threads") and, for cross-field
// rules, the other field involved, so errors can point at whichever the file set.
struct Problem {
  std::string field;
  std::string message;
  std::string other_field = "";
};

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
    if (IsBuiltinMetricName(q.name)) {
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

std::optional<Problem> Validate(const Config& c) {
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

// ---------------------------------------------------------------------------
// YAML -> Config

void ReadQuery(YamlReader& r, const YAML::Node& node, const std::string& at, QueryConfig* q) {
  if (!node.IsMap()) return r.Fail(node.Mark(), at + ": expected a map, got " + r.Describe(node));
  if (!r.CheckMap(node, at, {"name", "help", "kind", "key", "labels", "window"})) return;
  for (const char* required : {"name", "kind"}) {
    if (!node[required] || node[required].IsNull()) {
      return r.Fail(node.Mark(), at + "." + required + ": required");
    }
  }
  r.String(node, at, "name", &q->name);
  r.String(node, at, "help", &q->help);
  std::string kind;
  r.String(node, at, "kind", &kind);
  bool known = false;
  for (size_t k = 0; k < std::size(kKindNames); ++k) {
    if (kind == kKindNames[k]) {
      q->kind = static_cast<QueryConfig::Kind>(k);
      known = true;
    }
  }
  if (r.ok() && !known) {
    return r.Fail(node["kind"].Mark(), at + ".kind: unknown kind " + r.Quote(kind) +
                                           " (expected one of zcard, zcount, scard, llen, "
                                           "hlen, xlen, pfcount, get)");
  }
  r.String(node, at, "key", &q->key);
  r.StringMap(node, at, "labels", &q->labels);
  if (node["window"] && q->kind != QueryConfig::Kind::kZcount) {
    return r.Fail(node["window"].Mark(), at + ".window: only allowed with kind zcount");
  }
  r.Duration(node, at, "window", &q->window);
}

void ReadConfig(YamlReader& r, const YAML::Node& root, Config* c) {
  if (!r.CheckMap(root, "", {"web", "redis", "cache", "sampler", "keys", "log", "queries"})) {
    return;
  }
  YAML::Node web = r.Field(root, "", "web");
  if (r.CheckMap(web, "web",
                 {"listen_address", "config_file", "root", "templates", "num_threads",
                  "max_sse_streams", "sse_interval", "sse_max_duration", "request_timeout"})) {
    r.String(web, "web", "listen_address", &c->web.listen_address);
    r.String(web, "web", "config_file", &c->web.config_file);
    r.String(web, "web", "root", &c->web.root);
    r.String(web, "web", "templates", &c->web.templates);
    r.Int(web, "web", "num_threads", &c->web.num_threads);
    r.Int(web, "web", "max_sse_streams", &c->web.max_sse_streams);
    r.Duration(web, "web", "sse_interval", &c->web.sse_interval);
    r.Duration(web, "web", "sse_max_duration", &c->web.sse_max_duration);
    r.Duration(web, "web", "request_timeout", &c->web.request_timeout);
  }
  YAML::Node redis = r.Field(root, "", "redis");
  if (r.CheckMap(redis, "redis",
                 {"addr", "password_file", "connect_timeout", "command_timeout", "backoff_max"})) {
    r.String(redis, "redis", "addr", &c->redis.addr);
    r.String(redis, "redis", "password_file", &c->redis.password_file);
    r.Duration(redis, "redis", "connect_timeout", &c->redis.connect_timeout);
    r.Duration(redis, "redis", "command_timeout", &c->redis.command_timeout);
    r.Duration(redis, "redis", "backoff_max", &c->redis.backoff_max);
  }
  YAML::Node cache = r.Field(root, "", "cache");
  if (r.CheckMap(cache, "cache", {"key", "ttl", "stale_after", "max_wait"})) {
    r.String(cache, "cache", "key", &c->cache.key);
    r.Duration(cache, "cache", "ttl", &c->cache.ttl);
    r.Duration(cache, "cache", "stale_after", &c->cache.stale_after);
    r.Duration(cache, "cache", "max_wait", &c->cache.max_wait);
  }
  YAML::Node sampler = r.Field(root, "", "sampler");
  if (r.CheckMap(sampler, "sampler", {"interval", "history"})) {
    r.Duration(sampler, "sampler", "interval", &c->sampler.interval);
    r.Duration(sampler, "sampler", "history", &c->sampler.history);
  }
  YAML::Node keys = r.Field(root, "", "keys");
  if (r.CheckMap(keys, "keys",
                 {"uploads_timeline", "upload_hash_prefix", "active_users", "workflow_runs_prefix",
                  "workflow_statuses", "recent_uploads"})) {
    r.String(keys, "keys", "uploads_timeline", &c->keys.uploads_timeline);
    r.String(keys, "keys", "upload_hash_prefix", &c->keys.upload_hash_prefix);
    r.String(keys, "keys", "active_users", &c->keys.active_users);
    r.String(keys, "keys", "workflow_runs_prefix", &c->keys.workflow_runs_prefix);
    r.StringList(keys, "keys", "workflow_statuses", &c->keys.workflow_statuses);
    r.Int(keys, "keys", "recent_uploads", &c->keys.recent_uploads);
  }
  YAML::Node log = r.Field(root, "", "log");
  if (r.CheckMap(log, "log", {"level", "format"})) {
    r.String(log, "log", "level", &c->log.level);
    r.String(log, "log", "format", &c->log.format);
  }
  YAML::Node queries = r.Field(root, "", "queries");
  if (!queries) return;
  if (!queries.IsSequence()) return r.TypeError(queries, "", "queries", "a list");
  for (size_t i = 0; i < queries.size() && r.ok(); ++i) {
    c->queries.emplace_back();
    r.Remember("queries[" + std::to_string(i) + "]", queries[i].Mark());
    ReadQuery(r, queries[i], "queries[" + std::to_string(i) + "]", &c->queries.back());
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

ConfigResult ParseConfig(const std::string& yaml_text, const std::string& source) {
  YamlReader reader(source);
  Config config;
  config.source = source;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    ReadConfig(reader, root, &config);
  } catch (const YAML::Exception& e) {
    reader.Fail(e.mark, e.msg);
  } catch (const std::exception& e) {
    reader.Fail(YAML::Mark::null_mark(), e.what());
  }
  if (!reader.ok()) return {std::nullopt, reader.error()};
  if (auto problem = Validate(config)) {
    const YAML::Mark* mark = reader.MarkOf(problem->field);
    if (mark == nullptr) mark = reader.MarkOf(problem->other_field);
    reader.Fail(mark ? *mark : YAML::Mark::null_mark(), problem->field + ": " + problem->message);
    return {std::nullopt, reader.error()};
  }
  return {std::move(config), ""};
}

ConfigResult LoadConfigFile(const std::string& path, bool missing_ok) {
  std::string text;
  if (const int err = ReadFileText(path, &text); err != 0) {
    if (missing_ok && err == ENOENT) return {Config{}, ""};
    return {std::nullopt, path + ": cannot read: " + std::strerror(err)};
  }
  return ParseConfig(text, path);
}

std::optional<Millis> ParseDuration(const std::string& text) {
  if (text == "0") return Millis(0);
  std::string_view s = text;
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear largest first, each at most once.
  if (s.empty()) return std::nullopt;
  while (!s.empty()) {
    size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    if (digits == 0 || digits > 12) return std::nullopt;
    const int64_t n = std::stoll(std::string(s.substr(0, digits)));
    s.remove_prefix(digits);
    const std::string_view suffix = s.starts_with("ms") ? s.substr(0, 2) : s.substr(0, 1);
    size_t unit = next_unit;
    while (unit < std::size(kUnits) && suffix != kUnits[unit].suffix) ++unit;
    if (unit == std::size(kUnits)) return std::nullopt;
    s.remove_prefix(suffix.size());
    int64_t part = 0;
    if (__builtin_mul_overflow(n, kUnits[unit].millis, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return std::nullopt;
    }
    next_unit = unit + 1;
  }
  return Millis(total);
}

std::string FormatDuration(Millis d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  if (ms < 0) return "-" + FormatDuration(Millis(-ms));
  std::string out;
  for (const DurationUnit& unit : kUnits) {
    if (ms >= unit.millis) {
      out += std::to_string(ms / unit.millis) + unit.suffix;
      ms %= unit.millis;
    }
  }
  return out;
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
  auto problem = Validate(config);
  return problem ? problem->field + ": " + problem->message : "";
}

}  // namespace observd
