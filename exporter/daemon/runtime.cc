#include "daemon/runtime.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "config/web_config.h"
#include "daemon/site_loader.h"
#include "util/redis_address.h"
#include "util/secret_file.h"

namespace observd {
namespace {

// Who computed a shared snapshot, for logs and the snapshot's producer field.
std::string Producer() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// The Site for `config`; nullptr with `*error` when the web-config file is broken.
std::shared_ptr<Site> BuildSite(const Config& config, std::string* error) {
  auto site = std::make_shared<Site>();
  if (!config.web.config_file.empty()) {
    auto web = LoadWebAuthConfig(config.web.config_file);
    if (!web.config) {
      *error = web.error;
      return nullptr;
    }
    site->auth = std::make_unique<BasicAuth>(web.config->basic_auth_users);
    site->extra_headers = web.config->headers;
  }
  // The embedded copies unless web.root / web.templates name (working) folders.
  SiteContent content = LoadSiteContent(config.web.root, config.web.templates);
  site->source = content.Describe();
  site->templates = std::move(content.templates);
  site->files = std::move(content.files);
  site->max_sse_streams = config.web.max_sse_streams;
  site->sse_interval = config.web.sse_interval;
  site->sse_max_duration = config.web.sse_max_duration;
  site->thresholds = CardThresholdsOf(config.web);
  return site;
}

}  // namespace

std::shared_ptr<const Runtime> BuildRuntime(const Config& config, std::string* error) {
  auto site = BuildSite(config, error);
  if (!site) return nullptr;
  auto r = std::make_shared<Runtime>();
  r->config = config;
  r->site = std::move(site);
  r->source = std::make_shared<const SnapshotSource>(config.keys, config.queries, Producer());
  r->status.stale_after_seconds = config.cache.effective_stale_after().count() / 1000.0;
  r->status.queries = std::make_shared<const std::vector<QueryConfig>>(config.queries);
  return r;
}

std::string RestartOnlyDiff(const Config& a, const Config& b) {
  std::string d;
  auto add = [&](bool differs, const char* name) {
    if (differs) d += std::string(d.empty() ? "" : ", ") + name;
  };
  add(a.web.listen_address != b.web.listen_address, "web.listen_address");
  add(a.web.num_threads != b.web.num_threads, "web.num_threads");
  add(a.web.request_timeout != b.web.request_timeout, "web.request_timeout");
  add(a.web.max_sse_streams != b.web.max_sse_streams, "web.max_sse_streams");
  add(a.redis != b.redis, "redis");
  add(a.cache.key != b.cache.key || a.cache.ttl != b.cache.ttl ||
          a.cache.max_wait != b.cache.max_wait,
      "cache");
  add(a.sampler != b.sampler, "sampler");
  return d;
}

Config KeepRestartOnly(const Config& running, Config next) {
  next.web.listen_address = running.web.listen_address;
  next.web.num_threads = running.web.num_threads;
  next.web.request_timeout = running.web.request_timeout;
  next.web.max_sse_streams = running.web.max_sse_streams;  // the worker pool was sized for it
  next.redis = running.redis;
  next.cache.key = running.cache.key;
  next.cache.ttl = running.cache.ttl;
  next.cache.max_wait = running.cache.max_wait;
  next.sampler = running.sampler;
  return next;
}

bool ReadRedisSecrets(const RedisConfig& c, RedisSecrets* secrets, std::string* error) {
  return (c.password_file.empty() || ReadSecretFile(c.password_file, &secrets->password, error)) &&
         (c.sentinel_password_file.empty() ||
          ReadSecretFile(c.sentinel_password_file, &secrets->sentinel_password, error));
}

RedisOptions MakeRedisOptions(const RedisConfig& c, const RedisSecrets& secrets,
                              const std::string& name, std::shared_ptr<EndpointBoard> endpoints) {
  RedisOptions o;
  std::string error;
  // Validated with the config; a mismatch between the two parsers must not be UB.
  if (auto a = ParseRedisAddress(c.addr, &error)) o.address = *a;
  o.username = c.username.empty() ? o.address.username : c.username;
  o.password = secrets.password;
  o.sentinel_auth = {c.sentinel_username, secrets.sentinel_password};
  o.connect_timeout = c.connect_timeout;
  o.command_timeout = c.command_timeout;
  o.backoff_max = c.backoff_max;
  o.name = name;
  o.endpoints = std::move(endpoints);
  return o;
}

std::optional<RedisOptions> MakeReplicaOptions(const RedisConfig& c, const RedisSecrets& secrets,
                                               std::shared_ptr<EndpointBoard> endpoints) {
  if (c.read_replica.empty()) return std::nullopt;
  RedisOptions o = MakeRedisOptions(c, secrets, "replica", std::move(endpoints));
  std::string error;
  if (auto a = ParseRedisAddress(c.read_replica, &error)) o.address = *a;  // validated
  return o;
}

}  // namespace observd
