// Tests of util/metric_names.h: IsReserved keeps configured queries off observd's own
// names, and every name the contract lists is one of them.
#include "util/metric_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace observd::metric_names {
namespace {

TEST(MetricNamesTest, EveryNamedMetricIsReservedPrefixedAndUnique) {
  const std::string_view all[] = {kBuildInfo,
                                  kDashboardRefresh,
                                  kHtmxEvents,
                                  kCacheHits,
                                  kCacheMisses,
                                  kCacheHitRatio,
                                  kHttpRequests,
                                  kHttpAuthFailures,
                                  kHttpDuration,
                                  kRedisUp,
                                  kRedisLatency,
                                  kRedisPingDuration,
                                  kRedisErrors,
                                  kRedisCommands,
                                  kRedisEndpointInfo,
                                  kHistoryStoreUp,
                                  kHistoryStoreSize,
                                  kSnapshotAge,
                                  kSnapshotSkippedRecords,
                                  kSnapshotRefreshes,
                                  kSnapshotRefreshDuration,
                                  kAppUploads,
                                  kAppUploadsWindow,
                                  kAppActiveUsers,
                                  kAppWorkflowRunsWindow};
  std::set<std::string_view> unique;
  for (std::string_view name : all) {
    EXPECT_TRUE(IsReserved(name)) << name;
    EXPECT_TRUE(name.starts_with("observd_")) << name;
    EXPECT_TRUE(unique.insert(name).second) << name << " named twice";
  }
}

TEST(MetricNamesTest, ObservdsOwnAndProcessNamesAreReserved) {
  EXPECT_TRUE(IsReserved("observd_"));
  EXPECT_TRUE(IsReserved("observd_up"));
  EXPECT_TRUE(IsReserved("observd_redis_latency_seconds_bucket"));  // histogram series
  EXPECT_TRUE(IsReserved("observd_application"));  // observd_app is not observd_app_
  EXPECT_TRUE(IsReserved("observd_app"));
  EXPECT_TRUE(IsReserved("process_"));
  EXPECT_TRUE(IsReserved("process_resident_memory_bytes"));
  EXPECT_TRUE(IsReserved("process_anything_new"));
}

TEST(MetricNamesTest, ApplicationGaugesAreFreeExceptTheDefaultOnes) {
  EXPECT_FALSE(IsReserved("observd_app_queue_depth"));
  EXPECT_FALSE(IsReserved("observd_app_"));
  EXPECT_TRUE(IsReserved("observd_app_uploads"));
  EXPECT_FALSE(IsReserved("observd_app_uploads_total"));  // only the exact names
  EXPECT_FALSE(IsReserved("observd_app_uploads_windo"));
  EXPECT_TRUE(IsReserved("observd_app_workflow_runs_window"));
}

TEST(MetricNamesTest, OtherNamesAreFreeCaseAndPositionMatter) {
  EXPECT_FALSE(IsReserved(""));
  EXPECT_FALSE(IsReserved("queue_depth"));
  EXPECT_FALSE(IsReserved("my_observd_up"));  // a prefix, not a substring
  EXPECT_FALSE(IsReserved("myprocess_cpu"));
  EXPECT_FALSE(IsReserved("Observd_up"));  // metric names are case-sensitive
  EXPECT_FALSE(IsReserved("PROCESS_cpu"));
  EXPECT_FALSE(IsReserved("observd"));  // without the underscore
  EXPECT_FALSE(IsReserved("process"));
}

}  // namespace
}  // namespace observd::metric_names
