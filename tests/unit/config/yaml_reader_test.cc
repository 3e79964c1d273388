// Tests of config/yaml_reader.h: positions as editors count them, the first problem
// wins, map checks (duplicates, unknown keys with a suggestion), typed fields that leave
// the target alone when absent, and the strict integer grammar.
#include "config/yaml_reader.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(YamlReader, PositionsCountFromOneAndTheFirstProblemWins) {
  YAML::Node doc = YAML::Load("a: 1\nb:\n  c: x\n");
  YamlReader r("f.yml");
  EXPECT_TRUE(r.ok());
  r.Fail(doc["b"]["c"].Mark(), "first");
  r.Fail(doc["a"].Mark(), "second");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "f.yml:3:6: first");
  EXPECT_EQ(r.Position(YAML::Mark::null_mark()), "f.yml:1:1");
}

TEST(YamlReader, CheckMapRefusesDuplicatesAndUnknownKeysWithASuggestion) {
  {
    YamlReader r("f.yml");
    EXPECT_FALSE(
        r.CheckMap(YAML::Load("web:\n  num_thread: 3\n")["web"], "web", {"num_threads", "root"}));
    EXPECT_EQ(r.error(),
              "f.yml:2:3: unknown key \"num_thread\" in web (did you mean \"num_threads\"?)");
  }
  {
    YamlReader r("f.yml");
    EXPECT_FALSE(r.CheckMap(YAML::Load("a: 1\na: 2\n"), "", {"a"}));
    EXPECT_EQ(r.error(), "f.yml:2:1: duplicate key \"a\" at top level");
  }
  {
    YamlReader r("f.yml");
    EXPECT_FALSE(r.CheckMap(YAML::Load("just a string"), "", {}));
    EXPECT_EQ(r.error(), "f.yml:1:1: top level: expected a map of sections, got a string");
  }
  YamlReader r("f.yml");
  EXPECT_TRUE(r.CheckMap(YAML::Load("~"), "web", {"root"})) << "null is an empty map";
  EXPECT_TRUE(r.CheckMap(YAML::Load("root: x"), "web", {"root"}));
}

TEST(YamlReader, FieldsAreTypedAndAnAbsentOrNullOneLeavesTheTarget) {
  YAML::Node web = YAML::Load("n: 12\nd: 1m30s\nl: [a, b]\ns: text\nnull_one: ~\n");
  YamlReader r("f.yml");
  int n = 0;
  Millis d{0};
  std::vector<std::string> l;
  std::string s = "kept", absent = "kept", null_one = "kept";
  r.Int(web, "web", "n", &n);
  r.Duration(web, "web", "d", &d);
  r.StringList(web, "web", "l", &l);
  r.String(web, "web", "s", &s);
  r.String(web, "web", "missing", &absent);
  r.String(web, "web", "null_one", &null_one);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(n, 12);
  EXPECT_EQ(d, Millis(90000));
  EXPECT_EQ(l, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s, "text");
  EXPECT_EQ(absent, "kept");
  EXPECT_EQ(null_one, "kept");
  ASSERT_NE(r.MarkOf("web.d"), nullptr);
  EXPECT_EQ(r.MarkOf("web.d")->line, 1);
  EXPECT_EQ(r.MarkOf("web.missing"), nullptr);
}

TEST(YamlReader, TypeErrorsNameTheFieldAndWhatWasFound) {
  const YAML::Node web = YAML::Load("n: twelve\nd: soon\nl: x\ns: [1]\n");
  const struct {
    const char* key;
    std::string error;
  } cases[] = {
      {"n", "f.yml:1:4: web.n: expected an integer, got \"twelve\""},
      {"d",
       std::string("f.yml:2:4: web.d: expected ") + YamlReader::kDurationForm + ", got \"soon\""},
      {"l", "f.yml:3:4: web.l: expected a list of strings, got \"x\""},
      {"s", "f.yml:4:4: web.s: expected a string, got a list"},
  };
  for (const auto& c : cases) {
    YamlReader r("f.yml");
    int n = 7;
    Millis d{7};
    std::vector<std::string> l{"kept"};
    std::string s = "kept";
    const std::string key = c.key;
    if (key == "n") r.Int(web, "web", c.key, &n);
    if (key == "d") r.Duration(web, "web", c.key, &d);
    if (key == "l") r.StringList(web, "web", c.key, &l);
    if (key == "s") r.String(web, "web", c.key, &s);
    EXPECT_EQ(r.error(), c.error);
    EXPECT_EQ(n, 7);
    EXPECT_EQ(d, Millis(7));
    EXPECT_EQ(l, std::vector<std::string>{"kept"});
    EXPECT_EQ(s, "kept");
  }
}

TEST(YamlReader, StringMapKeepsOrderAndMarksEachKey) {
  YamlReader r("f.yml");
  std::map<std::string, std::string> m;
  std::vector<std::pair<std::string, std::string>> ordered;
  r.StringMap(YAML::Load("labels:\n  z: 1\n  a: 2\n"), "", "labels", &m, &ordered);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(m.size(), 2u);
  ASSERT_EQ(ordered.size(), 2u);
  EXPECT_EQ(ordered[0].first, "z");
  ASSERT_NE(r.MarkOf("labels.a"), nullptr);
  EXPECT_EQ(r.MarkOf("labels.a")->line, 2);
}

TEST(YamlReader, ParseIntIsStrict) {
  EXPECT_EQ(YamlReader::ParseInt("42"), 42);
  EXPECT_EQ(YamlReader::ParseInt("-3"), -3);
  for (const char* bad : {"", " 1", "1 ", "+1", "1.0", "0x10", "2147483648", "1e3"}) {
    EXPECT_EQ(YamlReader::ParseInt(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(YamlReader::ParseInt("2147483647"), 2147483647);
}

TEST(YamlReader, DescribeQuotesScalarsOnOneLine) {
  EXPECT_EQ(YamlReader::Describe(YAML::Load("~")), "null");
  EXPECT_EQ(YamlReader::Describe(YAML::Load("[1]")), "a list");
  EXPECT_EQ(YamlReader::Describe(YAML::Load("{a: 1}")), "a map");
  const std::string d = YamlReader::Describe(YAML::Load("\"two\\nlines\""));
  EXPECT_EQ(d.find('\n'), std::string::npos) << d;
}

}  // namespace
}  // namespace observd
