// Config loading: YAML -> Config, driven by the settings table (settings.h) for the
// sections and by query_kind.h for `queries:` (yaml_reader.h does the typed reads and
// positions), then one validation pass shared with the flag overrides (flags.cc).
#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include "config/config_validate.h"
#include "config/query_kind.h"
#include "config/settings.h"
#include "config/yaml_reader.h"
#include "util/file.h"

namespace observd {

namespace {

// ---------------------------------------------------------------------------
// YAML -> Config

void ReadQuery(YamlReader& r, const YAML::Node& node, const std::string& at, QueryConfig* q) {
  if (!node.IsMap()) return r.Fail(node.Mark(), at + ": expected a map, got " + r.Describe(node));
  if (!r.CheckMap(node, at, {"name", "help", "kind", "key", "labels", "window"})) return;
  for (const char* required : {"name", "kind"}) {
    if (!node[required] || node[required].IsNull()) {
      return r.Fail(node.Mark(), at + "." + required + ": required");
    }
  }
  r.String(node, at, "name", &q->name);
  r.String(node, at, "help", &q->help);
  std::string name;
  r.String(node, at, "kind", &name);
  const QueryKindInfo* kind = FindQueryKind(name);
  if (!r.ok()) return;
  if (kind == nullptr) {
    return r.Fail(node["kind"].Mark(), at + ".kind: unknown kind " + r.Quote(name) +
                                           " (expected one of " + QueryKindNames() + ")");
  }
  q->kind = kind->kind;
  r.String(node, at, "key", &q->key);
  r.StringMap(node, at, "labels", &q->labels);
  if (node["window"] && !kind->windowed) {
    return r.Fail(node["window"].Mark(),
                  at + ".window: only allowed with kind " + WindowedQueryKindNames());
  }
  r.Duration(node, at, "window", &q->window);
}

void ReadQueries(YamlReader& r, const YAML::Node& queries, std::vector<QueryConfig>* out) {
  if (!queries) return;
  if (!queries.IsSequence()) return r.TypeError(queries, "", "queries", "a list");
  for (size_t i = 0; i < queries.size() && r.ok(); ++i) {
    out->emplace_back();
    r.Remember("queries[" + std::to_string(i) + "]", queries[i].Mark());
    ReadQuery(r, queries[i], "queries[" + std::to_string(i) + "]", &out->back());
  }
}

// One typed read per field type of the settings table.
void ReadValue(YamlReader& r, const YAML::Node& n, const std::string& path, const char* key,
               std::string* out) {
  r.String(n, path, key, out);
}
void ReadValue(YamlReader& r, const YAML::Node& n, const std::string& path, const char* key,
               int* out) {
  r.Int(n, path, key, out);
}
void ReadValue(YamlReader& r, const YAML::Node& n, const std::string& path, const char* key,
               Millis* out) {
  r.Duration(n, path, key, out);
}
void ReadValue(YamlReader& r, const YAML::Node& n, const std::string& path, const char* key,
               std::vector<std::string>* out) {
  r.StringList(n, path, key, out);
}

// Reads the map `node` at `path` ("" = the top level, "web", "web.thresholds"): its keys
// are the names the settings table has below `path` (plus `extra`), each a setting or a
// map of settings, read in table order.
void ReadSettings(YamlReader& r, const YAML::Node& node, const std::string& path, Config* c,
                  const std::vector<std::string>& extra = {}) {
  const std::vector<std::string> children = SettingChildren(path);
  std::vector<std::string> allowed = children;
  allowed.insert(allowed.end(), extra.begin(), extra.end());
  if (!r.CheckMap(node, path, allowed)) return;
  for (const std::string& child : children) {
    const std::string key = YamlReader::Join(path, child);
    if (const Setting* s = FindSetting(key)) {
      std::visit([&](auto ref) { ReadValue(r, node, path, child.c_str(), &ref(*c)); }, s->field);
    } else {
      ReadSettings(r, r.Field(node, path, child), key, c);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

Result<Config> ParseConfig(const std::string& yaml_text, const std::string& source) {
  YamlReader reader(source);
  Config config;
  config.source = source;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    ReadSettings(reader, root, "", &config, {"queries"});
    ReadQueries(reader, reader.Field(root, "", "queries"), &config.queries);
  } catch (const YAML::Exception& e) {
    reader.Fail(e.mark, e.msg);
  } catch (const std::exception& e) {
    reader.Fail(YAML::Mark::null_mark(), e.what());
  }
  if (!reader.ok()) return Fail(reader.error());
  if (auto problem = FindConfigProblem(config)) {
    const YAML::Mark* mark = reader.MarkOf(problem->field);
    if (mark == nullptr) mark = reader.MarkOf(problem->other_field);
    reader.Fail(mark ? *mark : YAML::Mark::null_mark(), problem->field + ": " + problem->message);
    return Fail(reader.error());
  }
  return config;
}

std::string ResolveHistoryPath(const std::string& path, const char* state_directory) {
  const std::string var = kStateDirectoryVar;
  const bool leading = path.compare(0, var.size(), var) == 0 &&
                       (path.size() == var.size() || path[var.size()] == '/');
  if (!leading) return path;
  if (state_directory == nullptr || *state_directory == '\0') return "";
  // systemd gives a colon-separated list when StateDirectory= names several.
  std::string dir(state_directory);
  dir = dir.substr(0, dir.find(':'));
  return dir + path.substr(var.size());
}

Result<Config> LoadConfigFile(const std::string& path, bool missing_ok) {
  if (missing_ok && FileIsMissing(path)) return Config{};
  Result<std::string> text = ReadFile(path, kMaxConfigFileBytes);
  if (!text.ok()) return Fail(path + ": cannot read: " + text.error());
  return ParseConfig(*text, path);
}

}  // namespace observd
