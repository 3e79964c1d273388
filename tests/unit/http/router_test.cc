// Tests of http/router.h through a real CivetWeb server (support/router_fixture.h): what
// the Router refuses before any handler (ambiguous framing, a body on a GET, a bad path,
// missing credentials, other methods), what it answers for handlers that throw, the
// scrape listener's subset, the poll policy on every answer, and what it counts.
#include "http/router.h"

#include <gtest/gtest.h>

#include <string>

#include "support/bcrypt.h"
#include "support/router_fixture.h"

namespace observd {
namespace {

using testing::Exchange;
using testing::Reply;
using testing::RouterTest;

TEST_F(RouterTest, AnswersTheRowWithTheHeadersOfEveryResponse) {
  Start();
  Reply ok = Send("GET", "/ok");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok\n");
  EXPECT_EQ(ok.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(ok.Header("X-Operator"), "1") << "the settings' extra headers";
  Reply missing = Send("GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("X-Operator"), "1");
  EXPECT_EQ(Send("GET", "/ok/").status, 404) << "exact rows match exactly";
}

TEST_F(RouterTest, OnlyGetAndHeadAreServed) {
  Start();
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    Reply r = Send(method, "/ok", "Content-Length: 0\r\n");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.Header("Allow"), "GET, HEAD") << method;
  }
  EXPECT_EQ(Send("POST", "/nope", "Content-Length: 0\r\n").status, 404) << "404 before 405";
  EXPECT_EQ(Send("HEAD", "/ok").status, 200);
}

TEST_F(RouterTest, ABodyOnAGetOrAmbiguousFramingIsRefusedAndClosed) {
  Start();
  // A body the GET should not have: whatever follows could be read as a second request.
  const std::string smuggled =
      "GET /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 24\r\n\r\n"
      "GET /ok HTTP/1.1\r\nX: \r\n\r\n";
  const std::string raw = Exchange(port_, smuggled);
  Reply r(raw);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "bad request\n");
  EXPECT_EQ(r.Header("Connection"), "close");
  EXPECT_EQ(raw.find("HTTP/1.1", 1), std::string::npos) << "one answer only: " << raw;
  Reply chunked = Send("GET", "/ok", "Transfer-Encoding: chunked\r\n");
  EXPECT_EQ(chunked.status, 400);
  Reply both(Exchange(port_,
                      "GET /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(both.Header("Connection"), "close");
}

TEST_F(RouterTest, AHandlerThatThrowsIs500AndTheServerGoesOn) {
  Start();
  Reply r = Send("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "internal error\n");
  EXPECT_EQ(r.body.find("handler bug"), std::string::npos) << "no exception text leaks";
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(Send("GET", "/ok").status, 200);
  EXPECT_EQ(Requests(500, "/boom"), "1");
}

TEST_F(RouterTest, BasicAuthGuardsEveryRowButTheOpenOnes) {
  Start({{"u", testing::Bcrypt("p")}});
  Reply none = Send("GET", "/ok");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Basic realm=\"observd\", charset=\"UTF-8\"");
  EXPECT_EQ(none.body.find("ok"), std::string::npos);
  EXPECT_EQ(Send("GET", "/nope").status, 401) << "no 404 tells what exists";
  EXPECT_EQ(Send("POST", "/ok", "Content-Length: 0\r\n").status, 401) << "401 before 405";
  EXPECT_EQ(Send("GET", "/ok", "Authorization: Basic dTpw\r\n").status, 200);  // u:p
  EXPECT_EQ(Send("GET", "/ok", "Authorization: Basic dTpx\r\n").status, 401);  // u:q
  EXPECT_EQ(Send("GET", "/ok", "Authorization: Bearer x\r\n").status, 401);
  EXPECT_EQ(Send("GET", "/open").status, 200) << "liveness needs no credentials";
  EXPECT_EQ(Requests(401, "/ok"), "4");
  std::string text;
  metrics_.Serialize(board_.Read(), &text);
  for (const char* counted :
       {"{reason=\"rejected\"} 1", "{reason=\"malformed\"} 1", "{reason=\"missing\"} 3"}) {
    EXPECT_NE(text.find(std::string("observd_http_auth_failures_total") + counted),
              std::string::npos)
        << counted;
  }
}

TEST_F(RouterTest, TheScrapeListenerServesOnlyScrapeRows) {
  Start({}, /*scrape_only=*/true);
  EXPECT_EQ(Send("GET", "/scrape").status, 200);
  EXPECT_EQ(Send("GET", "/ok").status, 404);
  EXPECT_EQ(Send("GET", "/open").status, 404);
  EXPECT_EQ(Requests(404, "other"), "2") << "counted as unmatched, not under /ok";
  EXPECT_EQ(Requests(404, "/ok"), "");
}

TEST_F(RouterTest, PolledRowsCloseAndCacheAsThePollPolicySays) {
  Start();
  Reply r = Send("GET", "/polled");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=1");
  EXPECT_EQ(r.Header("Connection"), "close");
  EXPECT_EQ(Send("GET", "/ok").Header("Cache-Control"), "") << "not a polled row";
}

TEST_F(RouterTest, PolledAnswersNeedingCredentialsAreNeverShared) {
  Start({{"u", testing::Bcrypt("p")}});
  Reply denied = Send("GET", "/polled");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Header("Cache-Control"), "no-store");
  EXPECT_EQ(denied.Header("Connection"), "close");
  Reply ok = Send("GET", "/polled", "Authorization: Basic dTpw\r\n");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("Cache-Control"), "private, no-store");
}

TEST_F(RouterTest, EveryRequestIsCountedOnceWhereverItEnds) {
  Start();
  Send("GET", "/ok");
  Send("GET", "/ok", "HX-Request: true\r\n");
  Send("GET", "/nope");
  Send("GET", "/boom");
  Send("GET", "/ok", "Transfer-Encoding: chunked\r\n");
  EXPECT_EQ(Requests(200, "/ok"), "2");
  EXPECT_EQ(Requests(404, "other"), "1");
  EXPECT_EQ(Requests(500, "/boom"), "1");
  EXPECT_EQ(Requests(400, "/ok"), "1") << "refused, but under the row it asked for";
  const Status s = board_.Read();
  EXPECT_EQ(s.requests_total, 5u);
  EXPECT_EQ(s.htmx_events, 1u);
  int64_t in_history = 0;
  for (const auto& m : history_.RequestsPerMinute(kNow))
    in_history += static_cast<int64_t>(m.count);
  EXPECT_EQ(in_history, 5);
}

}  // namespace
}  // namespace observd
