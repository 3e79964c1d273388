// Tests of config/flags.h's LoadEffectiveConfig: the configuration file and the flags
// together, which file is required, and the secret files it checks (never printed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "config/flags.h"
#include "support/flags_fixture.h"

namespace observd {
namespace {

using flags_test::Parse;
using ::testing::HasSubstr;

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
