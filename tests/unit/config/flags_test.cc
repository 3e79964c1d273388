// Tests of config/flags.h: both flag syntaxes, help, exit codes and overrides (the
// effective-config loader: flags_effective_config_test.cc).
#include "config/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/settings.h"
#include "observd_revision.h"
#include "support/flags_fixture.h"

namespace observd {
namespace {

using flags_test::Parse;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(FlagsTest, NoFlagsGivesDefaults) {
  Result<Flags> r = Parse({});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->config_file, "/etc/observd/observd.yml");
  EXPECT_FALSE(r->config_file_given);
  EXPECT_TRUE(r->overrides.empty());
  EXPECT_FALSE(r->Given("web.listen_address"));
  EXPECT_EQ(r->action, Flags::Action::kRun);
}

TEST(FlagsTest, EqualsAndSpaceSyntax) {
  Result<Flags> r =
      Parse({"--config.file=/tmp/a.yml", "--web.listen-address", ":9100",
             "--web.config.file=/etc/w.yml", "--web.root", "/srv/www", "--web.templates=/srv/tpl",
             "--redis.addr", "unix:///run/r.sock", "--redis.password-file=/etc/pass", "--log.level",
             "debug", "--log.format=json", "--check-config"});
  ASSERT_TRUE(r.ok()) << r.error();
  const Flags& f = *r;
  EXPECT_EQ(f.config_file, "/tmp/a.yml");
  EXPECT_TRUE(f.config_file_given);
  EXPECT_EQ(f.Given("web.listen_address"), ":9100");
  EXPECT_EQ(f.Given("web.config_file"), "/etc/w.yml");
  EXPECT_EQ(f.Given("web.root"), "/srv/www");
  EXPECT_EQ(f.Given("web.templates"), "/srv/tpl");
  EXPECT_EQ(f.Given("redis.addr"), "unix:///run/r.sock");
  EXPECT_EQ(f.Given("redis.password_file"), "/etc/pass");
  EXPECT_EQ(f.Given("log.level"), "debug");
  EXPECT_EQ(f.Given("log.format"), "json");
  EXPECT_EQ(f.overrides.size(), 8u);
  EXPECT_EQ(f.action, Flags::Action::kCheckConfig);
}

// `--name=` is the empty value (history.path: memory only), never a request to take the
// next argument as the value.
TEST(FlagsTest, AnEmptyValueAfterTheEqualsSignIsEmpty) {
  Result<Flags> r = Parse({"--history.path=", "--check-config"});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->Given("history.path"), "");
  EXPECT_EQ(r->action, Flags::Action::kCheckConfig);
  Result<Flags> last = Parse({"--log.level=debug", "--history.path="});
  ASSERT_TRUE(last.ok()) << last.error();
  EXPECT_EQ(last->Given("history.path"), "");
}

TEST(FlagsTest, ActionsAreSuccessfulParses) {
  EXPECT_EQ(Parse({"--check-config"})->action, Flags::Action::kCheckConfig);
  EXPECT_EQ(Parse({"--version", "--check-config"})->action, Flags::Action::kVersion);
  EXPECT_EQ(Parse({"--version"})->action, Flags::Action::kVersion);
  for (const char* help : {"--help", "-h"}) {
    Result<Flags> r = Parse({"--version", help});
    ASSERT_TRUE(r.ok()) << help;
    EXPECT_EQ(r->action, Flags::Action::kHelp) << help;
  }
}

TEST(FlagsTest, EverySettingWithAFlagIsAFlag) {
  // The flags come from the settings table: each one parses and lands on its key.
  for (const Setting& s : Settings()) {
    if (s.flag == nullptr) continue;
    // An empty default gets a value of the flag's kind (an address, else a path).
    const bool address = s.value_name && std::string(s.value_name) == "HOST:PORT";
    const std::string value = !DefaultText(s).empty() ? DefaultText(s)
                              : address               ? "127.0.0.1:9470"
                                                      : "/nonexistent";
    const std::string arg = std::string(s.flag) + "=" + value;
    Result<Flags> r = Parse({arg.c_str()});
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->Given(s.key), value) << s.flag;
  }
}

TEST(FlagsTest, HelpDescribesEveryFlag) {
  const std::string help = HelpText();
  for (const char* text : {"--config.file",
                           "--web.listen-address",
                           "--web.config.file",
                           "--web.root",
                           "--web.templates",
                           "--redis.addr",
                           "--redis.password-file",
                           "--log.level",
                           "--log.format",
                           "--check-config",
                           "--version",
                           "--help",
                           "127.0.0.1:9469",
                           "/etc/observd/observd.yml",
                           "redis://127.0.0.1:6379/0",
                           "the built-in site",
                           "the built-in templates",
                           "logfmt",
                           "read only from the file",
                           "(default: none, no AUTH)",
                           "(default: 127.0.0.1:9469)"}) {
    EXPECT_THAT(help, HasSubstr(text));
  }
  for (const Setting& s : Settings()) {
    if (s.flag == nullptr) continue;
    EXPECT_THAT(help, HasSubstr(s.flag));
    EXPECT_THAT(help, HasSubstr(s.value_name)) << s.flag;
    EXPECT_THAT(help, HasSubstr(s.help)) << s.flag;
  }
}

struct BadFlagCase {
  std::vector<const char*> args;
  const char* message;
};

TEST(FlagsTest, BadFlagsExitTwoWithOneLine) {
  const BadFlagCase cases[] = {
      {{"--foo"}, "--foo"},
      {{"--web.listen_address=:1"}, "--web.listen_address"},
      {{"stray"}, "stray"},
      {{"--web.listen-address"}, "--web.listen-address"},
      {{"--web.listen-address=:1", "--web.listen-address=:2"}, "--web.listen-address"},
      {{"--config.file="}, "--config.file"},
      {{"--web.listen-address=nope"}, "--web.listen-address: invalid listen address \"nope\""},
      {{"--web.listen-address", "1.2.3.4:0"}, "--web.listen-address: invalid listen address"},
      {{"--redis.addr=tcp://h"}, "--redis.addr: invalid redis address"},
      {{"--log.level=loud"}, "--log.level: must be one of trace, debug"},
      {{"--log.format", "text"}, "--log.format: must be logfmt or json"},
  };
  for (const BadFlagCase& c : cases) {
    Result<Flags> r = Parse(c.args);
    ASSERT_FALSE(r.ok()) << c.args[0];
    EXPECT_THAT(r.error(), StartsWith("observd: ")) << c.args[0];
    EXPECT_THAT(r.error(), HasSubstr(c.message));
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
  }
}

TEST(FlagsTest, VersionText) {
  EXPECT_THAT(VersionText(), StartsWith(std::string("observd, version ") + OBSERVD_VERSION));
  EXPECT_THAT(VersionText(), HasSubstr(OBSERVD_REVISION));
}

TEST(FlagsTest, ApplyFlagsOverridesOnlyWhatIsGiven) {
  Config config;
  config.web.root = "/from/file";
  Flags flags;
  flags.overrides = {{"web.listen_address", "0.0.0.0:9100"},
                     {"redis.addr", "redis://redis:6380/1"},
                     {"log.level", "warn"}};
  EXPECT_TRUE(ApplyFlags(flags, &config).ok());
  EXPECT_EQ(config.web.listen_address, "0.0.0.0:9100");
  EXPECT_EQ(config.redis.addr, "redis://redis:6380/1");
  EXPECT_EQ(config.log.level, "warn");
  EXPECT_EQ(config.web.root, "/from/file");
  EXPECT_EQ(config.log.format, "logfmt");
}

TEST(FlagsTest, ApplyFlagsNamesTheFlag) {
  Config config;
  Flags flags;
  flags.overrides = {{"redis.addr", "localhost:6379"}};
  EXPECT_THAT(ApplyFlags(flags, &config).error(),
              StartsWith("--redis.addr: invalid redis address"));
}

}  // namespace
}  // namespace observd
