// Tests of config/settings_table.cc, the settings table itself: its rows are unique and
// complete, and the docs (packaging/observd.yml, the README's tables) are checked against
// it, so a setting added to the table without its documentation, or documented without a
// row, fails.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "config/query_kind.h"
#include "config/settings.h"

namespace observd {
namespace {

using ::testing::ElementsAre;

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(OBSERVD_SOURCE_DIR) + "/" + rel);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SettingsTest, KeysAndFlagsAreUnique) {
  std::set<std::string> keys, flags;
  for (const Setting& s : Settings()) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    EXPECT_NE(std::string(s.help), "") << s.key;
    if (s.flag == nullptr) continue;
    EXPECT_TRUE(flags.insert(s.flag).second) << s.flag;
    EXPECT_NE(s.value_name, nullptr) << s.flag;
  }
  EXPECT_EQ(FindSetting("web.num_threads")->key, std::string("web.num_threads"));
  EXPECT_EQ(FindSetting("web.thresholds"), nullptr);
  EXPECT_EQ(FindSetting("nope"), nullptr);
}

// ---------------------------------------------------------------------------
// The docs against the table

// The node at the dotted `key` below `root`, or an undefined node.
YAML::Node At(const YAML::Node& root, const std::string& key) {
  YAML::Node node = root;
  std::stringstream parts(key);
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (!node.IsMap() || !node[part]) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(node[part]);  // rebinds; `node = ...` would assign into the tree
  }
  return node;
}

TEST(SettingsDocsTest, ShippedConfigShowsEverySettingWithItsDefault) {
  const std::string path = std::string(OBSERVD_SOURCE_DIR) + "/packaging/observd.yml";
  const YAML::Node root = YAML::LoadFile(path);
  for (const Setting& s : Settings()) {
    const YAML::Node node = At(root, s.key);
    ASSERT_TRUE(node.IsDefined()) << "packaging/observd.yml does not show " << s.key;
    std::string shown;
    if (node.IsSequence()) {
      for (const auto& item : node) shown += (shown.empty() ? "" : ", ") + item.Scalar();
      shown = "[" + shown + "]";
    } else {
      shown = node.Scalar();
    }
    EXPECT_EQ(shown, DefaultText(s)) << s.key << " in packaging/observd.yml";
  }
  // ... and nothing else: unknown keys fail to load, other values fail to equal.
  Result<Config> loaded = LoadConfigFile(path, false);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Config defaults;
  defaults.source = path;
  EXPECT_EQ(*loaded, defaults);
}

// The rows of the first Markdown table after `heading`: cells, trimmed.
std::vector<std::vector<std::string>> TableAfter(const std::string& doc,
                                                 const std::string& heading) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream lines(doc.substr(doc.find("\n" + heading + "\n") + 1));
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (!line.starts_with("|")) {
      if (in_table) break;
      continue;
    }
    in_table = true;
    if (line.starts_with("|---") || line.starts_with("| key") || line.starts_with("| flag")) {
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream cols(line.substr(1));
    std::string cell;
    while (std::getline(cols, cell, '|')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// The `code` spans of a table cell; `""` is the empty string.
std::vector<std::string> CodeSpans(const std::string& cell) {
  std::vector<std::string> spans;
  static const std::regex kCode("`([^`]*)`");
  for (auto it = std::sregex_iterator(cell.begin(), cell.end(), kCode);
       it != std::sregex_iterator(); ++it) {
    spans.push_back((*it)[1] == "\"\"" ? "" : std::string((*it)[1]));
  }
  return spans;
}

TEST(SettingsDocsTest, ReadmeConfigurationTableListsEverySetting) {
  const auto rows = TableAfter(ReadSource("README.md"), "## Configuration");
  ASSERT_FALSE(rows.empty());
  std::set<std::string> documented;
  for (const auto& row : rows) {
    ASSERT_GE(row.size(), 2u);
    const std::vector<std::string> keys = CodeSpans(row[0]);
    const std::vector<std::string> defaults = CodeSpans(row[1]);
    ASSERT_FALSE(keys.empty()) << row[0];
    ASSERT_TRUE(defaults.size() == 1 || defaults.size() == keys.size())
        << "one default, or one per key: " << row[0];
    for (size_t i = 0; i < keys.size(); ++i) {
      documented.insert(keys[i]);
      if (keys[i] == "queries") continue;  // the list of extra gauges, not a setting
      const Setting* s = FindSetting(keys[i]);
      ASSERT_NE(s, nullptr) << "README documents an unknown key " << keys[i];
      EXPECT_EQ(defaults[defaults.size() == 1 ? 0 : i], DefaultText(*s)) << keys[i];
    }
  }
  for (const Setting& s : Settings()) {
    EXPECT_TRUE(documented.count(s.key)) << "README's configuration table lacks " << s.key;
  }
}

TEST(SettingsDocsTest, ReadmeFlagTableListsEveryFlag) {
  const auto rows = TableAfter(ReadSource("README.md"), "## Command line");
  std::map<std::string, std::string> documented;  // flag -> default cell
  for (const auto& row : rows) {
    ASSERT_GE(row.size(), 2u);
    const std::vector<std::string> flags = CodeSpans(row[0]);
    ASSERT_EQ(flags.size(), 1u) << row[0];
    documented[flags[0]] = row[1];
  }
  for (const char* other : {"--config.file", "--check-config", "--version"}) {
    EXPECT_EQ(documented.erase(other), 1u) << other;
  }
  for (const Setting& s : Settings()) {
    if (s.flag == nullptr) continue;
    auto it = documented.find(s.flag);
    ASSERT_NE(it, documented.end()) << "README's flag table lacks " << s.flag;
    const std::string value = DefaultText(s);
    const std::vector<std::string> spans = CodeSpans(it->second);
    if (value.empty()) {
      EXPECT_TRUE(it->second.starts_with(" none")) << s.flag << ":" << it->second;
    } else {
      EXPECT_THAT(spans, ElementsAre(value)) << s.flag;
    }
    documented.erase(it);
  }
  for (const auto& [flag, cell] : documented) ADD_FAILURE() << "README documents " << flag;
}

// The query kinds as the README and the shipped config list them: exactly the kinds of
// config/query_kind.cc (a kind added there and not here fails this test).
TEST(SettingsDocsTest, DocsListEveryQueryKind) {
  std::set<std::string> kinds;
  for (const QueryKindInfo& k : QueryKinds()) kinds.insert(k.name);
  const std::string readme = ReadSource("README.md");
  const size_t start = readme.find("Extra queries become gauges");
  ASSERT_NE(start, std::string::npos);
  const std::string paragraph = readme.substr(start, readme.find("\n\n", start) - start);
  std::set<std::string> listed;
  const std::regex code("`([a-z]+)`");
  for (std::sregex_iterator it(paragraph.begin(), paragraph.end(), code), end; it != end; ++it) {
    if ((*it)[1] != "window") listed.insert((*it)[1]);
  }
  EXPECT_EQ(listed, kinds) << "README.md: " << paragraph;
  const std::string yml = ReadSource("packaging/observd.yml");
  const size_t at = yml.find("kind is one of");
  ASSERT_NE(at, std::string::npos);
  const std::string comment = yml.substr(at, yml.find("\nqueries:", at) - at);
  for (const std::string& k : kinds) {
    EXPECT_TRUE(std::regex_search(comment, std::regex("\\b" + k + "\\b")))
        << "packaging/observd.yml does not list " << k;
  }
}

// observd(1) lists every flag of the table (roff escapes a dash as "\-").
TEST(SettingsDocsTest, ManPageListsEveryFlag) {
  std::string man = ReadSource("packaging/man/observd.1.in");
  for (size_t at = man.find("\\-"); at != std::string::npos; at = man.find("\\-", at)) {
    man.erase(at, 1);
  }
  for (const Setting& s : Settings()) {
    if (s.flag == nullptr) continue;
    EXPECT_NE(man.find(std::string(".BI ") + s.flag + "="), std::string::npos)
        << "packaging/man/observd.1.in lacks " << s.flag;
  }
}

}  // namespace
}  // namespace observd
