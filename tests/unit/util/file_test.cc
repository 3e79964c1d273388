// util/file.h: the one whole-file reader, on real files, a directory, a FIFO and the size
// limit.
#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace observd {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/observd-file-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    return path;
  }

  std::string dir_;
};

TEST_F(FileTest, ReadsWholeFilesUpToTheLimit) {
  const std::string binary("a\0b\r\n\xff", 6);
  Result<std::string> r = ReadFile(Write("bin", binary), 6);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, binary);
  r = ReadFile(Write("empty", ""), 0);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, "");
  const std::string big(100000, 'x');  // more than one read() of a small buffer
  r = ReadFile(Write("big", big), big.size());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->size(), big.size());
}

TEST_F(FileTest, RefusesFilesOverTheLimitWithoutTheirContent) {
  Result<std::string> r = ReadFile(Write("seven", "s3cret!"), 6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "larger than 6 bytes");
}

TEST_F(FileTest, ErrorsNameTheProblemOnly) {
  Result<std::string> r = ReadFile(dir_ + "/missing", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "No such file or directory");
  EXPECT_TRUE(FileIsMissing(dir_ + "/missing"));
  r = ReadFile(dir_, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "not a regular file");
  EXPECT_FALSE(FileIsMissing(dir_));
  // A FIFO must be refused, not block the reader.
  ASSERT_EQ(mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  r = ReadFile(dir_ + "/fifo", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "not a regular file");
}

}  // namespace
}  // namespace observd
