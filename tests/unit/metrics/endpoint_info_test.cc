// observd_redis_endpoint_info from the endpoints in Status: one series per connected
// client, labelled client/addr/role, none while disconnected.
#include "metrics/endpoint_info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "metrics/text_format.h"

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(EndpointInfoTest, OneSeriesPerConnectedClient) {
  std::string text;
  AppendTextFormat({CollectEndpointInfo({{"sampler", "10.0.0.2:6379", "master"},
                                         {"snapshot", "[::1]:6380", "replica"}})},
                   &text);
  EXPECT_THAT(text, HasSubstr("# TYPE observd_redis_endpoint_info gauge\n"));
  EXPECT_THAT(text, HasSubstr("observd_redis_endpoint_info{client=\"sampler\",addr=\"10.0.0.2:"
                              "6379\",role=\"master\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("observd_redis_endpoint_info{client=\"snapshot\",addr=\"[::1]:"
                              "6380\",role=\"replica\"} 1\n"));
}

TEST(EndpointInfoTest, NoSeriesWhileDisconnected) {
  prometheus::MetricFamily f = CollectEndpointInfo({});
  EXPECT_EQ(f.name, "observd_redis_endpoint_info");
  EXPECT_TRUE(f.metric.empty());
  std::string text;
  AppendTextFormat({f}, &text);
  EXPECT_THAT(text, Not(HasSubstr("observd_redis_endpoint_info{")));
}

}  // namespace
}  // namespace observd
