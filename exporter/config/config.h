// Config owns observd's settings: the YAML file schema, its defaults (the member
// initialisers below; settings.h is the table of keys, help and rules over them), and
// the loader that validates it. Loading is pure (no global state) and thread-compatible;
// the daemon holds the active Config behind a shared_ptr and swaps it on SIGHUP.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/duration.h"
#include "util/result.h"

namespace observd {

// One extra Redis query exported as a gauge (the `queries:` list of the config).
struct QueryConfig {
  // Each kind's name, Redis command and window rule: config/query_kind.h.
  enum class Kind { kZcard, kZcount, kScard, kLlen, kHlen, kXlen, kPfcount, kGet };
  std::string name;  // Prometheus metric name, validated at load.
  std::string help;  // HELP text; no backslash or newline.
  Kind kind = Kind::kZcard;
  std::string key;
  std::map<std::string, std::string> labels;  // label names validated at load.
  Millis window{0};  // windowed kinds (zcount): count members scored in [now - window, now].

  bool operator==(const QueryConfig&) const = default;
};

inline constexpr const char* kStateDirectoryVar = "$STATE_DIRECTORY";

struct WebConfig {
  std::string listen_address = "127.0.0.1:9469";
  std::string metrics_listen_address;  // empty: /metrics on listen_address only
  std::string config_file;             // exporter-toolkit web-config.yml; empty = none.
  std::string root;                    // empty: the site compiled into the binary
  std::string templates;               // empty: the templates compiled into the binary
  int num_threads = 256;
  int max_sse_streams = 32;
  Millis sse_interval{5000};
  Millis sse_max_duration{300000};
  Millis request_timeout{5000};
  // Severity of the site's cards: a value >= warn is amber, >= bad is red.
  int latency_warn_ms = 5;
  int latency_bad_ms = 50;
  int failed_runs_warn = 1;
  int failed_runs_bad = 10;

  bool operator==(const WebConfig&) const = default;
};

struct RedisConfig {
  std::string addr = "redis://127.0.0.1:6379/0";  // util/redis_address.h grammar.
  std::string username;       // ACL user for AUTH; "" = the address's user@, else default.
  std::string read_replica;   // redis:// or unix:// of a replica for the snapshot queries.
  std::string password_file;  // the password itself is never in the config.
  // Used only with a redis-sentinel:// addr: credentials of the sentinels (their
  // requirepass or an ACL user), which may differ from the data nodes'.
  std::string sentinel_username;
  std::string sentinel_password_file;
  Millis connect_timeout{250};
  Millis command_timeout{250};
  Millis backoff_max{5000};

  bool operator==(const RedisConfig&) const = default;
};

struct CacheConfig {
  std::string key = "observd:snapshot:v1";
  Millis ttl{30000};
  Millis stale_after{0};  // 0 = 2 x ttl.
  Millis max_wait{0};     // 0 = redis.command_timeout.
  Millis effective_stale_after() const { return stale_after.count() ? stale_after : 2 * ttl; }

  bool operator==(const CacheConfig&) const = default;
};

struct SamplerConfig {
  Millis interval{1000};
  Millis history{3600000};

  bool operator==(const SamplerConfig&) const = default;
};

// observd's own history on disk (store/HistoryStore).
struct HistoryConfig {
  // "" = memory only. A leading $STATE_DIRECTORY is the directory systemd gives the
  // unit (StateDirectory=); without one (not run by systemd), memory only.
  std::string path = std::string(kStateDirectoryVar) + "/history.db";
  Millis retention{30LL * 86400 * 1000};

  bool operator==(const HistoryConfig&) const = default;
};

// Key names of the application data contract (DESIGN.md).
struct KeysConfig {
  std::string uploads_timeline = "uploads:timeline";
  std::string upload_hash_prefix = "upload:";
  std::string active_users = "users:active";
  std::string workflow_runs_prefix = "workflows:runs:";
  std::vector<std::string> workflow_statuses = {"succeeded", "failed", "running"};
  int recent_uploads = 100;

  bool operator==(const KeysConfig&) const = default;
};

struct LogConfig {
  std::string level = "info";     // trace, debug, info, warn, error, off.
  std::string format = "logfmt";  // logfmt or json.

  bool operator==(const LogConfig&) const = default;
};

struct Config {
  std::string source;  // file it came from, "" for built-in defaults.
  WebConfig web;
  RedisConfig redis;
  CacheConfig cache;
  SamplerConfig sampler;
  HistoryConfig history;
  KeysConfig keys;
  LogConfig log;
  std::vector<QueryConfig> queries;

  bool operator==(const Config&) const = default;
};

// The largest config file (and web-config file) observd reads.
inline constexpr size_t kMaxConfigFileBytes = 1 << 20;

// Parses YAML text; `source` names the file in errors, which are one line
// "file:line:col: problem". Unknown keys, wrong types, bad durations and anything
// ValidateConfig rejects are errors. Absent keys, and keys with an empty (null) value,
// keep their defaults; an empty file gives the defaults.
Result<Config> ParseConfig(const std::string& yaml_text, const std::string& source);

// Reads and parses `path` ("path: cannot read: ..." when unreadable). A missing file is
// an error unless `missing_ok`, in which case the built-in defaults are returned.
Result<Config> LoadConfigFile(const std::string& path, bool missing_ok);

// history.path with a leading $STATE_DIRECTORY replaced by `state_directory` (the
// variable's value; nullptr or "" when unset, which gives "" = memory only).
std::string ResolveHistoryPath(const std::string& path, const char* state_directory);

// True when `name` matches [a-zA-Z_:][a-zA-Z0-9_:]* (metric) / [a-zA-Z_][a-zA-Z0-9_]*
// and does not start with "__" (label).
bool IsValidMetricName(const std::string& name);
bool IsValidLabelName(const std::string& name);

// Checks every value rule (ranges, listen address and redis addr forms, log level and
// format, query names) and the cross-field ones (num_threads >= max_sse_streams + 8).
// ParseConfig runs it too. Fails with "field: problem" (no position).
Result<> ValidateConfig(const Config& config);

}  // namespace observd
