// Tests of http/route_policy.h: what a shared 1 s cache may answer of a polled route,
// and that with basic auth nothing may. (Which rows are polled: dashboard/routes_test.cc.)
#include "http/route_policy.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(RoutePolicy, SharedForOneSecondWithoutAuthPrivateWithAuthAlwaysClosed) {
  Response open = HtmlResponse("x");
  ApplyPollPolicy(false, &open);
  EXPECT_TRUE(open.close);
  int n = 0;
  for (const auto& [k, v] : open.headers) {
    if (k == "Cache-Control") {
      ++n;
      EXPECT_EQ(v, "public, max-age=1");
    }
  }
  EXPECT_EQ(n, 1);  // replaced, not added next to the handler's no-store
  Response authed = JsonResponse("{}");
  ApplyPollPolicy(true, &authed);
  ASSERT_EQ(authed.headers.size(), 1u);
  EXPECT_EQ(authed.headers[0].second, "private, no-store");
  Response denied = TextResponse(503, "templates are not loaded");
  ApplyPollPolicy(false, &denied);
  ASSERT_EQ(denied.headers.size(), 1u);
  EXPECT_EQ(denied.headers[0].second, "no-store");
  EXPECT_TRUE(denied.close);
}

}  // namespace
}  // namespace observd
