// Small builders for prometheus-cpp MetricFamily values, shared by the collectors
// that compute families at scrape time (application, status, process). Pure;
// thread-safe.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <vector>

namespace observd {

prometheus::MetricFamily MakeFamily(std::string_view name, std::string help,
                                    prometheus::MetricType type);

// Appends one sample: the counter value for counter families, else the gauge value.
void AddSample(prometheus::MetricFamily* family,
               std::vector<prometheus::ClientMetric::Label> labels, double value);

// A family with a single unlabelled sample.
prometheus::MetricFamily SingleSample(std::string_view name, std::string help,
                                      prometheus::MetricType type, double value);

}  // namespace observd
