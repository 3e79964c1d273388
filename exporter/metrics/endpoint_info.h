// The observd_redis_endpoint_info family: which Redis server each observd connection
// uses and its role, so a Sentinel failover is visible in Prometheus. Pure; thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "model/redis_endpoint.h"

namespace observd {

// One gauge (value 1) per connected client, labelled client, addr and role; no series
// while a client is disconnected (its endpoint is then unknown).
prometheus::MetricFamily CollectEndpointInfo(const std::vector<RedisEndpoint>& endpoints);

}  // namespace observd
