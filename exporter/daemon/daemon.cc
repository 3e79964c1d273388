#include "daemon/daemon.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

#include "daemon/logging.h"
#include "daemon/malloc_tuning.h"
#include "daemon/notify.h"
#include "daemon/runtime.h"
#include "daemon/services.h"
#include "observd_revision.h"
#include "util/clock.h"

namespace observd {
namespace {

// Blocks the signals observd handles so this thread takes them synchronously; every
// thread started later inherits the mask.
sigset_t BlockSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signals;
}

// Loads the configuration and builds its Runtime; logs and returns nullptr on error.
std::shared_ptr<const Runtime> Load(const Flags& flags) {
  Result<Config> loaded = LoadEffectiveConfig(flags);
  if (!loaded.ok()) {
    spdlog::error("{}", loaded.error());
    return nullptr;
  }
  auto runtime = BuildRuntime(*loaded);
  if (!runtime) {
    spdlog::error("{}", runtime.error());
    return nullptr;
  }
  return *runtime;
}

// SIGHUP: a new Runtime from the files, or the running one kept with the reason logged.
void Reload(const Flags& flags, Services* services) {
  NotifyReloading();
  const Config& running = services->runtime().config;
  Result<Config> next = LoadEffectiveConfig(flags);
  std::string error;
  std::shared_ptr<const Runtime> runtime;
  if (!next.ok()) {
    error = next.error();
  } else if (auto built = BuildRuntime(KeepRestartOnly(running, *next)); !built) {
    error = built.error();
  } else {
    runtime = *built;
    std::string restart = RestartOnlyDiff(running, *next);
    if (!restart.empty()) spdlog::warn("reload: changes to {} need a restart", restart);
  }
  if (runtime) {
    ConfigureLogging(runtime->config.log.level, runtime->config.log.format);
    services->Apply(runtime);
    spdlog::info("configuration reloaded from {}; {}", flags.config_file, runtime->site->source);
  } else {
    spdlog::error("reload failed, keeping the running configuration: {}", error);
  }
  NotifyReady("Serving on " + services->runtime().config.web.listen_address);
}

// Waits for SIGTERM/SIGINT, reloading on SIGHUP and feeding the watchdog meanwhile.
void WaitForStop(const Flags& flags, const sigset_t& signals, Services* services) {
  const auto watchdog = WatchdogInterval();
  const Config& c = services->runtime().config;
  // The sampler loop ticks every interval; a PING may take connect + command time.
  const double heartbeat_limit =
      3 * (c.sampler.interval + c.redis.connect_timeout + c.redis.command_timeout).count() / 1000.0;
  const auto wait = watchdog.count()
                        ? std::chrono::duration_cast<std::chrono::milliseconds>(watchdog / 2)
                        : std::chrono::milliseconds(1000);
  const timespec ts{static_cast<time_t>(wait.count() / 1000),
                    static_cast<long>(wait.count() % 1000) * 1000000};
  while (true) {
    int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGTERM || sig == SIGINT) {
      spdlog::info("received signal {}; draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return;
    }
    if (sig == SIGHUP) Reload(flags, services);
    if (watchdog.count() && SteadySeconds() - services->last_tick() < heartbeat_limit) {
      NotifyWatchdog();  // only while the sampler loop is alive
    }
  }
}

}  // namespace

int Daemon::Run() {
  const sigset_t signals = BlockSignals();
  auto runtime = Load(flags_);
  if (!runtime) return 1;
  const Config& config = runtime->config;
  ConfigureLogging(config.log.level, config.log.format);
  Result<RedisSecrets> secrets = ReadRedisSecrets(config.redis);
  if (!secrets) {
    spdlog::error("{}", secrets.error());
    return 1;
  }
  Services services(runtime, *secrets);
  if (auto started = services.Start(); !started) {
    spdlog::error("{}", started.error());
    return 1;
  }
  spdlog::info("listening address={} redis={} version={} revision={} {}", config.web.listen_address,
               MakeRedisOptions(config.redis, {}, "").address.ToString(), OBSERVD_VERSION,
               OBSERVD_REVISION, runtime->site->source);
  spdlog::info("{}", ThreadCacheNote());
  NotifyReady("Serving on " + config.web.listen_address);
  WaitForStop(flags_, signals, &services);
  NotifyStopping();
  services.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace observd
