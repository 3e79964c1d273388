// Tests of dashboard/site_query.h: the uploads view, event-stream topics and `since`.
#include "dashboard/site_query.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dashboard/panels.h"

namespace observd {
namespace {

TEST(SiteQuery, EventTopicsDefaultToAllAndRefuseUnknownNames) {
  auto all = ParseEventTopics(nullptr);
  ASSERT_TRUE(all);
  for (const char* t : {"stats", "uploads", "metrics", "store", "history"})
    EXPECT_TRUE(all->has(t)) << t;
  EXPECT_EQ(all->topics.size(), 5u);
  auto some = ParseEventTopics("topics=uploads&uploads_limit=25&status=failed");
  ASSERT_TRUE(some) << some.error();
  EXPECT_TRUE(some->has("uploads"));
  EXPECT_FALSE(some->has("stats") || some->has("metrics") || some->has("history"));
  EXPECT_EQ(some->uploads_query.limit, 25);
  EXPECT_EQ(some->uploads_query.status, "failed");
  auto unknown = ParseEventTopics("topics=stats,secrets");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(),
            "topics: a comma-separated list of stats, uploads, metrics, store, history");
  EXPECT_FALSE(ParseEventTopics("uploads_limit=0"));
  EXPECT_FALSE(ParseEventTopics("topics=%zz"));
}

TEST(SiteQuery, EveryPanelTopicIsAnEventTopic) {
  auto names = EventTopicNames();
  for (const Panel& p : Panels()) {
    if (p.topic.empty()) continue;
    EXPECT_NE(std::find(names.begin(), names.end(), p.topic), names.end()) << p.name;
  }
  EXPECT_EQ(names.back(), kHistoryTopic);
}

TEST(SiteQuery, UploadsAndSince) {
  auto q = ParseUploadsQuery("limit=5&q=a%20b&sort=-size", "limit");
  ASSERT_TRUE(q) << q.error();
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(q->search, "a b");
  EXPECT_EQ(q->sort, "-size");
  auto big = ParseUploadsQuery("limit=101", "limit");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "limit must be an integer from 1 to 100");
  auto none = ParseSince(nullptr);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto since = ParseSince("since=1764355200.5");
  ASSERT_TRUE(since);
  EXPECT_EQ(*since, 1764355200.5);
  EXPECT_FALSE(ParseSince("since=soon"));
  EXPECT_FALSE(ParseSince("since=nan"));
}

}  // namespace
}  // namespace observd
