// Tests of http/static_files.h: exact lookup that never leaves the web root
// (traversal, symlinks, encodings), precompression, and If-None-Match matching.
#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace observd {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() /
            ("observd-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             std::to_string(getpid()));
    std::filesystem::create_directories(base_ / "www/pages");
    std::filesystem::create_directories(base_ / "www/static/css");
    Write(base_ / "secret.txt", "top secret");
    Write(base_ / "www/pages/index.html", "<html>home</html>");
    Write(base_ / "www/static/css/site.css", std::string(4000, 'c'));
    Write(base_ / "www/notserved.txt", "x");
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "www/static/link.txt");
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  static void Write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p) << s; }
  std::filesystem::path base_;
};

// The page list the tests serve (the site's is dashboard/pages.h).
constexpr PageFile kPages[] = {{"pages/index.html", "/"}, {"pages/about.html", "/about"}};

TEST_F(StaticFilesTest, ExactLookupOnly) {
  auto loaded = StaticFiles::Load((base_ / "www").string(), kPages);
  ASSERT_TRUE(loaded) << loaded.error();
  const auto& files = *loaded;
  ASSERT_TRUE(files->Find("/"));
  EXPECT_EQ(files->Find("/")->bytes, "<html>home</html>");
  EXPECT_EQ(files->Find("/")->cache_control, "no-cache");
  const StaticFile* css = files->Find("/static/css/site.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_FALSE(css->gzipped.empty());
  EXPECT_EQ(css->etag.front(), '"');
  for (const char* bad :
       {"/static/../secret.txt", "/static/../../secret.txt", "/notserved.txt", "/pages/index.html",
        "/static/link.txt", "/static/css/../css/site.css", "/static//css/site.css",
        "/static/css/site.css/", "/static\\css\\site.css", "/static/css/site.css%00",
        "/static/%2e%2e/secret.txt", "/../secret.txt", "/dashboard/../secret.txt"}) {
    EXPECT_EQ(files->Find(bad), nullptr) << bad;
  }
}

TEST_F(StaticFilesTest, OnlyListedPagesAreServedAtTheirUrls) {
  Write(base_ / "www/pages/about.html", "<html>about</html>");
  Write(base_ / "www/pages/draft.html", "<html>draft</html>");
  auto files = StaticFiles::Load((base_ / "www").string(), kPages);
  ASSERT_TRUE(files) << files.error();
  ASSERT_TRUE((*files)->Find("/about"));
  EXPECT_EQ((*files)->Find("/about")->bytes, "<html>about</html>");
  EXPECT_FALSE((*files)->Find("/draft"));
  EXPECT_FALSE((*files)->Find("/pages/draft.html"));
  EXPECT_EQ((*files)->size(), 3u) << "index, about, site.css";
  auto from_static = StaticFiles::FromStatic({{"pages/about.html", "hi", {}, {}}}, kPages);
  ASSERT_TRUE(from_static) << from_static.error();
  EXPECT_TRUE((*from_static)->Find("/about"));
}

TEST_F(StaticFilesTest, MissingRootIsAnError) {
  auto files = StaticFiles::Load((base_ / "nope").string(), kPages);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().find("nope"), std::string::npos);
}

TEST(Etag, ListsWeakAndStar) {
  const std::string etag = "\"abc\"";
  EXPECT_TRUE(EtagMatches("\"abc\"", etag));
  EXPECT_TRUE(EtagMatches("\"x\", \"abc\"", etag));
  EXPECT_TRUE(EtagMatches("W/\"abc\"", etag));
  EXPECT_TRUE(EtagMatches("*", etag));
  EXPECT_FALSE(EtagMatches("\"abcd\"", etag));
  EXPECT_FALSE(EtagMatches("abc", etag));
  EXPECT_FALSE(EtagMatches("", etag));
  EXPECT_FALSE(EtagMatches(nullptr, etag));
}

TEST(ContentType, ByExtensionWithASafeDefault) {
  EXPECT_EQ(ContentTypeFor("pages/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("static/js/site.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("static/vendor/chart.umd.min.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("static/img/logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("static/README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("static/x.html.gz"), "application/octet-stream")
      << "only the last extension counts";
}

}  // namespace
}  // namespace observd
