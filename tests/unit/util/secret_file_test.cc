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
    Result<std::string> secret = ReadSecretFile(Write(content));
    ASSERT_TRUE(secret.ok()) << secret.error();
    EXPECT_EQ(*secret, want);
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
    const std::string path = Write(content);
    Result<std::string> secret = ReadSecretFile(path);
    ASSERT_FALSE(secret.ok()) << problem;
    EXPECT_THAT(secret.error(), HasSubstr(problem));
    EXPECT_TRUE(secret.error().starts_with(path + ": ")) << secret.error();
    EXPECT_THAT(secret.error(), Not(HasSubstr("s3cret")));
    // The same rule on text in memory, without the path.
    Result<std::string> parsed = ParseSecretText(content);
    if (content.size() <= kMaxSecretBytes) {
      ASSERT_FALSE(parsed.ok()) << problem;
      EXPECT_THAT(parsed.error(), HasSubstr(problem));
    }
  }
  EXPECT_EQ(*ParseSecretText("hunter2\n"), "hunter2");
  EXPECT_THAT(ParseSecretText(std::string(kMaxSecretBytes + 1, 's')).error(),
              HasSubstr("larger than 4096 bytes"));
}

TEST_F(SecretFileTest, RefusesMissingFilesAndDirectories) {
  Result<std::string> secret = ReadSecretFile(dir_ + "/missing");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error(), dir_ + "/missing: cannot read secret file: No such file or directory");
  secret = ReadSecretFile(dir_);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error(), dir_ + ": cannot read secret file: not a regular file");
  // A FIFO must be refused, not block the reader.
  ASSERT_EQ(mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  secret = ReadSecretFile(dir_ + "/fifo");
  ASSERT_FALSE(secret.ok());
  EXPECT_THAT(secret.error(), HasSubstr("not a regular file"));
}

}  // namespace
}  // namespace observd
