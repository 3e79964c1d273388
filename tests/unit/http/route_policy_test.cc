// Tests of http/route_policy.h and the route table's `polled` rows: which routes a
// shared 1 s cache may answer, and that with basic auth none may.
#include "http/route_policy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http/routes.h"

namespace observd {
namespace {

TEST(RoutePolicy, PolledRowsAreTheDashboardPartialsAndJson) {
  // The rows' handlers are never called here, so no handlers object is needed.
  RouteTable table = MakeRouteTable(nullptr);
  std::set<std::string> polled;
  for (const Route& r : table.routes())
    if (r.polled) polled.insert(r.path);
  EXPECT_EQ(polled,
            (std::set<std::string>{"/dashboard/api/stats", "/dashboard/api/stats-html",
                                   "/dashboard/api/recent-uploads-html",
                                   "/dashboard/api/metrics-html", "/dashboard/api/history"}));
}

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
