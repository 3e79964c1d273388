// Command line: CLI11 parses, the settings table (settings.h) supplies the flags with
// their help and defaults, then the values are checked with the same rules as the
// config file, so `observd --log.level=loud` fails before anything starts.
#include "config/flags.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

#include "config/settings.h"
#include "observd_revision.h"
#include "util/secret_file.h"

namespace observd {

namespace {

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

// "(default: 127.0.0.1:9469)", or "(default: none, <what empty means>)".
std::string DefaultNote(const std::string& value, const char* unset) {
  if (!value.empty()) return "(default: " + value + ")";
  return std::string("(default: none") + (unset ? std::string(", ") + unset : "") + ")";
}

// The CLI11 app with every option bound: --config.file and the mode flags to `flags`,
// each setting's flag to one string of `values`.
struct CommandLine {
  CommandLine() {
    app.get_formatter()->column_width(32);
    app.footer(kFooter);
    config_file = app.add_option("--config.file", flags.config_file,
                                 "YAML configuration file; a missing default file means "
                                 "built-in defaults " +
                                     DefaultNote(Flags{}.config_file, nullptr))
                      ->type_name("FILE");
    for (const Setting& s : Settings()) {
      if (s.flag != nullptr) settings.push_back(&s);
    }
    values.resize(settings.size());
    for (size_t i = 0; i < settings.size(); ++i) {
      const Setting& s = *settings[i];
      std::string help = s.help;
      if (s.rule == Rule::kOneOf) help += ": " + ChoicesText(s);
      help += " " + DefaultNote(DefaultText(s), s.unset);
      options.push_back(app.add_option(s.flag, values[i], help)->type_name(s.value_name));
    }
    app.add_flag("--check-config", check_config,
                 "validate the configuration (file, flags, web config) and exit");
    app.add_flag("--version", version, "print the version and exit");
  }

  CLI::App app{
      "observd: Prometheus exporter and live dashboard for an application whose activity "
      "lives in Redis.",
      "observd"};
  Flags flags;
  bool check_config = false;
  bool version = false;
  CLI::Option* config_file = nullptr;
  std::vector<const Setting*> settings;  // those with a flag, in table order
  std::vector<std::string> values;       // parallel to `settings`, bound to CLI11
  std::vector<CLI::Option*> options;     // parallel to `settings`
};

// The flags as CLI11 left them in `cl`, before their values are checked.
Flags Collect(CommandLine& cl) {
  Flags flags = std::move(cl.flags);
  flags.config_file_given = cl.config_file->count() > 0;
  if (cl.check_config) flags.action = Flags::Action::kCheckConfig;
  if (cl.version) flags.action = Flags::Action::kVersion;
  for (size_t i = 0; i < cl.settings.size(); ++i) {
    if (cl.options[i]->count() > 0) flags.overrides[cl.settings[i]->key] = cl.values[i];
  }
  return flags;
}

}  // namespace

std::optional<std::string> Flags::Given(std::string_view key) const {
  auto it = overrides.find(std::string(key));
  if (it == overrides.end()) return std::nullopt;
  return it->second;
}

std::string VersionText() {
  return std::string("observd, version ") + OBSERVD_VERSION + " (revision: " + OBSERVD_REVISION +
         ")";
}

std::string HelpText() { return CommandLine().app.help(); }

Result<Flags> ParseFlags(int argc, const char* const* argv) {
  auto cl = std::make_unique<CommandLine>();
  try {
    // CLI11 wants argv in reverse order; a vector keeps argv[0] out of it. CLI11 2.1
    // reads `--name=` as `--name` without a value and takes the next argument as the
    // value (`--history.path= --check-config` would be a store named "--check-config"):
    // it gets `--name ""`, the empty value it says.
    std::vector<std::string> args;
    for (int i = argc - 1; i >= 1; --i) {
      const std::string_view arg(argv[i]);
      if (arg.starts_with("--") && arg.find('=') == arg.size() - 1) {
        args.emplace_back("");
        args.emplace_back(arg.substr(0, arg.size() - 1));
      } else {
        args.emplace_back(arg);
      }
    }
    cl->app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help: a request, not an error
      Flags help;
      help.action = Flags::Action::kHelp;
      return help;
    }
    return Fail("observd: " + OneLine(e.what()) + " (see --help)");
  } catch (const std::exception& e) {
    return Fail("observd: " + OneLine(e.what()));
  }
  Flags flags = Collect(*cl);
  if (flags.config_file.empty()) return Fail("observd: --config.file: must not be empty");
  // Catch malformed values now (exit 2) rather than after loading the file.
  Config defaults;
  if (Result<> applied = ApplyFlags(flags, &defaults); !applied.ok()) {
    return Fail("observd: " + applied.error());
  }
  return flags;
}

Result<> ApplyFlags(const Flags& flags, Config* config) {
  for (const auto& [key, value] : flags.overrides) {
    const Setting& s = *FindSetting(key);
    if (Result<> set = SetSettingFromText(s, value, config); !set.ok()) {
      return Fail(std::string(s.flag) + ": " + set.error());
    }
  }
  Result<> valid = ValidateConfig(*config);
  if (valid.ok()) return Ok();
  for (const auto& [key, value] : flags.overrides) {
    const std::string prefix = key + ": ";
    if (valid.error().starts_with(prefix)) {
      return Fail(FindSetting(key)->flag + (": " + valid.error().substr(prefix.size())));
    }
  }
  return valid;
}

namespace {

// The secret files of `config` must be readable under the daemon's rule, so
// --check-config catches them; an error names the flag if the path came from one.
Result<> CheckSecretFiles(const Flags& flags, const Config& config, const std::string& in_file) {
  for (const char* key : {"redis.password_file", "redis.sentinel_password_file"}) {
    const Setting& s = *FindSetting(key);
    const std::string path = FormatSetting(s, config);
    if (path.empty()) continue;
    if (Result<std::string> secret = ReadSecretFile(path); !secret.ok()) {
      const bool from_flag = flags.Given(key).has_value();
      return Fail((from_flag ? std::string(s.flag) : in_file + key) + ": " + secret.error());
    }
  }
  return Ok();
}

}  // namespace

Result<Config> LoadEffectiveConfig(const Flags& flags) {
  Result<Config> config = LoadConfigFile(flags.config_file, !flags.config_file_given);
  if (!config.ok()) return config;
  const std::string in_file = config->source.empty() ? "" : config->source + ": ";
  if (Result<> applied = ApplyFlags(flags, &*config); !applied.ok()) {
    const std::string& err = applied.error();
    return Fail(err.starts_with("--") ? err : in_file + err);
  }
  if (Result<> secrets = CheckSecretFiles(flags, *config, in_file); !secrets.ok()) {
    return Fail(secrets.error());
  }
  return config;
}

}  // namespace observd
