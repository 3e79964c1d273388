// What the rest of config/ and daemon/ do with a row of the settings table: format, set
// from a flag, check its rule, compare and copy. The rows are in settings_table.cc.
#include "config/settings.h"

#include <algorithm>

#include "config/yaml_reader.h"
#include "util/duration.h"
#include "util/field_list.h"

namespace observd {
namespace {

// The table's accessors take a Config&; the functions below that only read call them on
// a const Config through this (and never write through it).
Config& Writable(const Config& config) { return const_cast<Config&>(config); }

// Calls `f` with a reference to the field of `s` in `config`, typed.
template <typename F>
decltype(auto) WithField(const Setting& s, Config& config, F&& f) {
  return std::visit([&](auto ref) -> decltype(auto) { return f(ref(config)); }, s.field);
}

std::string Format(const std::string& v) { return v; }
std::string Format(int v) { return std::to_string(v); }
std::string Format(Millis v) { return FormatDuration(v); }
std::string Format(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& item : v) out += (out.empty() ? "" : ", ") + item;
  return "[" + out + "]";
}

Result<> Parse(std::string_view text, std::string* out) {
  *out = std::string(text);
  return Ok();
}

Result<> Parse(std::string_view text, int* out) {
  const std::optional<int> v = YamlReader::ParseInt(text);
  if (!v) return Fail("expected an integer, got " + YamlReader::Quote(text));
  *out = *v;
  return Ok();
}

Result<> Parse(std::string_view text, Millis* out) {
  std::optional<Millis> d = ParseDuration(text);
  if (!d) {
    return Fail(std::string("expected ") + YamlReader::kDurationForm + ", got " +
                YamlReader::Quote(text));
  }
  *out = *d;
  return Ok();
}

Result<> Parse(std::string_view text, std::vector<std::string>* out) {
  out->clear();
  AnyListElement(text, [&](std::string_view item) {
    out->emplace_back(item);
    return false;
  });
  return Ok();
}

}  // namespace

const Setting* FindSetting(std::string_view key) {
  for (const Setting& s : Settings()) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

std::vector<std::string> SettingChildren(std::string_view path) {
  std::vector<std::string> children;
  const std::string prefix = path.empty() ? "" : std::string(path) + ".";
  for (const Setting& s : Settings()) {
    std::string_view key = s.key;
    if (!key.starts_with(prefix) || key.size() == prefix.size()) continue;
    key.remove_prefix(prefix.size());
    std::string child(key.substr(0, key.find('.')));
    if (children.empty() || children.back() != child) children.push_back(std::move(child));
  }
  return children;
}

std::string FormatSetting(const Setting& s, const Config& config) {
  return WithField(s, Writable(config), [](const auto& value) { return Format(value); });
}

std::string DefaultText(const Setting& s) { return FormatSetting(s, Config{}); }

Result<> SetSettingFromText(const Setting& s, std::string_view text, Config* config) {
  return WithField(s, *config, [&](auto& value) { return Parse(text, &value); });
}

Result<> CheckSettingRule(const Setting& s, const Config& config) {
  return WithField(s, Writable(config), [&](const auto& value) -> Result<> {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, int>) {
      if (s.rule == Rule::kRange && (value < s.min || value > s.max)) {
        return Fail("must be between " + std::to_string(s.min) + " and " + std::to_string(s.max) +
                    ", got " + std::to_string(value));
      }
    } else if constexpr (std::is_same_v<T, Millis>) {
      if (s.rule == Rule::kPositive && value.count() <= 0) return Fail("must be greater than 0");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (s.rule == Rule::kNotEmpty && value.empty()) return Fail("must not be empty");
      if (s.rule == Rule::kOneOf &&
          std::find(s.choices.begin(), s.choices.end(), value) == s.choices.end()) {
        const std::string which = s.choices.size() > 2 ? "one of " : "";
        return Fail("must be " + which + ChoicesText(s) + ", got " + YamlReader::Quote(value));
      }
    }
    return Ok();
  });
}

std::string ChoicesText(const Setting& s) {
  std::string out;
  for (size_t i = 0; i < s.choices.size(); ++i) {
    if (i > 0) out += i + 1 == s.choices.size() ? " or " : ", ";
    out += s.choices[i];
  }
  return out;
}

bool SettingDiffers(const Setting& s, const Config& a, const Config& b) {
  return std::visit([&](auto ref) { return ref(Writable(a)) != ref(Writable(b)); }, s.field);
}

void CopySetting(const Setting& s, const Config& from, Config* to) {
  std::visit([&](auto ref) { ref(*to) = ref(Writable(from)); }, s.field);
}

}  // namespace observd
