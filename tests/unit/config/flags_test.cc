// Tests of config/flags.h: both flag syntaxes, help, exit codes, overrides and the
// effective-config loader.
#include "config/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "observd_revision.h"

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

FlagsResult Parse(std::vector<const char*> args) {
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
  FlagsResult r = Parse({});
  ASSERT_TRUE(r.flags) << r.output;
  EXPECT_EQ(r.flags->config_file, "/etc/observd/observd.yml");
  EXPECT_FALSE(r.flags->config_file_given);
  EXPECT_FALSE(r.flags->listen_address);
  EXPECT_FALSE(r.flags->check_config);
  EXPECT_FALSE(r.flags->version);
}

TEST(FlagsTest, EqualsAndSpaceSyntax) {
  FlagsResult r =
      Parse({"--config.file=/tmp/a.yml", "--web.listen-address", ":9100",
             "--web.config.file=/etc/w.yml", "--web.root", "/srv/www", "--web.templates=/srv/tpl",
             "--redis.addr", "unix:///run/r.sock", "--redis.password-file=/etc/pass", "--log.level",
             "debug", "--log.format=json", "--check-config", "--version"});
  ASSERT_TRUE(r.flags) << r.output;
  const Flags& f = *r.flags;
  EXPECT_EQ(f.config_file, "/tmp/a.yml");
  EXPECT_TRUE(f.config_file_given);
  EXPECT_EQ(f.listen_address, ":9100");
  EXPECT_EQ(f.web_config_file, "/etc/w.yml");
  EXPECT_EQ(f.web_root, "/srv/www");
  EXPECT_EQ(f.web_templates, "/srv/tpl");
  EXPECT_EQ(f.redis_addr, "unix:///run/r.sock");
  EXPECT_EQ(f.redis_password_file, "/etc/pass");
  EXPECT_EQ(f.log_level, "debug");
  EXPECT_EQ(f.log_format, "json");
  EXPECT_TRUE(f.check_config);
  EXPECT_TRUE(f.version);
}

TEST(FlagsTest, HelpDescribesEveryFlag) {
  for (const char* help : {"--help", "-h"}) {
    FlagsResult r = Parse({help});
    ASSERT_FALSE(r.flags);
    EXPECT_EQ(r.exit_code, 0);
    for (const char* text :
         {"--config.file", "--web.listen-address", "--web.config.file", "--web.root",
          "--web.templates", "--redis.addr", "--redis.password-file", "--log.level", "--log.format",
          "--check-config", "--version", "--help", "127.0.0.1:9469", "/etc/observd/observd.yml",
          "redis://127.0.0.1:6379/0", "the built-in site", "the built-in templates", "logfmt",
          "read only from the file"}) {
      EXPECT_THAT(r.output, HasSubstr(text)) << help;
    }
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
    FlagsResult r = Parse(c.args);
    ASSERT_FALSE(r.flags) << c.args[0];
    EXPECT_EQ(r.exit_code, 2) << c.args[0];
    EXPECT_THAT(r.output, StartsWith("observd: ")) << c.args[0];
    EXPECT_THAT(r.output, HasSubstr(c.message));
    EXPECT_EQ(r.output.find('\n'), std::string::npos) << r.output;
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
  flags.listen_address = "0.0.0.0:9100";
  flags.redis_addr = "redis://redis:6380/1";
  flags.log_level = "warn";
  EXPECT_EQ(ApplyFlags(flags, &config), "");
  EXPECT_EQ(config.web.listen_address, "0.0.0.0:9100");
  EXPECT_EQ(config.redis.addr, "redis://redis:6380/1");
  EXPECT_EQ(config.log.level, "warn");
  EXPECT_EQ(config.web.root, "/from/file");
  EXPECT_EQ(config.log.format, "logfmt");
}

TEST(FlagsTest, ApplyFlagsNamesTheFlag) {
  Config config;
  Flags flags;
  flags.redis_addr = "localhost:6379";
  EXPECT_THAT(ApplyFlags(flags, &config), StartsWith("--redis.addr: invalid redis address"));
}

TEST(FlagsTest, LoadEffectiveConfigMissingDefaultFileMeansDefaults) {
  FlagsResult r = Parse({"--web.listen-address=:9200"});
  ASSERT_TRUE(r.flags);
  r.flags->config_file = "/nonexistent/observd.yml";  // the default path, absent.
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.config->source, "");
  EXPECT_EQ(c.config->web.listen_address, ":9200");
}

TEST(FlagsTest, LoadEffectiveConfigMissingNamedFileIsAnError) {
  FlagsResult r = Parse({"--config.file=/nonexistent/observd.yml"});
  ASSERT_TRUE(r.flags);
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error, "/nonexistent/observd.yml: cannot read: No such file or directory");
}

TEST(FlagsTest, LoadEffectiveConfigFlagsWinOverFile) {
  TempFile file("override.yml", "web:\n  listen_address: 127.0.0.1:1\n  root: /srv\n");
  FlagsResult r = Parse({"--config.file", file.path().c_str(), "--web.listen-address=:2"});
  ASSERT_TRUE(r.flags);
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.config->source, file.path());
  EXPECT_EQ(c.config->web.listen_address, ":2");
  EXPECT_EQ(c.config->web.root, "/srv");
}

TEST(FlagsTest, LoadEffectiveConfigFileErrorsKeepThePosition) {
  TempFile file("bad.yml", "web:\n  num_threads: 1\n");
  FlagsResult r = Parse({"--config.file", file.path().c_str()});
  ASSERT_TRUE(r.flags);
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error, file.path() + ":2:16: web.num_threads: must be between 2 and 1024, got 1");
}

TEST(FlagsTest, SentinelPasswordFileMustBeReadable) {
  TempFile missing(
      "sentinel_missing.yml",
      "redis:\n  addr: redis-sentinel://s/m\n  sentinel_password_file: /nonexistent/s\n");
  FlagsResult r = Parse({"--config.file", missing.path().c_str()});
  ASSERT_TRUE(r.flags);
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error, missing.path() +
                         ": redis.sentinel_password_file: /nonexistent/s: cannot read secret "
                         "file: No such file or directory");
  TempFile secret("sentinel_password", "s3nt1nel-hunter2\n");
  TempFile good("sentinel_good.yml",
                "redis:\n  addr: redis-sentinel://s/m\n"
                "  sentinel_password_file: " +
                    secret.path() + "\n");
  r = Parse({"--config.file", good.path().c_str()});
  ASSERT_TRUE(r.flags);
  c = LoadEffectiveConfig(*r.flags);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.config->redis.sentinel_password_file, secret.path());
}

TEST(FlagsTest, PasswordFileMustBeReadableAndIsNeverPrinted) {
  TempFile secret("password", "s3cret-hunter2\n");
  TempFile config("with_pass.yml", "redis:\n  password_file: /nonexistent/pass\n");
  {
    FlagsResult r = Parse({"--redis.password-file", secret.path().c_str()});
    ASSERT_TRUE(r.flags);
    r.flags->config_file = "/nonexistent/observd.yml";
    ConfigResult c = LoadEffectiveConfig(*r.flags);
    ASSERT_TRUE(c.ok()) << c.error;
    EXPECT_EQ(c.config->redis.password_file, secret.path());
  }
  {
    FlagsResult r = Parse({"--redis.password-file=/nonexistent/pass"});
    ASSERT_TRUE(r.flags);
    r.flags->config_file = "/nonexistent/observd.yml";
    ConfigResult c = LoadEffectiveConfig(*r.flags);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error,
              "--redis.password-file: /nonexistent/pass: cannot read secret file: No such file "
              "or directory");
  }
  {
    FlagsResult r = Parse({"--redis.password-file", ::testing::TempDir().c_str()});
    ASSERT_TRUE(r.flags);
    r.flags->config_file = "/nonexistent/observd.yml";
    ConfigResult c = LoadEffectiveConfig(*r.flags);
    ASSERT_FALSE(c.ok());
    EXPECT_THAT(c.error, HasSubstr("not a regular file"));
  }
  {
    FlagsResult r = Parse({"--config.file", config.path().c_str()});
    ASSERT_TRUE(r.flags);
    ConfigResult c = LoadEffectiveConfig(*r.flags);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error, config.path() +
                           ": redis.password_file: /nonexistent/pass: cannot read secret file: "
                           "No such file or directory");
  }
  {
    // The daemon's one-line rule (util/secret_file.h) is checked before start-up.
    TempFile two_lines("two-lines", "s3cret-hunter2\nsecond\n");
    FlagsResult r = Parse({"--redis.password-file", two_lines.path().c_str()});
    ASSERT_TRUE(r.flags);
    r.flags->config_file = "/nonexistent/observd.yml";
    ConfigResult c = LoadEffectiveConfig(*r.flags);
    ASSERT_FALSE(c.ok());
    EXPECT_THAT(c.error, HasSubstr("--redis.password-file: "));
    EXPECT_THAT(c.error, HasSubstr("more than one line"));
    EXPECT_EQ(c.error.find("hunter2"), std::string::npos) << c.error;
  }
  // Even a password file given where a config file is expected stays unprinted.
  FlagsResult r = Parse({"--config.file", secret.path().c_str()});
  ASSERT_TRUE(r.flags);
  ConfigResult c = LoadEffectiveConfig(*r.flags);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error.find("hunter2"), std::string::npos) << c.error;
}

}  // namespace
}  // namespace observd
