// The settings table itself (settings.h): one row per key of the config file. Adding a
// setting is a field in config.h, a row here and its line in packaging/observd.yml and
// the README (settings_test fails until both document it).
#include "config/settings.h"

namespace observd {
namespace {

constexpr Reload kOnSighup = Reload::kOnSighup;
constexpr Reload kRestart = Reload::kRestart;

const Setting kSettings[] = {
    // web: the HTTP server and the site.
    {.key = "web.listen_address", .field = +[](Config & c) -> auto& {return c.web.listen_address;
}  // namespace
, .reload = kRestart,
  .help = "host:port to listen on, IPv4 or localhost; empty host = all interfaces",
  .flag = "--web.listen-address", .value_name = "HOST:PORT"
}  // namespace observd
, {.key = "web.config_file", .field = +[](Config & c) -> auto& {return c.web.config_file;
}
, .reload = kOnSighup,
  .help =
      "exporter-toolkit web-config.yml with basic_auth_users (bcrypt) and "
      "http_server_config.headers",
  .flag = "--web.config.file", .value_name = "FILE", .unset = "no authentication"
}
, {.key = "web.root", .field = +[](Config & c) -> auto& {return c.web.root;
}
, .reload = kOnSighup,
  .help = "folder of a static site to serve instead of the one built into observd",
  .flag = "--web.root", .value_name = "DIR", .unset = "the built-in site"
}
, {.key = "web.templates", .field = +[](Config & c) -> auto& {return c.web.templates;
}
, .reload = kOnSighup,
  .help = "folder of mustache templates to use instead of those built into observd",
  .flag = "--web.templates", .value_name = "DIR", .unset = "the built-in templates"
}
, {.key = "web.num_threads", .field = +[](Config & c) -> auto& {return c.web.num_threads;
}
, .reload = kRestart,
  .help = "HTTP worker threads, one per open connection; at least max_sse_streams + 8",
  .rule = Rule::kRange, .min = 2, .max = 1024
}
, {.key = "web.max_sse_streams", .field = +[](Config & c) -> auto& {return c.web.max_sse_streams;
}
, .reload = kRestart,
  .help = "concurrent Server-Sent Events streams; further ones get 503 and the page polls",
  .rule = Rule::kRange, .min = 0, .max = 1024
}
, {.key = "web.sse_interval", .field = +[](Config & c) -> auto& {return c.web.sse_interval;
}
, .reload = kOnSighup, .help = "how often an SSE stream pushes updates", .rule = Rule::kPositive
}
, {.key = "web.sse_max_duration", .field = +[](Config & c) -> auto& {return c.web.sse_max_duration;
}
, .reload = kOnSighup, .help = "how long an SSE stream lives before the browser reconnects",
  .rule = Rule::kPositive
}
, {.key = "web.request_timeout", .field = +[](Config & c) -> auto& {return c.web.request_timeout;
}
, .reload = kRestart,
  .help = "header deadline: a connection without a whole request by then is closed",
  .rule = Rule::kPositive
}
, {.key = "web.thresholds.redis_latency_ms.warn",
   .field = +[](Config & c) -> auto& {return c.web.latency_warn_ms;
}
, .reload = kOnSighup, .help = "Redis latency (ms) at which the site's card turns amber"
}
, {.key = "web.thresholds.redis_latency_ms.bad",
   .field = +[](Config & c) -> auto& {return c.web.latency_bad_ms;
}
, .reload = kOnSighup, .help = "Redis latency (ms) at which the site's card turns red"
}
, {.key = "web.thresholds.failed_runs_1h.warn",
   .field = +[](Config & c) -> auto& {return c.web.failed_runs_warn;
}
, .reload = kOnSighup, .help = "failed workflow runs in the last hour at which the card turns amber"
}
, {.key = "web.thresholds.failed_runs_1h.bad",
   .field = +[](Config & c) -> auto& {return c.web.failed_runs_bad;
}
, .reload = kOnSighup, .help = "failed workflow runs in the last hour at which the card turns red"
}
,

    // redis: the connection (every one restart-only: the clients are built once).
    {.key = "redis.addr", .field = +[](Config & c) -> auto& {return c.redis.addr;
}
, .reload = kRestart,
  .help =
      "Redis address: redis://[user@]host:port/db, unix:///path?db=N or "
      "redis-sentinel://[user@]host:port[,host:port...]/master/db; rediss:// is refused "
      "(use the stunnel recipe)",
  .flag = "--redis.addr", .value_name = "ADDR"
}
, {.key = "redis.username", .field = +[](Config & c) -> auto& {return c.redis.username;
}
, .reload = kRestart,
  .help = "ACL user for AUTH; empty: the user@ of redis.addr, else the default user"
}
, {.key = "redis.password_file", .field = +[](Config & c) -> auto& {return c.redis.password_file;
}
, .reload = kRestart,
  .help =
      "file holding the Redis password on one line (one trailing newline is dropped); "
      "the password is never given on the command line",
  .flag = "--redis.password-file", .value_name = "FILE", .unset = "no AUTH"
}
, {.key = "redis.sentinel_username",
   .field = +[](Config & c) -> auto& {return c.redis.sentinel_username;
}
, .reload = kRestart,
  .help = "ACL user on the sentinels (redis-sentinel:// only); needs sentinel_password_file"
}
, {.key = "redis.sentinel_password_file",
   .field = +[](Config & c) -> auto& {return c.redis.sentinel_password_file;
}
, .reload = kRestart, .help = "file holding the sentinels' password (redis-sentinel:// only)"
}
, {.key = "redis.read_replica", .field = +[](Config & c) -> auto& {return c.redis.read_replica;
}
, .reload = kRestart,
  .help = "replica (redis:// or unix://, same database) for the snapshot queries"
}
, {.key = "redis.connect_timeout",
   .field = +[](Config & c) -> auto& {return c.redis.connect_timeout;
}
, .reload = kRestart, .help = "how long a connection attempt may take", .rule = Rule::kPositive
}
, {.key = "redis.command_timeout",
   .field = +[](Config & c) -> auto& {return c.redis.command_timeout;
}
, .reload = kRestart, .help = "how long any request may wait on Redis", .rule = Rule::kPositive
}
, {.key = "redis.backoff_max", .field = +[](Config & c) -> auto& {return c.redis.backoff_max;
}
, .reload = kRestart, .help = "reconnects back off exponentially from 100ms up to this"
}
,

    // cache: the shared snapshot.
    {.key = "cache.key", .field = +[](Config & c) -> auto& {return c.cache.key;
}
, .reload = kRestart, .help = "Redis key holding the shared snapshot", .rule = Rule::kNotEmpty
}
, {.key = "cache.ttl", .field = +[](Config & c) -> auto& {return c.cache.ttl;
}
, .reload = kRestart, .help = "lifetime of the shared snapshot (at least 1s)"
}
, {.key = "cache.stale_after", .field = +[](Config & c) -> auto& {return c.cache.stale_after;
}
, .reload = kOnSighup, .help = "older snapshots drop the application gauges; 0 = 2 x ttl"
}
, {.key = "cache.max_wait", .field = +[](Config & c) -> auto& {return c.cache.max_wait;
}
, .reload = kRestart,
  .help = "how long a request waits for a due refresh; 0 = redis.command_timeout"
}
,

    // sampler: the PING loop and the latency history.
    {.key = "sampler.interval", .field = +[](Config & c) -> auto& {return c.sampler.interval;
}
, .reload = kRestart, .help = "Redis PING interval", .rule = Rule::kPositive
}
, {.key = "sampler.history", .field = +[](Config & c) -> auto& {return c.sampler.history;
}
, .reload = kRestart,
  .help = "latency history kept in memory for the charts (at least sampler.interval)"
}
,

    // keys: the application's data contract (DESIGN.md).
    {.key = "keys.uploads_timeline",
     .field = +[](Config & c) -> auto& {return c.keys.uploads_timeline;
}
, .reload = kOnSighup, .help = "ZSET of upload ids scored by unix time", .rule = Rule::kNotEmpty
}
, {.key = "keys.upload_hash_prefix",
   .field = +[](Config & c) -> auto& {return c.keys.upload_hash_prefix;
}
, .reload = kOnSighup, .help = "prefix of the HASH per upload", .rule = Rule::kNotEmpty
}
, {.key = "keys.active_users", .field = +[](Config & c) -> auto& {return c.keys.active_users;
}
, .reload = kOnSighup, .help = "SET of active users", .rule = Rule::kNotEmpty
}
, {.key = "keys.workflow_runs_prefix",
   .field = +[](Config & c) -> auto& {return c.keys.workflow_runs_prefix;
}
, .reload = kOnSighup, .help = "prefix of the ZSET of workflow runs per status",
  .rule = Rule::kNotEmpty
}
, {.key = "keys.workflow_statuses",
   .field = +[](Config & c) -> auto& {return c.keys.workflow_statuses;
}
, .reload = kOnSighup, .help = "workflow run statuses, one ZSET each"
}
, {.key = "keys.recent_uploads", .field = +[](Config & c) -> auto& {return c.keys.recent_uploads;
}
, .reload = kOnSighup, .help = "newest uploads kept in the snapshot", .rule = Rule::kRange,
  .min = 1, .max = 1000
}
,

    // log
    {.key = "log.level", .field = +[](Config & c) -> auto& {return c.log.level;
}
, .reload = kOnSighup, .help = "log level: trace, debug, info, warn, error, off",
  .flag = "--log.level", .value_name = "LEVEL"
}
, {.key = "log.format", .field = +[](Config & c) -> auto& {return c.log.format;
}
, .reload = kOnSighup, .help = "log format: logfmt or json", .flag = "--log.format",
  .value_name = "FORMAT"
}
,
}
;

}  // namespace

std::span<const Setting> Settings() { return kSettings; }

}  // namespace observd
