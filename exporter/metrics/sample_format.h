// SampleFormat holds what the Prometheus text format 0.0.4 and OpenMetrics 1.0.0 write
// the same way: escaped strings, sample values, the canonical rendering of `le` and
// `quantile` label values, and the sample lines of a family. Pure; thread-safe (the
// bound cache is per thread).
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <vector>

namespace observd {

// Appends `s` with \ and newline escaped, and " too when `quote` (label values, and
// every escaped string in OpenMetrics).
void AppendEscaped(std::string_view s, bool quote, std::string* out);

// Appends a sample value: whole numbers without a decimal point (OpenMetrics requires
// that for counts), others in the shortest form that reads back exactly; NaN, +Inf, -Inf.
void AppendValue(double v, std::string* out);

// Appends an `le` or `quantile` label value in the canonical form of the OpenMetrics
// spec: Go's %g (shortest digits, exponent from 1e-05 and from 1e+06) with ".0" added
// when there is neither a point nor an exponent: 0.0005, 1.0, 2.5, 100000.0, 1e+06, +Inf.
// Both formats use it, so a series keeps its identity whichever format is scraped.
void AppendCanonicalFloat(double v, std::string* out);

// Appends every sample line of `f` under the sample name `name` (the family name in
// the text format; OpenMetrics passes the `_total` name of a counter): histograms as
// name_bucket{le=...}, name_sum, name_count; summaries with quantile=... No timestamps,
// no _created series.
void AppendSamples(const prometheus::MetricFamily& f, std::string_view name, std::string* out);

// A generous guess of the bytes either format needs for `families`, to reserve once.
size_t EstimateExpositionSize(const std::vector<prometheus::MetricFamily>& families);

}  // namespace observd
