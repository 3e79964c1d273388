// Command line: CLI11 parses, then the values are checked with the same rules as the
// config file, so `observd --log.level=loud` fails before anything starts.
#include "config/flags.h"

#include <CLI/CLI.hpp>

#include "config/yaml_reader.h"
#include "observd_revision.h"
#include "util/secret_file.h"

namespace observd {

namespace {

// Returns the config string a flag overrides.
std::string* Target(Config* c, const std::string& field) {
  if (field == "web.listen_address") return &c->web.listen_address;
  if (field == "web.config_file") return &c->web.config_file;
  if (field == "web.root") return &c->web.root;
  if (field == "web.templates") return &c->web.templates;
  if (field == "redis.addr") return &c->redis.addr;
  if (field == "redis.password_file") return &c->redis.password_file;
  if (field == "log.level") return &c->log.level;
  return &c->log.format;
}

// A flag that overrides a config string; validation errors about that field name the
// flag instead.
struct FlagField {
  const char* flag;
  const char* field;
  std::optional<std::string> Flags::*value;
};

constexpr FlagField kFlagFields[] = {
    {"--web.listen-address", "web.listen_address", &Flags::listen_address},
    {"--web.config.file", "web.config_file", &Flags::web_config_file},
    {"--web.root", "web.root", &Flags::web_root},
    {"--web.templates", "web.templates", &Flags::web_templates},
    {"--redis.addr", "redis.addr", &Flags::redis_addr},
    {"--redis.password-file", "redis.password_file", &Flags::redis_password_file},
    {"--log.level", "log.level", &Flags::log_level},
    {"--log.format", "log.format", &Flags::log_format},
};

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

const char kFooter[] =
    "The Redis password is read only from the file given by --redis.password-file (or\n"
    "redis.password_file), never from the command line or the config file. Flags override\n"
    "the matching keys of the config file.";

}  // namespace

std::string VersionText() {
  return std::string("observd, version ") + OBSERVD_VERSION + " (revision: " + OBSERVD_REVISION +
         ")";
}

FlagsResult ParseFlags(int argc, const char* const* argv) {
  Flags flags;
  std::string values[std::size(kFlagFields)];
  CLI::App app(
      "observd: Prometheus exporter and live dashboard for an application whose "
      "activity lives in Redis.",
      "observd");
  app.get_formatter()->column_width(32);
  app.footer(kFooter);
  CLI::Option* config_file =
      app.add_option("--config.file", flags.config_file,
                     "YAML configuration file; a missing default file means built-in defaults "
                     "(default: /etc/observd/observd.yml)")
          ->type_name("FILE");
  const char* const kHelp[] = {
      "host:port to listen on, IPv4 or localhost; empty host = all interfaces "
      "(default: 127.0.0.1:9469)",
      "exporter-toolkit web-config.yml with basic_auth_users (bcrypt) and "
      "http_server_config.headers (default: none, no authentication)",
      "folder of a static site to serve instead of the one built into observd (default: "
      "none, the built-in site)",
      "folder of mustache templates to use instead of those built into observd (default: "
      "none, the built-in templates)",
      "Redis address: redis://[user@]host:port/db, unix:///path?db=N or "
      "redis-sentinel://[user@]host:port[,host:port...]/master/db; rediss:// is refused (use "
      "the stunnel recipe) (default: redis://127.0.0.1:6379/0)",
      "file holding the Redis password on one line (one trailing newline is dropped); the "
      "password is never given on the command line (default: none, no AUTH)",
      "log level: trace, debug, info, warn, error, off (default: info)",
      "log format: logfmt or json (default: logfmt)",
  };
  const char* const kTypes[] = {"HOST:PORT", "FILE", "DIR",   "DIR",
                                "ADDR",      "FILE", "LEVEL", "FORMAT"};
  CLI::Option* options[std::size(kFlagFields)];
  for (size_t i = 0; i < std::size(kFlagFields); ++i) {
    options[i] = app.add_option(kFlagFields[i].flag, values[i], kHelp[i])->type_name(kTypes[i]);
  }
  app.add_flag("--check-config", flags.check_config,
               "validate the configuration (file, flags, web config) and exit");
  app.add_flag("--version", flags.version, "print the version and exit");

  try {
    // CLI11 wants argv in reverse order; a vector keeps argv[0] out of it.
    std::vector<std::string> args;
    for (int i = argc - 1; i >= 1; --i) args.emplace_back(argv[i]);
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return {std::nullopt, 0, app.help()};
    return {std::nullopt, 2, "observd: " + OneLine(e.what()) + " (see --help)"};
  } catch (const std::exception& e) {
    return {std::nullopt, 2, "observd: " + OneLine(e.what())};
  }
  flags.config_file_given = config_file->count() > 0;
  if (flags.config_file.empty()) {
    return {std::nullopt, 2, "observd: --config.file: must not be empty"};
  }
  for (size_t i = 0; i < std::size(kFlagFields); ++i) {
    if (options[i]->count() > 0) flags.*kFlagFields[i].value = values[i];
  }
  // Catch malformed values now (exit 2) rather than after loading the file.
  Config defaults;
  if (std::string err = ApplyFlags(flags, &defaults); !err.empty()) {
    return {std::nullopt, 2, "observd: " + err};
  }
  return {std::move(flags), 0, ""};
}

std::string ApplyFlags(const Flags& flags, Config* config) {
  for (const FlagField& f : kFlagFields) {
    if (flags.*f.value) *Target(config, f.field) = *(flags.*f.value);
  }
  std::string err = ValidateConfig(*config);
  if (err.empty()) return "";
  for (const FlagField& f : kFlagFields) {
    const std::string prefix = std::string(f.field) + ": ";
    if (flags.*f.value && err.starts_with(prefix)) {
      return std::string(f.flag) + ": " + err.substr(prefix.size());
    }
  }
  return err;
}

ConfigResult LoadEffectiveConfig(const Flags& flags) {
  ConfigResult result = LoadConfigFile(flags.config_file, !flags.config_file_given);
  if (!result.ok()) return result;
  Config& config = *result.config;
  const std::string in_file = config.source.empty() ? "" : config.source + ": ";
  if (std::string err = ApplyFlags(flags, &config); !err.empty()) {
    return {std::nullopt, err.starts_with("--") ? err : in_file + err};
  }
  std::string err;
  std::string unused;  // read with the daemon's rule, so --check-config catches it.
  if (!config.redis.password_file.empty() &&
      !ReadSecretFile(config.redis.password_file, &unused, &err)) {
    return {std::nullopt, flags.redis_password_file ? "--redis.password-file: " + err
                                                    : in_file + "redis.password_file: " + err};
  }
  if (!config.redis.sentinel_password_file.empty() &&
      !ReadSecretFile(config.redis.sentinel_password_file, &unused, &err)) {
    return {std::nullopt, in_file + "redis.sentinel_password_file: " + err};
  }
  return result;
}

}  // namespace observd
