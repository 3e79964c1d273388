// Collectors computed at scrape time: the application gauges from the current
// snapshot (omitted, not frozen, when it is stale) and the process_* metrics from
// /proc/self. Pure functions of their inputs; thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "config/config.h"
#include "metrics/process_metrics.h"
#include "model/app_snapshot.h"

namespace observd {

// observd_app_* families for `snapshot`, and one family per configured extra query
// (HELP from the config; values matched by name and labels).
std::vector<prometheus::MetricFamily> CollectAppMetrics(const AppSnapshot& snapshot,
                                                        const std::vector<QueryConfig>& queries);

// process_* families.
std::vector<prometheus::MetricFamily> CollectProcessMetrics(const ProcessStats& stats);

}  // namespace observd
