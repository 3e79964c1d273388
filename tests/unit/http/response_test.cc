// Tests of http/response.h: the response builders, the headers every response
// carries (ResponseHeaders) and the status texts. WriteResponse through a real CivetWeb
// server: write_response_test.cc and response_keep_alive_test.cc.
#include "http/response.h"

#include <gtest/gtest.h>
#include <strings.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace observd {
namespace {

TEST(ResponseBuilders, TextEndsWithANewline) {
  Response r = TextResponse(404, "not found");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "not found\n");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(TextResponse(200, "ok\n").body, "ok\n");
  EXPECT_EQ(TextResponse(200, "").body, "");
}

TEST(ResponseBuilders, DynamicBodiesAreCompressibleAndNeverCached) {
  for (const Response& r : {HtmlResponse("<p>x</p>"), JsonResponse("{}")}) {
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.compressible);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("Cache-Control", "no-store")));
  }
  EXPECT_EQ(HtmlResponse("").content_type, "text/html; charset=utf-8");
  EXPECT_EQ(JsonResponse("").content_type, "application/json");
}

TEST(ResponseBuilders, SharedBytesWin) {
  Response r = TextResponse(200, "own");
  EXPECT_EQ(r.bytes(), "own\n");
  r.shared = std::make_shared<const std::string>("shared");
  EXPECT_EQ(r.bytes(), "shared");
}

TEST(ResponseHeaders, ForbidInlineScriptsFramingAndSniffing) {
  const Headers headers = ResponseHeaders({});
  std::map<std::string, std::string> h(headers.begin(), headers.end());
  ASSERT_EQ(h.size(), headers.size()) << "a header listed twice";
  const std::string& csp = h["Content-Security-Policy"];
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(h["X-Frame-Options"], "DENY");
  EXPECT_EQ(h["Referrer-Policy"], "no-referrer");
}

TEST(ResponseHeaders, OperatorHeadersAreAddedOrReplaceByName) {
  const size_t base = ResponseHeaders({}).size();
  Headers h = ResponseHeaders({{"x-frame-options", "SAMEORIGIN"}, {"X-Operator", "1"}});
  EXPECT_EQ(h.size(), base + 1) << "one replaced, one added";
  int frame = 0;
  for (const auto& [k, v] : h) {
    if (strcasecmp(k.c_str(), "X-Frame-Options") == 0) {
      ++frame;
      EXPECT_EQ(v, "SAMEORIGIN");
    }
  }
  EXPECT_EQ(frame, 1) << "the replaced header is sent once";
  EXPECT_EQ(h.back(), (std::pair<std::string, std::string>("X-Operator", "1")));
}

TEST(StatusText, KnownCodes) {
  EXPECT_STREQ(StatusText(200), "OK");
  EXPECT_STREQ(StatusText(304), "Not Modified");
  EXPECT_STREQ(StatusText(401), "Unauthorized");
  EXPECT_STREQ(StatusText(503), "Service Unavailable");
  EXPECT_NE(StatusText(299), nullptr);
}

}  // namespace
}  // namespace observd
