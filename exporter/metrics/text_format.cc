#include "metrics/text_format.h"

#include "metrics/sample_format.h"

namespace observd {
namespace {

using prometheus::MetricType;

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      return "untyped";
  }
  return "untyped";
}

}  // namespace

void AppendTextFormat(const std::vector<prometheus::MetricFamily>& families, std::string* out) {
  out->reserve(out->size() + EstimateExpositionSize(families));
  for (const auto& f : families) {
    *out += "# HELP ";
    *out += f.name;
    *out += ' ';
    AppendEscaped(f.help, false, out);
    *out += "\n# TYPE ";
    *out += f.name;
    *out += ' ';
    *out += TypeName(f.type);
    *out += '\n';
    AppendSamples(f, f.name, out);
  }
}

}  // namespace observd
