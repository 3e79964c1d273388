#include "daemon/runtime.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "config/settings.h"
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

// The Site for `config`; an error when the web-config file is broken.
Result<std::shared_ptr<Site>> BuildSite(const Config& config) {
  auto site = std::make_shared<Site>();
  if (!config.web.config_file.empty()) {
    Result<WebAuthConfig> web = LoadWebAuthConfig(config.web.config_file);
    if (!web.ok()) return Fail(web.error());
    site->auth = std::make_unique<BasicAuth>(web->basic_auth_users);
    site->extra_headers = web->headers;
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
  return Result<std::shared_ptr<Site>>(std::move(site));
}

}  // namespace

Result<std::shared_ptr<const Runtime>> BuildRuntime(const Config& config) {
  auto site = BuildSite(config);
  if (!site) return Fail(site.error());
  auto r = std::make_shared<Runtime>();
  r->config = config;
  r->site = std::move(*site);
  r->source = std::make_shared<const SnapshotSource>(config.keys, config.queries, Producer());
  r->status.stale_after_seconds = config.cache.effective_stale_after().count() / 1000.0;
  r->status.queries = std::make_shared<const std::vector<QueryConfig>>(config.queries);
  return Result<std::shared_ptr<const Runtime>>(std::move(r));
}

std::string RestartOnlyDiff(const Config& a, const Config& b) {
  std::string d;
  for (const Setting& s : Settings()) {
    if (s.reload == Reload::kRestart && SettingDiffers(s, a, b)) {
      d += std::string(d.empty() ? "" : ", ") + s.key;
    }
  }
  return d;
}

Config KeepRestartOnly(const Config& running, Config next) {
  for (const Setting& s : Settings()) {
    if (s.reload == Reload::kRestart) CopySetting(s, running, &next);
  }
  return next;
}

Result<RedisSecrets> ReadRedisSecrets(const RedisConfig& c) {
  RedisSecrets secrets;
  const std::pair<const std::string*, std::string*> files[] = {
      {&c.password_file, &secrets.password},
      {&c.sentinel_password_file, &secrets.sentinel_password}};
  for (const auto& [path, secret] : files) {
    if (path->empty()) continue;
    Result<std::string> read = ReadSecretFile(*path);
    if (!read.ok()) return Fail(read.error());
    *secret = std::move(*read);
  }
  return secrets;
}

RedisOptions MakeRedisOptions(const RedisConfig& c, const RedisSecrets& secrets,
                              const std::string& name, std::shared_ptr<EndpointBoard> endpoints) {
  RedisOptions o;
  // Validated with the config; a mismatch between the two parsers must not be UB.
  if (auto a = ParseRedisAddress(c.addr); a.ok()) o.address = *a;
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
  if (auto a = ParseRedisAddress(c.read_replica); a.ok()) o.address = *a;  // validated
  return o;
}

}  // namespace observd
