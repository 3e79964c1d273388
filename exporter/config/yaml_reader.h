// YamlReader turns yaml-cpp nodes into typed values for config.cc and web_config.cc,
// recording the first problem as one line "file:line:col: problem" (later reads are
// no-ops, so parsers read straight through without checking after every field).
// Internal to exporter/config; header-only; one reader per parse, not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "util/quote.h"

namespace observd {

class YamlReader {
 public:
  // What a duration looks like, for "expected ..." errors.
  static constexpr const char* kDurationForm = "a duration like 250ms, 30s, 5m or 1h30m";

  explicit YamlReader(std::string source) : source_(std::move(source)) {}
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // "file:line:col" for `mark` (yaml-cpp counts from 0, editors from 1).
  std::string Position(const YAML::Mark& mark) const {
    if (mark.is_null()) return source_ + ":1:1";
    return source_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  // Records `message` at `mark` unless a problem is already recorded.
  void Fail(const YAML::Mark& mark, const std::string& message) {
    if (ok()) error_ = Position(mark) + ": " + message;
  }

  // Where `path` ("web.num_threads") was read, or nullptr if the file did not set it.
  const YAML::Mark* MarkOf(const std::string& path) const {
    auto it = marks_.find(path);
    return it == marks_.end() ? nullptr : &it->second;
  }

  void Remember(const std::string& path, const YAML::Mark& mark) { marks_[path] = mark; }

  // Describes a node for "expected X, got Y" messages; scalars are quoted, escaped and
  // shortened so an error always stays on one line.
  static std::string Describe(const YAML::Node& node) {
    if (node.IsNull()) return "null";
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a map";
    return Quote(node.Scalar());
  }

  static std::string Quote(std::string_view text) { return QuoteForError(text); }

  // Checks that `node` is a map (null counts as an empty one) whose keys are unique
  // strings from `allowed`. `path` names the section in errors; "" is the top level.
  bool CheckMap(const YAML::Node& node, const std::string& path,
                const std::vector<std::string>& allowed) {
    if (!ok()) return false;
    if (!node || node.IsNull()) return true;
    if (!node.IsMap()) {
      // At the top level the scalar may be a whole secret file named by mistake, so
      // only its kind is printed.
      Fail(node.Mark(), path.empty() ? "top level: expected a map of sections, got " +
                                           std::string(node.IsScalar() ? "a string" : "a list")
                                     : path + ": expected a map, got " + Describe(node));
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) {
        Fail(kv.first.Mark(), "expected a key name, got " + Describe(kv.first));
        return false;
      }
      const std::string& key = kv.first.Scalar();
      const std::string where = path.empty() ? "at top level" : "in " + path;
      if (!seen.insert(key).second) {
        Fail(kv.first.Mark(), "duplicate key " + Quote(key) + " " + where);
        return false;
      }
      bool known = allowed.size() == 0;
      for (const std::string& a : allowed) known = known || a == key;
      if (!known) {
        Fail(kv.first.Mark(), "unknown key " + Quote(key) + " " + where + Suggest(key, allowed));
        return false;
      }
    }
    return true;
  }

  // The field readers below look up `key` in the map `parent` (whose path is `path`)
  // and store the value in `*out`. An absent or null value leaves `*out` unchanged.
  void String(const YAML::Node& parent, const std::string& path, const char* key,
              std::string* out) {
    YAML::Node node = Field(parent, path, key);
    if (!node) return;
    if (!node.IsScalar()) return TypeError(node, path, key, "a string");
    *out = node.Scalar();
  }

  void Int(const YAML::Node& parent, const std::string& path, const char* key, int* out) {
    YAML::Node node = Field(parent, path, key);
    if (!node) return;
    const std::optional<int> value =
        node.IsScalar() ? ParseInt(node.Scalar()) : std::optional<int>();
    if (!value) return TypeError(node, path, key, "an integer");
    *out = *value;
  }

  void Duration(const YAML::Node& parent, const std::string& path, const char* key, Millis* out) {
    YAML::Node node = Field(parent, path, key);
    if (!node) return;
    std::optional<Millis> d;
    if (node.IsScalar()) d = ParseDuration(node.Scalar());
    if (!d) {
      return Fail(node.Mark(),
                  Join(path, key) + ": expected " + kDurationForm + ", got " + Describe(node));
    }
    *out = *d;
  }

  void StringList(const YAML::Node& parent, const std::string& path, const char* key,
                  std::vector<std::string>* out) {
    YAML::Node node = Field(parent, path, key);
    if (!node) return;
    if (!node.IsSequence()) return TypeError(node, path, key, "a list of strings");
    std::vector<std::string> values;
    for (const auto& item : node) {
      if (!item.IsScalar()) return TypeError(item, path, key, "a list of strings");
      values.push_back(item.Scalar());
    }
    *out = std::move(values);
  }

  // A map of string to string (labels, headers); keys are checked for duplicates only.
  void StringMap(const YAML::Node& parent, const std::string& path, const char* key,
                 std::map<std::string, std::string>* out,
                 std::vector<std::pair<std::string, std::string>>* ordered = nullptr) {
    YAML::Node node = Field(parent, path, key);
    if (!node) return;
    const std::string full = Join(path, key);
    if (!CheckMap(node, full, {})) return;
    for (const auto& kv : node) {
      if (!kv.second.IsScalar()) return TypeError(kv.second, full, kv.first.Scalar(), "a string");
      marks_[full + "." + kv.first.Scalar()] = kv.first.Mark();
      if (out != nullptr) (*out)[kv.first.Scalar()] = kv.second.Scalar();
      if (ordered != nullptr) ordered->emplace_back(kv.first.Scalar(), kv.second.Scalar());
    }
  }

  // Returns the child `key` of `parent` and remembers where it was, or an invalid node
  // when it is absent, null, or a problem is already recorded.
  YAML::Node Field(const YAML::Node& parent, const std::string& path, const std::string& key) {
    if (!ok() || !parent.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    for (const auto& kv : parent) {
      if (kv.first.Scalar() != key) continue;
      marks_[Join(path, key)] = kv.second.IsNull() ? kv.first.Mark() : kv.second.Mark();
      if (kv.second.IsNull()) break;
      return kv.second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  void TypeError(const YAML::Node& node, const std::string& path, const std::string& key,
                 const char* expected) {
    Fail(node.Mark(), Join(path, key) + ": expected " + expected + ", got " + Describe(node));
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // Strict decimal integer: no sign other than '-', no spaces, no trailing text; nullopt
  // otherwise (or outside int).
  static std::optional<int> ParseInt(std::string_view text) {
    long long v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    if (v < INT_MIN || v > INT_MAX) return std::nullopt;
    return static_cast<int>(v);
  }

 private:
  // " (did you mean "x"?)" when one allowed key is within two edits of `key`.
  static std::string Suggest(const std::string& key, const std::vector<std::string>& allowed) {
    for (const std::string& a : allowed) {
      if (EditDistance(key, a) <= 2) return " (did you mean \"" + a + "\"?)";
    }
    return "";
  }

  static size_t EditDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  }

  const std::string source_;
  std::string error_;
  std::map<std::string, YAML::Mark> marks_;
};

}  // namespace observd
