// OpenMetricsFormat writes metric families in the OpenMetrics 1.0.0 text format (the
// format Prometheus asks for first), appending to a caller-owned buffer, over the same
// sample writer as the text format 0.0.4. Pure; thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace observd {

// Appends `families` and the closing "# EOF" line to `*out`. Per family: TYPE, UNIT
// when the name ends in a base unit (`_seconds`, `_bytes`, `_ratio`, ...), then HELP.
// Counters are named without `_total` and their samples with it; untyped is "unknown".
// Gauges named in `info_families` (each ending in `_info`, value 1) become `info`
// families named without `_info`, so their samples keep their name. Sample lines
// (escaping, canonical `le`, no `_created`) are those of the text format.
void AppendOpenMetrics(const std::vector<prometheus::MetricFamily>& families,
                       std::span<const std::string_view> info_families, std::string* out);

// The unit OpenMetrics declares for a family name: its base-unit suffix, or "".
std::string_view OpenMetricsUnit(std::string_view family_name);

}  // namespace observd
