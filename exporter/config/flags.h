// Flags owns the command line: node_exporter-style flags that override the config
// file, one per row of the settings table that names a flag (settings.h), plus
// --config.file, --check-config, --version and --help. Parsing is pure and
// thread-compatible; it never touches the network.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "util/result.h"

namespace observd {

struct Flags {
  // What the command line asks for; --help wins over --version over --check-config.
  enum class Action { kRun, kCheckConfig, kVersion, kHelp };
  Action action = Action::kRun;
  std::string config_file = "/etc/observd/observd.yml";
  bool config_file_given = false;  // a missing file named explicitly is an error.
  // The settings given as flags: config key ("web.listen_address") -> value as given.
  std::map<std::string, std::string> overrides;

  // The value given for the setting `key`, or nullopt when its flag was not given.
  std::optional<std::string> Given(std::string_view key) const;
};

// Parses argv. Unknown flags and malformed values fail with one line
// "observd: <problem> (see --help)"; the caller exits 2 then.
Result<Flags> ParseFlags(int argc, const char* const* argv);

// What --help prints.
std::string HelpText();

// "observd, version 0.1.0 (revision: abc123)", what --version prints.
std::string VersionText();

// Overlays the flags given on `config` and re-validates. Fails with the problem,
// naming the flag when it is about a flag's value ("--redis.addr: ...").
Result<> ApplyFlags(const Flags& flags, Config* config);

// Loads the config file named by the flags (default path may be absent) and applies
// the flag overrides: the one call the daemon makes at start-up and on SIGHUP. Also
// checks that the effective redis.password_file and redis.sentinel_password_file, if
// any, are readable secret files. It does not load web.config_file: call
// LoadWebAuthConfig for that.
Result<Config> LoadEffectiveConfig(const Flags& flags);

}  // namespace observd
