// Daemon runs observd's lifecycle on the main thread: load the configuration, wire
// the services, start serving and tell systemd READY, then wait for signals —
// SIGHUP reloads (a bad new configuration is logged and the running one kept),
// SIGTERM/SIGINT drain and exit 0 — feeding the watchdog only while the sampler
// loop is alive. Run() is called once.
#pragma once

#include "config/flags.h"

namespace observd {

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
