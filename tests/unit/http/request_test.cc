// Tests of http/request.h: ReadRequest on requests a real CivetWeb parsed (through the
// Router's /echo/ route, support/router_fixture.h): the decoded path, the raw query,
// HEAD, the body flag, HX-Request and Accept-Encoding as observd reads them.
#include "http/request.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/router_fixture.h"

namespace observd {
namespace {

using testing::RouterTest;

class RequestTest : public RouterTest {
 protected:
  void SetUp() override { Start(); }
  // The echoed field `name` of a GET of `path` with `headers`.
  std::string Field(const std::string& name, const std::string& path = "/echo/x",
                    const std::string& headers = "", const std::string& method = "GET") {
    testing::Reply r = Send(method, path, headers);
    EXPECT_EQ(r.status, 200) << path;
    const std::string key = name + "=";
    std::istringstream lines(r.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with(key)) return line.substr(key.size());
    }
    return "<missing>";
  }
};

TEST_F(RequestTest, ThePathIsDecodedAndTheQueryKeptRaw) {
  EXPECT_EQ(Field("path", "/echo/a%20b%2Fc?x=%41&y"), "/echo/a b/c");
  EXPECT_EQ(Field("query", "/echo/a%20b?x=%41&y"), "x=%41&y") << "decoding is the parser's";
  EXPECT_EQ(Field("query", "/echo/a"), "(null)") << "no '?' at all";
  EXPECT_EQ(Field("query", "/echo/a?"), "") << "an empty query is not a missing one";
  EXPECT_EQ(Field("path", "/%65cho/z"), "/echo/z") << "matched after decoding";
}

TEST_F(RequestTest, MethodHeadAndBody) {
  EXPECT_EQ(Field("method"), "GET");
  EXPECT_EQ(Field("head"), "0");
  testing::Reply head = Send("HEAD", "/echo/x");
  EXPECT_EQ(head.status, 200) << "HEAD is a GET";
  EXPECT_EQ(head.body, "") << "answered with headers only";
  EXPECT_EQ(Field("body", "/echo/x", "Content-Length: 0\r\n"), "0") << "an empty body is none";
  EXPECT_EQ(Field("remote"), "127.0.0.1");
}

TEST_F(RequestTest, HtmxOnlyForExactlyTrue) {
  EXPECT_EQ(Field("htmx"), "0");
  EXPECT_EQ(Field("htmx", "/echo/x", "HX-Request: true\r\n"), "1");
  EXPECT_EQ(Field("htmx", "/echo/x", "hx-request: true\r\n"), "1") << "header names fold";
  EXPECT_EQ(Field("htmx", "/echo/x", "HX-Request: false\r\n"), "0");
  EXPECT_EQ(Field("htmx", "/echo/x", "HX-Request: TRUE\r\n"), "0");
  EXPECT_EQ(Field("htmx", "/echo/x", "HX-Request: true1\r\n"), "0");
  EXPECT_EQ(Field("htmx", "/echo/x", "HX-Request:\r\n"), "0");
}

TEST_F(RequestTest, GzipFollowsAcceptEncoding) {
  EXPECT_EQ(Field("gzip"), "0");
  EXPECT_EQ(Field("gzip", "/echo/x", "Accept-Encoding: gzip, deflate, br\r\n"), "1");
  EXPECT_EQ(Field("gzip", "/echo/x", "Accept-Encoding: gzip;q=0\r\n"), "0") << "refused";
  EXPECT_EQ(Field("gzip", "/echo/x", "Accept-Encoding: identity\r\n"), "0");
}

TEST_F(RequestTest, HeadersAreReadFromTheConnection) {
  EXPECT_EQ(Field("ua", "/echo/x", "User-Agent: probe/1.0\r\n"), "probe/1.0");
  EXPECT_EQ(Field("ua"), "(null)") << "an absent header is nullptr";
  const std::string big(8000, 'u');
  EXPECT_EQ(Field("ua", "/echo/x", "User-Agent: " + big + "\r\n"), big);
}

}  // namespace
}  // namespace observd
