#include "metrics/endpoint_info.h"

#include "util/metric_names.h"

namespace observd {

prometheus::MetricFamily CollectEndpointInfo(const std::vector<RedisEndpoint>& endpoints) {
  prometheus::MetricFamily f;
  f.name = std::string(metric_names::kRedisEndpointInfo);
  f.help =
      "Redis server each observd connection (client) is using and its role (master, replica, "
      "unknown); always 1, absent while disconnected.";
  f.type = prometheus::MetricType::Gauge;
  for (const RedisEndpoint& e : endpoints) {
    prometheus::ClientMetric m;
    m.label = {{"client", e.client}, {"addr", e.addr}, {"role", e.role}};
    m.gauge.value = 1;
    f.metric.push_back(std::move(m));
  }
  return f;
}

}  // namespace observd
