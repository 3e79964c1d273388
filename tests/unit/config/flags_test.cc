// Tests of config/flags.h: both flag syntaxes, help, exit codes, overrides and the
// effective-config loader.
#include "config/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "config/settings.h"
#include "observd_revision.h"

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Result<Flags> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "observd");
  return ParseFlags(static_cast<int>(args.size()), args.data());
}

// A file under the test temp dir, removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(::testing::TempDir() + "observd_flags_" + std::to_string(getpid()) + "_" + name) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
};

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

TEST(FlagsTest, LoadEffectiveConfigMissingDefaultFileMeansDefaults) {
  Result<Flags> r = Parse({"--web.listen-address=:9200"});
  ASSERT_TRUE(r.ok());
  r->config_file = "/nonexistent/observd.yml";  // the default path, absent.
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->source, "");
  EXPECT_EQ(c->web.listen_address, ":9200");
}

TEST(FlagsTest, LoadEffectiveConfigMissingNamedFileIsAnError) {
  Result<Flags> r = Parse({"--config.file=/nonexistent/observd.yml"});
  ASSERT_TRUE(r.ok());
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "/nonexistent/observd.yml: cannot read: No such file or directory");
}

TEST(FlagsTest, LoadEffectiveConfigFlagsWinOverFile) {
  TempFile file("override.yml", "web:\n  listen_address: 127.0.0.1:1\n  root: /srv\n");
  Result<Flags> r = Parse({"--config.file", file.path().c_str(), "--web.listen-address=:2"});
  ASSERT_TRUE(r.ok());
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->source, file.path());
  EXPECT_EQ(c->web.listen_address, ":2");
  EXPECT_EQ(c->web.root, "/srv");
}

TEST(FlagsTest, LoadEffectiveConfigFileErrorsKeepThePosition) {
  TempFile file("bad.yml", "web:\n  num_threads: 1\n");
  Result<Flags> r = Parse({"--config.file", file.path().c_str()});
  ASSERT_TRUE(r.ok());
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), file.path() + ":2:16: web.num_threads: must be between 2 and 1024, got 1");
}

TEST(FlagsTest, SentinelPasswordFileMustBeReadable) {
  TempFile missing(
      "sentinel_missing.yml",
      "redis:\n  addr: redis-sentinel://s/m\n  sentinel_password_file: /nonexistent/s\n");
  Result<Flags> r = Parse({"--config.file", missing.path().c_str()});
  ASSERT_TRUE(r.ok());
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), missing.path() +
                           ": redis.sentinel_password_file: /nonexistent/s: cannot read secret "
                           "file: No such file or directory");
  TempFile secret("sentinel_password", "s3nt1nel-hunter2\n");
  TempFile good("sentinel_good.yml",
                "redis:\n  addr: redis-sentinel://s/m\n"
                "  sentinel_password_file: " +
                    secret.path() + "\n");
  r = Parse({"--config.file", good.path().c_str()});
  ASSERT_TRUE(r.ok());
  c = LoadEffectiveConfig(*r);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->redis.sentinel_password_file, secret.path());
}

TEST(FlagsTest, PasswordFileMustBeReadableAndIsNeverPrinted) {
  TempFile secret("password", "s3cret-hunter2\n");
  TempFile config("with_pass.yml", "redis:\n  password_file: /nonexistent/pass\n");
  {
    Result<Flags> r = Parse({"--redis.password-file", secret.path().c_str()});
    ASSERT_TRUE(r.ok());
    r->config_file = "/nonexistent/observd.yml";
    Result<Config> c = LoadEffectiveConfig(*r);
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(c->redis.password_file, secret.path());
  }
  {
    Result<Flags> r = Parse({"--redis.password-file=/nonexistent/pass"});
    ASSERT_TRUE(r.ok());
    r->config_file = "/nonexistent/observd.yml";
    Result<Config> c = LoadEffectiveConfig(*r);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(),
              "--redis.password-file: /nonexistent/pass: cannot read secret file: No such file "
              "or directory");
  }
  {
    Result<Flags> r = Parse({"--redis.password-file", ::testing::TempDir().c_str()});
    ASSERT_TRUE(r.ok());
    r->config_file = "/nonexistent/observd.yml";
    Result<Config> c = LoadEffectiveConfig(*r);
    ASSERT_FALSE(c.ok());
    EXPECT_THAT(c.error(), HasSubstr("not a regular file"));
  }
  {
    Result<Flags> r = Parse({"--config.file", config.path().c_str()});
    ASSERT_TRUE(r.ok());
    Result<Config> c = LoadEffectiveConfig(*r);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(), config.path() +
                             ": redis.password_file: /nonexistent/pass: cannot read secret file: "
                             "No such file or directory");
  }
  {
    // The daemon's one-line rule (util/secret_file.h) is checked before start-up.
    TempFile two_lines("two-lines", "s3cret-hunter2\nsecond\n");
    Result<Flags> r = Parse({"--redis.password-file", two_lines.path().c_str()});
    ASSERT_TRUE(r.ok());
    r->config_file = "/nonexistent/observd.yml";
    Result<Config> c = LoadEffectiveConfig(*r);
    ASSERT_FALSE(c.ok());
    EXPECT_THAT(c.error(), HasSubstr("--redis.password-file: "));
    EXPECT_THAT(c.error(), HasSubstr("more than one line"));
    EXPECT_EQ(c.error().find("hunter2"), std::string::npos) << c.error();
  }
  // Even a password file given where a config file is expected stays unprinted.
  Result<Flags> r = Parse({"--config.file", secret.path().c_str()});
  ASSERT_TRUE(r.ok());
  Result<Config> c = LoadEffectiveConfig(*r);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().find("hunter2"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace observd
