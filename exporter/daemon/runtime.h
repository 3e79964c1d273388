// Runtime is the running configuration of observd as one immutable value: the
// validated Config and what is built from it (the Site the HTTP layer serves, the
// snapshot queries, the status settings). A reload builds a new Runtime and swaps it
// whole; nothing patches a running one. Building is pure apart from reading files;
// a built Runtime is shared read-only (thread-safe).
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "http/site.h"
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
// static files, queries. Missing templates or web root are logged and leave those
// routes answering 503/404; a broken web-config file is an error (nullptr, `*error`).
std::shared_ptr<const Runtime> BuildRuntime(const Config& config, std::string* error);

// The settings of `running` that a reload to `next` cannot change without a restart,
// as a comma-separated list of config keys ("" when none).
std::string RestartOnlyDiff(const Config& running, const Config& next);

// `next` with the restart-only settings of `running` (what a reload really applies).
Config KeepRestartOnly(const Config& running, Config next);

// Connection options for one Redis client of this process (`name` shows in logs).
RedisOptions MakeRedisOptions(const RedisConfig& config, const std::string& password,
                              const std::string& name);

// Reads a secret file (first line, trailing CR/LF removed). The error never
// contains the file's content.
bool ReadSecretFile(const std::string& path, std::string* secret, std::string* error);

}  // namespace observd
