// Flags owns the command line: node_exporter-style flags that override the config
// file. Parsing is pure and thread-compatible; it never touches the network.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace observd {

struct Flags {
  std::string config_file = "/etc/observd/observd.yml";
  bool config_file_given = false;  // a missing file named explicitly is an error.
  std::optional<std::string> listen_address;
  std::optional<std::string> web_config_file;
  std::optional<std::string> web_root;
  std::optional<std::string> web_templates;
  std::optional<std::string> redis_addr;
  std::optional<std::string> redis_password_file;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  bool check_config = false;
  bool version = false;
};

struct FlagsResult {
  std::optional<Flags> flags;
  int exit_code = 0;   // when !flags: 0 for --help, 2 for a bad flag.
  std::string output;  // when !flags: the help text or the one-line error.
};

// Parses argv. Unknown flags and malformed values are errors; --help fills `output`.
FlagsResult ParseFlags(int argc, const char* const* argv);

// "observd, version 0.1.0 (revision: abc123)", what --version prints.
std::string VersionText();

// Overlays the flags given on `config` and re-validates. Returns "" or the problem,
// naming the flag ("--redis.addr: ...").
std::string ApplyFlags(const Flags& flags, Config* config);

// Loads the config file named by the flags (default path may be absent) and applies
// the flag overrides: the one call the daemon makes at start-up and on SIGHUP. Also
// checks that the effective redis.password_file, if any, is a readable file (without
// reading it). It does not load web.config_file: call LoadWebAuthConfig for that.
ConfigResult LoadEffectiveConfig(const Flags& flags);

}  // namespace observd
