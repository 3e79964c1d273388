// Pure HTTP helpers: query/limit parsing, gzip negotiation, SSE framing, static
// file lookup that never leaves the web root.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "http/query.h"
#include "http/sse.h"
#include "http/static_files.h"
#include "http/web_server.h"
#include "util/gzip.h"

namespace observd {
namespace {

TEST(Query, LimitValidation) {
  EXPECT_EQ(ParseLimit(nullptr, "limit", 10, 100), 10);
  EXPECT_EQ(ParseLimit("", "limit", 10, 100), 10);
  EXPECT_EQ(ParseLimit("limit=25", "limit", 10, 100), 25);
  EXPECT_EQ(ParseLimit("x=1&limit=100", "limit", 10, 100), 100);
  for (const char* bad :
       {"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=", "limit=1e2", "limit=10&limit=20",
        "limit=%zz", "limit=99999999999999999999", "limit=5%00"}) {
    EXPECT_EQ(ParseLimit(bad, "limit", 10, 100), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseLimit("limit=%32%30", "limit", 10, 100), 20);
}

TEST(Query, UrlDecode) {
  EXPECT_EQ(UrlDecode("a%20b+c"), "a b c");
  EXPECT_EQ(UrlDecode("%2e%2E"), "..");
  EXPECT_EQ(UrlDecode("%"), std::nullopt);
  EXPECT_EQ(UrlDecode("%4"), std::nullopt);
  EXPECT_EQ(UrlDecode("%g0"), std::nullopt);
}

TEST(Gzip, NegotiationAndRoundTrip) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(nullptr));
  EXPECT_FALSE(AcceptsGzip("xgzip"));
  std::string text(10000, 'a');
  std::string gz = GzipCompress(text);
  ASSERT_FALSE(gz.empty());
  EXPECT_LT(gz.size(), text.size() / 10);
  std::string back(text.size(), '\0');
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  z.next_in = reinterpret_cast<Bytef*>(gz.data());
  z.avail_in = gz.size();
  z.next_out = reinterpret_cast<Bytef*>(back.data());
  z.avail_out = back.size();
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  inflateEnd(&z);
  EXPECT_EQ(back, text);
}

TEST(Sse, MultiLineDataIsFramed) {
  EXPECT_EQ(FormatSseEvent("stats", "<div>\n<b>1</b>\r\n</div>"),
            "event: stats\ndata: <div>\ndata: <b>1</b>\ndata: </div>\n\n");
  EXPECT_EQ(FormatSseEvent("x", ""), "event: x\ndata: \n\n");
  // A payload cannot inject a new event: every line is prefixed.
  std::string e = FormatSseEvent("a", "\n\nevent: evil\ndata: x");
  EXPECT_EQ(e.find("\nevent: evil"), std::string::npos);
}

TEST(ListenSpec, Forms) {
  EXPECT_EQ(CivetListenSpec("127.0.0.1:9469"), "127.0.0.1:9469");
  EXPECT_EQ(CivetListenSpec("localhost:80"), "127.0.0.1:80");
  EXPECT_EQ(CivetListenSpec(":9469"), "0.0.0.0:9469");
}

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

TEST_F(StaticFilesTest, ExactLookupOnly) {
  std::string error;
  auto files = StaticFiles::Load((base_ / "www").string(), &error);
  ASSERT_TRUE(files) << error;
  ASSERT_TRUE(files->Find("/"));
  EXPECT_EQ(*files->Find("/")->bytes, "<html>home</html>");
  EXPECT_EQ(files->Find("/")->cache_control, "no-cache");
  const StaticFile* css = files->Find("/static/css/site.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_TRUE(css->gzipped);
  EXPECT_EQ(css->etag.front(), '"');
  for (const char* bad :
       {"/static/../secret.txt", "/static/../../secret.txt", "/notserved.txt", "/pages/index.html",
        "/static/link.txt", "/static/css/../css/site.css", "/static//css/site.css",
        "/static/css/site.css/", "/static\\css\\site.css", "/static/css/site.css%00",
        "/static/%2e%2e/secret.txt", "/../secret.txt", "/dashboard/../secret.txt"}) {
    EXPECT_EQ(files->Find(bad), nullptr) << bad;
  }
}

TEST_F(StaticFilesTest, MissingRootIsAnError) {
  std::string error;
  EXPECT_FALSE(StaticFiles::Load((base_ / "nope").string(), &error));
  EXPECT_NE(error.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace observd

namespace observd {
namespace {

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

}  // namespace
}  // namespace observd
