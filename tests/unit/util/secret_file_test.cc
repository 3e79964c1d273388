// The one secret-file rule (util/secret_file.h): accepted and refused contents, read
// from real files; errors never carry the content.
#include "util/secret_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/observd-secret-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::string Write(const std::string& content) {
    const std::string path = dir_ + "/secret";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    return path;
  }

  std::string dir_;
};

TEST_F(SecretFileTest, DropsOneTrailingNewline) {
  const std::pair<std::string, std::string> cases[] = {
      {"hunter2", "hunter2"},
      {"hunter2\n", "hunter2"},
      {"hunter2\r\n", "hunter2"},
      {" spaces kept \t\n", " spaces kept \t"},
      {"p\xc3\xa9 \"q\" %41", "p\xc3\xa9 \"q\" %41"},
      {std::string(kMaxSecretBytes - 1, 'x') + "\n", std::string(kMaxSecretBytes - 1, 'x')},
  };
  for (const auto& [content, want] : cases) {
    std::string secret, error;
    ASSERT_TRUE(ReadSecretFile(Write(content), &secret, &error)) << error;
    EXPECT_EQ(secret, want);
  }
}

TEST_F(SecretFileTest, RefusesWithoutEchoingTheContent) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "is empty"},
      {"\n", "is empty"},
      {"\r\n", "is empty"},
      {"s3cretA\n\n", "more than one line"},
      {"s3cretA\ns3cretB\n", "more than one line"},
      {"s3cretA\r", "more than one line"},
      {std::string("s3cret\0A", 8), "NUL"},
      {std::string(kMaxSecretBytes + 1, 's'), "larger than 4096 bytes"},
  };
  for (const auto& [content, problem] : cases) {
    std::string secret = "unchanged", error;
    const std::string path = Write(content);
    EXPECT_FALSE(ReadSecretFile(path, &secret, &error)) << problem;
    EXPECT_EQ(secret, "unchanged");
    EXPECT_THAT(error, HasSubstr(problem));
    EXPECT_TRUE(error.starts_with(path + ": ")) << error;
    EXPECT_THAT(error, Not(HasSubstr("s3cret")));
  }
}

TEST_F(SecretFileTest, RefusesMissingFilesAndDirectories) {
  std::string secret = "unchanged", error;
  EXPECT_FALSE(ReadSecretFile(dir_ + "/missing", &secret, &error));
  EXPECT_THAT(error, HasSubstr("cannot read"));
  EXPECT_FALSE(ReadSecretFile(dir_, &secret, &error));
  EXPECT_EQ(error, dir_ + ": cannot read secret file: not a regular file");
  // A FIFO must be refused, not block the reader.
  ASSERT_EQ(mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  EXPECT_FALSE(ReadSecretFile(dir_ + "/fifo", &secret, &error));
  EXPECT_THAT(error, HasSubstr("not a regular file"));
  EXPECT_EQ(secret, "unchanged");
}

}  // namespace
}  // namespace observd
