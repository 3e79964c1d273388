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
// and headers) for `config`. The site and templates are the embedded copies unless
// web.root / web.templates name folders; a broken folder is logged and the embedded
// copy serves (see site_loader.h). A broken web-config file is an error.
std::shared_ptr<Site> BuildSite(const Config& config, std::string* error);

// Reads a secret file (first line, trailing CR/LF removed). The error never
// contains the file's content.
bool ReadSecretFile(const std::string& path, std::string* secret, std::string* error);

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
