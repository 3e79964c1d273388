// Settings is the one table of observd's scalar settings (key, Config field, reload rule,
// help, value rule, flag): the YAML reader, flags and --help, validation, the restart-only
// warning and the docs test derive from it; defaults are config.h's member initialisers,
// read through the rows (DefaultText). Immutable; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "util/result.h"

namespace observd {

// Where a setting lives in Config: a function returning a reference to its field. The
// field's C++ type is the setting's type (string, integer, duration, list of strings).
template <typename T>
using SettingRef = T& (*)(Config&);
using SettingField = std::variant<SettingRef<std::string>, SettingRef<int>, SettingRef<Millis>,
                                  SettingRef<std::vector<std::string>>>;

// Whether SIGHUP applies a changed value, or the running value stays until a restart.
enum class Reload { kOnSighup, kRestart };

// The value rule of a setting, checked by the one validation pass (config_validate.cc).
// kOneOf: a string among `choices` (which --help lists too).
enum class Rule { kNone, kNotEmpty, kPositive, kRange, kOneOf };

// The choices of log.level and log.format (daemon/logging.cc maps them to spdlog).
inline constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
inline constexpr std::string_view kLogFormats[] = {"logfmt", "json"};

struct Setting {
  const char* key;  // the YAML path: "web.listen_address"
  SettingField field;
  Reload reload;
  const char* help;  // one line for --help and readers of the table, without the default
  Rule rule = Rule::kNone;
  long min = 0;  // kRange: inclusive bounds
  long max = 0;
  const char* flag = nullptr;        // "--web.listen-address"; nullptr: config file only
  const char* value_name = nullptr;  // the flag's --help placeholder: "HOST:PORT"
  const char* unset = nullptr;       // what an empty value means: "no authentication"
  std::span<const std::string_view> choices = {};  // kOneOf: the accepted values
};

// "a, b or c": the choices of a kOneOf setting, for help and error texts.
std::string ChoicesText(const Setting& s);

// Every setting, in the order of the shipped config file (packaging/observd.yml).
std::span<const Setting> Settings();

// The row of `key` ("web.num_threads"), or nullptr.
const Setting* FindSetting(std::string_view key);

// The names directly below `path` in the key tree, in table order: the sections for "",
// "listen_address", ..., "thresholds" for "web". Empty for a leaf or an unknown path.
std::vector<std::string> SettingChildren(std::string_view path);

// The value of `s` in `config` the way the config file writes it: "127.0.0.1:9469",
// "256", "5s", "[succeeded, failed, running]"; "" for an empty string.
std::string FormatSetting(const Setting& s, const Config& config);

// FormatSetting of the built-in default (a default-constructed Config).
std::string DefaultText(const Setting& s);

// Sets `s` in `*config` from command-line text: strings as given, integers and durations
// parsed ("expected an integer, got \"x\""), lists comma-separated. Not validated.
Result<> SetSettingFromText(const Setting& s, std::string_view text, Config* config);

// Checks the value rule of `s` in `config`: "must be between 2 and 1024, got 1".
Result<> CheckSettingRule(const Setting& s, const Config& config);

// Whether `s` differs between `a` and `b`; copies it from `from` to `*to`.
bool SettingDiffers(const Setting& s, const Config& a, const Config& b);
void CopySetting(const Setting& s, const Config& from, Config* to);

}  // namespace observd
