// observd: parses flags and runs the daemon. Everything else lives in the layers below.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <string>

#include "config/flags.h"
#include "config/web_config.h"
#include "daemon/daemon.h"
#include "daemon/logging.h"
#include "daemon/malloc_tuning.h"
#include "daemon/site_loader.h"

int main(int argc, char** argv) {
  const observd::Result<> malloc_bounds = observd::BoundMallocArenas();
  observd::Result<observd::Flags> parsed = observd::ParseFlags(argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.error().c_str());
    return 2;
  }
  const observd::Flags& flags = *parsed;
  using Action = observd::Flags::Action;
  if (flags.action == Action::kHelp) {
    std::fputs(observd::HelpText().c_str(), stdout);
    return 0;
  }
  if (flags.action == Action::kVersion) {
    std::printf("%s\n%s\n", observd::VersionText().c_str(), observd::EmbeddedSiteSummary().c_str());
    // Which copy a start with these flags would serve (overrides from the flags or file).
    observd::Result<observd::Config> config = observd::LoadEffectiveConfig(flags);
    if (config.ok()) {
      const observd::WebConfig& web = config->web;
      std::printf("site served: %s; templates: %s\n",
                  web.root.empty() ? "embedded" : web.root.c_str(),
                  web.templates.empty() ? "embedded" : web.templates.c_str());
    }
    return 0;
  }
  if (flags.action == Action::kCheckConfig) {
    observd::Result<observd::Config> config = observd::LoadEffectiveConfig(flags);
    if (!config.ok()) {
      std::fprintf(stderr, "%s\n", config.error().c_str());
      return 1;
    }
    if (auto web = observd::LoadWebAuthConfig(config->web.config_file); !web.ok()) {
      std::fprintf(stderr, "%s\n", web.error().c_str());
      return 1;
    }
    std::printf("configuration OK: %s\n",
                config->source.empty() ? "(built-in defaults)" : config->source.c_str());
    return 0;
  }
  observd::ConfigureLogging("info",
                            flags.Given("log.format").value_or(observd::Config{}.log.format));
  if (!malloc_bounds.ok()) spdlog::warn("{}; resident memory may creep up", malloc_bounds.error());
  try {
    return observd::Daemon(flags).Run();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}
