#include "daemon/daemon.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "config/web_config.h"
#include "daemon/logging.h"
#include "daemon/notify.h"
#include "http/web_server.h"
#include "metrics/metrics_registry.h"
#include "observd_revision.h"
#include "redis/redis_address.h"
#include "snapshot/annotations.h"
#include "snapshot/history.h"
#include "snapshot/latency_sampler.h"
#include "snapshot/snapshot_cache.h"
#include "util/clock.h"

namespace observd {
namespace {

std::string Producer() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

RedisOptions MakeRedisOptions(const RedisConfig& c, const std::string& password,
                              const std::string& name) {
  RedisOptions o;
  std::string error;
  // Validated with the config; a mismatch between the two parsers must not be UB.
  if (auto a = ParseRedisAddress(c.addr, &error)) o.address = *a;
  o.password = password;
  o.connect_timeout = c.connect_timeout;
  o.command_timeout = c.command_timeout;
  o.backoff_max = c.backoff_max;
  o.name = name;
  return o;
}

// Settings that need a restart to change; a reload that changes them says so.
std::string RestartOnlyDiff(const Config& a, const Config& b) {
  std::string d;
  auto add = [&](bool differs, const char* name) {
    if (differs) d += std::string(d.empty() ? "" : ", ") + name;
  };
  add(a.web.listen_address != b.web.listen_address, "web.listen_address");
  add(a.web.num_threads != b.web.num_threads, "web.num_threads");
  add(a.web.request_timeout != b.web.request_timeout, "web.request_timeout");
  add(a.redis.addr != b.redis.addr || a.redis.password_file != b.redis.password_file ||
          a.redis.connect_timeout != b.redis.connect_timeout ||
          a.redis.command_timeout != b.redis.command_timeout ||
          a.redis.backoff_max != b.redis.backoff_max,
      "redis");
  add(a.web.max_sse_streams != b.web.max_sse_streams, "web.max_sse_streams");
  add(a.cache.key != b.cache.key || a.cache.ttl != b.cache.ttl ||
          a.cache.max_wait != b.cache.max_wait,
      "cache");
  add(a.sampler.interval != b.sampler.interval || a.sampler.history != b.sampler.history,
      "sampler");
  return d;
}

}  // namespace

bool ReadSecretFile(const std::string& path, std::string* secret, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot read password file";
    return false;
  }
  std::getline(in, *secret);
  while (!secret->empty() && (secret->back() == '\r' || secret->back() == '\n')) secret->pop_back();
  return true;
}

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
  std::string problem;
  site->templates = Templates::Load(config.web.templates, &problem);
  if (!site->templates) spdlog::warn("partials disabled: {}", problem);
  site->files = StaticFiles::Load(config.web.root, &problem);
  if (!site->files) {
    spdlog::warn("static site disabled: {}", problem);
    site->files = StaticFiles::Empty();
  }
  site->queries = std::make_shared<const std::vector<QueryConfig>>(config.queries);
  site->stale_after_seconds = config.cache.effective_stale_after().count() / 1000.0;
  site->max_sse_streams = config.web.max_sse_streams;
  site->sse_interval = config.web.sse_interval;
  site->sse_max_duration = config.web.sse_max_duration;
  return site;
}

int Daemon::Run() {
  // Signals are taken synchronously by this thread; every thread started below
  // inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  ConfigResult loaded = LoadEffectiveConfig(flags_);
  if (!loaded.ok()) {
    spdlog::error("{}", loaded.error);
    return 1;
  }
  Config config = *loaded.config;
  ConfigureLogging(config.log.level, config.log.format);
  std::string password;
  std::string error;
  if (!config.redis.password_file.empty() &&
      !ReadSecretFile(config.redis.password_file, &password, &error)) {
    spdlog::error("{}", error);
    return 1;
  }
  auto site = BuildSite(config, &error);
  if (!site) {
    spdlog::error("{}", error);
    return 1;
  }

  Metrics metrics(OBSERVD_VERSION, OBSERVD_REVISION);
  History history(static_cast<size_t>(config.sampler.history / config.sampler.interval));
  auto on_redis_error = [&metrics] { metrics.redis_errors().Increment(); };
  auto source = std::make_shared<const SnapshotSource>(config.keys, config.queries, Producer());
  auto provider = std::make_unique<SharedSnapshotProvider>(
      std::make_unique<RedisClient>(MakeRedisOptions(config.redis, password, "snapshot"),
                                    on_redis_error),
      source, config.cache.key, config.cache.ttl);
  SharedSnapshotProvider* provider_ptr = provider.get();
  SnapshotCache::Options cache_options;
  cache_options.ttl = config.cache.ttl;
  cache_options.max_wait =
      config.cache.max_wait.count() ? config.cache.max_wait : config.redis.command_timeout;
  SnapshotCache cache(cache_options, std::move(provider), UnixNow,
                      {[&metrics] { metrics.cache_hits().Increment(); },
                       [&metrics] { metrics.cache_misses().Increment(); },
                       [&metrics](RefreshOutcome o, double s) { metrics.ObserveRefresh(o, s); }});
  Annotations annotations;
  annotations.Mark(UnixNow(), "restart", "observd started");
  LatencySampler sampler(std::make_unique<RedisClient>(
                             MakeRedisOptions(config.redis, password, "sampler"), on_redis_error),
                         &history, config.sampler.interval, UnixNow,
                         [&metrics, &annotations](bool up, double s) {
                           metrics.ObservePing(up, s);
                           annotations.RedisState(UnixNow(), up);
                         });

  RouteDeps deps{&metrics,         &cache,    &history,
                 &sampler,         UnixNow,   OBSERVD_VERSION,
                 OBSERVD_REVISION, UnixNow(), config.sampler.interval.count() / 1000.0,
                 &annotations};
  Routes routes(deps);
  routes.SetSite(site);
  metrics.SetSnapshotState([&cache, &routes] {
    SnapshotState state;
    state.snapshot = cache.Current();
    auto s = routes.site();
    state.queries = s->queries;
    if (state.snapshot) {
      state.age_seconds = std::max(0.0, UnixNow() - state.snapshot->app.computed_at);
      state.stale = state.age_seconds > s->stale_after_seconds;
    }
    return state;
  });

  auto server = WebServer::Start(config.web, &routes, &error);
  if (!server) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("listening address={} redis={} version={} revision={}", config.web.listen_address,
               MakeRedisOptions(config.redis, "", "").address.ToString(), OBSERVD_VERSION,
               OBSERVD_REVISION);
  cache.Start();
  sampler.Start();
  cache.RefreshAndWait(config.redis.connect_timeout + 4 * config.redis.command_timeout);
  routes.SetReady(true);
  NotifyReady("Serving on " + config.web.listen_address);

  const auto watchdog = WatchdogInterval();
  const double heartbeat_limit =
      3 *
      (config.sampler.interval.count() + config.redis.connect_timeout.count() +
       config.redis.command_timeout.count()) /
      1000.0;
  while (true) {
    auto wait = watchdog.count()
                    ? std::chrono::duration_cast<std::chrono::milliseconds>(watchdog / 2)
                    : std::chrono::milliseconds(1000);
    timespec ts{static_cast<time_t>(wait.count() / 1000),
                static_cast<long>(wait.count() % 1000) * 1000000};
    int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGTERM || sig == SIGINT) {
      spdlog::info("received signal {}; draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      break;
    }
    if (sig == SIGHUP) {
      NotifyReloading();
      ConfigResult next = LoadEffectiveConfig(flags_);
      std::shared_ptr<Site> next_site;
      if (!next.ok()) {
        spdlog::error("reload failed, keeping the running configuration: {}", next.error);
      } else if (!(next_site = BuildSite(*next.config, &error))) {
        spdlog::error("reload failed, keeping the running configuration: {}", error);
      } else {
        std::string restart = RestartOnlyDiff(config, *next.config);
        if (!restart.empty()) spdlog::warn("reload: changes to {} need a restart", restart);
        // The worker pool was sized for the running stream cap: keep it.
        next_site->max_sse_streams = config.web.max_sse_streams;
        ConfigureLogging(next.config->log.level, next.config->log.format);
        provider_ptr->SetSource(std::make_shared<const SnapshotSource>(
            next.config->keys, next.config->queries, Producer()));
        routes.SetSite(next_site);
        cache.Invalidate();
        config.keys = next.config->keys;
        config.queries = next.config->queries;
        config.web.templates = next.config->web.templates;
        config.web.root = next.config->web.root;
        annotations.Mark(UnixNow(), "reload", "configuration reloaded");
        spdlog::info("configuration reloaded from {}", flags_.config_file);
      }
      NotifyReady("Serving on " + config.web.listen_address);
    }
    if (watchdog.count() && SteadySeconds() - sampler.last_tick() < heartbeat_limit) {
      NotifyWatchdog();  // only while the sampler loop is alive
    }
  }
  NotifyStopping();
  routes.BeginShutdown();
  server->Stop();
  sampler.Stop();
  cache.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace observd
