// The families computed from a Status at scrape time: the counters and gauges that
// the site shows as well (cache reads, Redis health, requests the dashboard made,
// snapshot age). Pure function of its input; thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "status/status.h"

namespace observd {

std::vector<prometheus::MetricFamily> CollectStatusMetrics(const Status& status);

}  // namespace observd
