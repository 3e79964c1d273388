// Daemon wires observd together and runs its lifecycle: load config, bind, first
// snapshot, READY; SIGHUP reloads (a bad new config is logged and the old one
// kept); SIGTERM/SIGINT drain and exit 0; the systemd watchdog is fed only while
// the sampler loop is alive. Run() is called once from the main thread.
#pragma once

#include <memory>
#include <string>

#include "config/flags.h"
#include "http/routes.h"

namespace observd {

// Builds the reloadable part of the site (templates, static files, web-config auth
// and headers) for `config`. Missing templates or web root are logged and leave
// those routes answering 503/404; a broken web-config file is an error.
std::shared_ptr<Site> BuildSite(const Config& config, std::string* error);

class Daemon {
 public:
  explicit Daemon(Flags flags) : flags_(std::move(flags)) {}
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until SIGTERM/SIGINT. Returns the process exit code.
  int Run();

 private:
  const Flags flags_;
};

}  // namespace observd
