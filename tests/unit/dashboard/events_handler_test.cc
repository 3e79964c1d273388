// Tests of dashboard/events_handler.cc: what the event stream answers before it opens
// (400 for unknown topics, 503 without templates, headers only for HEAD). The stream
// itself needs a connection: tests/integration covers it.
#include <gtest/gtest.h>

#include <string>

#include "dashboard/handlers.h"
#include "support/dashboard_handlers_fixture.h"

namespace observd {
namespace {

TEST_F(HandlersTest, UnknownTopicsAre400NamingTheKnownOnes) {
  Response topics = handlers_.Events(Get("topics=stats,secrets"));
  EXPECT_EQ(topics.status, 400);
  EXPECT_NE(topics.body.find("stats, uploads, metrics, store, history"), std::string::npos);
}

TEST_F(HandlersTest, EventsWithoutTemplatesAre503AndHeadOpensNoStream) {
  Request head = Get("topics=stats");
  head.method = "HEAD";
  head.head = true;
  Response r = handlers_.Events(head);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.stream) << "HEAD: no stream is opened";
  EXPECT_EQ(r.body, "");
  site_.Set(MakeSite(false));
  EXPECT_EQ(handlers_.Events(Get("topics=stats")).status, 503);
  EXPECT_EQ(handlers_.Events(Get("topics=nope")).status, 400) << "the request is checked first";
}

}  // namespace
}  // namespace observd
