// Runtime is the running configuration of observd as one immutable value: the
// validated Config and what is built from it (the Site the HTTP layer serves, the
// snapshot queries, the status settings). A reload builds a new Runtime and swaps it
// whole; nothing patches a running one. Building is pure apart from reading files;
// a built Runtime is shared read-only (thread-safe).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "dashboard/site.h"
#include "redis/redis_client.h"
#include "snapshot/snapshot_source.h"
#include "status/status_board.h"

namespace observd {

struct Runtime {
  Config config;
  std::shared_ptr<const Site> site;
  std::shared_ptr<const SnapshotSource> source;
  StatusSettings status;
};

// Builds the Runtime for `config`: the web-config file (auth, headers), templates and
// static files (the embedded copies unless web.root / web.templates name folders; a
// broken folder is logged and the embedded copy serves), queries. A broken web-config
// file is an error (its message names the file and the problem).
Result<std::shared_ptr<const Runtime>> BuildRuntime(const Config& config);

// The settings of `running` that a reload to `next` cannot change without a restart
// (Reload::kRestart in config/settings.h), as a comma-separated list of config keys
// ("" when none).
std::string RestartOnlyDiff(const Config& running, const Config& next);

// `next` with the restart-only settings of `running` (what a reload really applies).
Config KeepRestartOnly(const Config& running, Config next);

// Connection options for one Redis client of this process (`name` shows in logs and on
// the endpoint board, if given). The ACL user is redis.username, else the address's.
// The secrets behind redis.password_file and redis.sentinel_password_file. Never logged.
struct RedisSecrets {
  std::string password;
  std::string sentinel_password;
};

// Reads the secret files `config` names; an error naming the file when one cannot be read.
Result<RedisSecrets> ReadRedisSecrets(const RedisConfig& config);

RedisOptions MakeRedisOptions(const RedisConfig& config, const RedisSecrets& secrets,
                              const std::string& name,
                              std::shared_ptr<EndpointBoard> endpoints = nullptr);

// Options of the redis.read_replica client ("replica"), or nullopt without one.
std::optional<RedisOptions> MakeReplicaOptions(const RedisConfig& config,
                                               const RedisSecrets& secrets,
                                               std::shared_ptr<EndpointBoard> endpoints);

}  // namespace observd
