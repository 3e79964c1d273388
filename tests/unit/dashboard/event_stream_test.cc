// Tests of dashboard/event_stream.h without a connection: the cap on open streams is
// held by the response (released when it is gone) and a refusal says when to retry.
#include "dashboard/event_stream.h"

#include <gtest/gtest.h>

#include <optional>

namespace observd {
namespace {

TEST(EventStreams, TheCapIsHeldByTheResponseAndReleasedWithIt) {
  Site site;
  site.max_sse_streams = 2;
  EventStreams streams;
  auto tick = [](SseWriter*) { return true; };
  std::optional<Response> a = streams.Open(site, false, tick);
  Response b = streams.Open(site, true, tick);
  EXPECT_EQ(a->status, 200);
  EXPECT_TRUE(a->stream);
  EXPECT_EQ(a->content_type, "text/event-stream; charset=utf-8");
  bool gzip = false;
  for (const auto& [k, v] : b.headers) gzip |= k == "Content-Encoding" && v == "gzip";
  EXPECT_TRUE(gzip);
  Response refused = streams.Open(site, false, tick);
  EXPECT_EQ(refused.status, 503);
  EXPECT_FALSE(refused.stream);
  bool retry_after = false;
  for (const auto& [k, v] : refused.headers) retry_after |= k == "Retry-After";
  EXPECT_TRUE(retry_after);
  a.reset();  // the client of `a` went away
  EXPECT_EQ(streams.Open(site, false, tick).status, 200);
}

}  // namespace
}  // namespace observd
